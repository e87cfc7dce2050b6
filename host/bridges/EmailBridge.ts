import { EmailBridge } from '@rocket.chat/apps-engine/server/bridges/EmailBridge';

import { unsupported } from './unsupported';

/** The local host sends no e-mail. Every method throws, so an app that needs it fails loudly. */
export class HostEmailBridge extends EmailBridge {
    protected async sendEmail(): Promise<never> {
        throw unsupported('EmailBridge', 'sendEmail');
    }
}
