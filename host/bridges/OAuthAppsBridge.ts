import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';

import { unsupported } from './unsupported';

/** OAuth apps are not part of the local host (purge, called on uninstall, does nothing). Every method throws, so an app that needs it fails loudly. */
export class HostOAuthAppsBridge extends OAuthAppsBridge {
    protected async purge(): Promise<void> {
        // nothing was created
    }

    protected async create(): Promise<never> {
        throw unsupported('OAuthAppsBridge', 'create');
    }

    protected async getById(): Promise<never> {
        throw unsupported('OAuthAppsBridge', 'getById');
    }

    protected async getByName(): Promise<never> {
        throw unsupported('OAuthAppsBridge', 'getByName');
    }

    protected async update(): Promise<never> {
        throw unsupported('OAuthAppsBridge', 'update');
    }

    protected async delete(): Promise<never> {
        throw unsupported('OAuthAppsBridge', 'delete');
    }
}
