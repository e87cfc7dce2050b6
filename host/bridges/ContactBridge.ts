import { ContactBridge } from '@rocket.chat/apps-engine/server/bridges/ContactBridge';

import { unsupported } from './unsupported';

/** Omnichannel contacts are not part of the local host. Every method throws, so an app that needs it fails loudly. */
export class HostContactBridge extends ContactBridge {
    protected async getById(): Promise<never> {
        throw unsupported('ContactBridge', 'getById');
    }

    protected async verifyContact(): Promise<never> {
        throw unsupported('ContactBridge', 'verifyContact');
    }

    protected async addContactEmail(): Promise<never> {
        throw unsupported('ContactBridge', 'addContactEmail');
    }
}
