import { OutboundMessageBridge } from '@rocket.chat/apps-engine/server/bridges/OutboundMessagesBridge';

import { unsupported } from './unsupported';

/** Outbound message providers are not part of the local host (unregistering does nothing). Every method throws, so an app that needs it fails loudly. */
export class HostOutboundMessageBridge extends OutboundMessageBridge {
    protected async unRegisterProvider(): Promise<void> {
        // nothing was registered
    }

    protected async registerPhoneProvider(): Promise<never> {
        throw unsupported('OutboundMessagesBridge', 'registerPhoneProvider');
    }

    protected async registerEmailProvider(): Promise<never> {
        throw unsupported('OutboundMessagesBridge', 'registerEmailProvider');
    }
}
