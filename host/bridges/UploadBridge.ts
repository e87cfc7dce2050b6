import { UploadBridge } from '@rocket.chat/apps-engine/server/bridges/UploadBridge';

import { unsupported } from './unsupported';

/** File uploads are not part of the local host. Every method throws, so an app that needs it fails loudly. */
export class HostUploadBridge extends UploadBridge {
    protected async getById(): Promise<never> {
        throw unsupported('UploadBridge', 'getById');
    }

    protected async getBuffer(): Promise<never> {
        throw unsupported('UploadBridge', 'getBuffer');
    }

    protected async createUpload(): Promise<never> {
        throw unsupported('UploadBridge', 'createUpload');
    }
}
