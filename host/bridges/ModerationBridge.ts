import { ModerationBridge } from '@rocket.chat/apps-engine/server/bridges/ModerationBridge';

import { unsupported } from './unsupported';

/** Moderation reports are not part of the local host. Every method throws, so an app that needs it fails loudly. */
export class HostModerationBridge extends ModerationBridge {
    protected async report(): Promise<never> {
        throw unsupported('ModerationBridge', 'report');
    }

    protected async dismissReportsByMessageId(): Promise<never> {
        throw unsupported('ModerationBridge', 'dismissReportsByMessageId');
    }

    protected async dismissReportsByUserId(): Promise<never> {
        throw unsupported('ModerationBridge', 'dismissReportsByUserId');
    }
}
