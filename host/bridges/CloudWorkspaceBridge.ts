import { CloudWorkspaceBridge } from '@rocket.chat/apps-engine/server/bridges/CloudWorkspaceBridge';

import { unsupported } from './unsupported';

/** A local workspace is not registered with Rocket.Chat Cloud. Every method throws, so an app that needs it fails loudly. */
export class HostCloudWorkspaceBridge extends CloudWorkspaceBridge {
    protected async getWorkspaceToken(): Promise<never> {
        throw unsupported('CloudWorkspaceBridge', 'getWorkspaceToken');
    }
}
