import { VideoConferenceBridge } from '@rocket.chat/apps-engine/server/bridges/VideoConferenceBridge';

import { unsupported } from './unsupported';

/** Video conferences are not part of the local host (unregistering a provider does nothing). Every method throws, so an app that needs it fails loudly. */
export class HostVideoConferenceBridge extends VideoConferenceBridge {
    protected async unRegisterProvider(): Promise<void> {
        // nothing was registered
    }

    protected async create(): Promise<never> {
        throw unsupported('VideoConferenceBridge', 'create');
    }

    protected async getById(): Promise<never> {
        throw unsupported('VideoConferenceBridge', 'getById');
    }

    protected async update(): Promise<never> {
        throw unsupported('VideoConferenceBridge', 'update');
    }

    protected async registerProvider(): Promise<never> {
        throw unsupported('VideoConferenceBridge', 'registerProvider');
    }
}
