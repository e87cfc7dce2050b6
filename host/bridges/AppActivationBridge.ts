import type { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import { AppActivationBridge } from '@rocket.chat/apps-engine/server/bridges/AppActivationBridge';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';

import type { HostContext } from '../engine/context';

/**
 * Rocket.Chat's AppActivationBridge: when an app is added, updated, removed or changes status, the app's bot goes
 * online/offline and the change is broadcast to the other instances (host/engine/cluster.ts).
 */
export class HostAppActivationBridge extends AppActivationBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async appAdded(app: ProxiedApp): Promise<void> {
        this.ctx.notifier.appAdded(app.getID());
    }

    protected async appUpdated(app: ProxiedApp): Promise<void> {
        this.ctx.notifier.appUpdated(app.getID());
    }

    protected async appRemoved(app: ProxiedApp): Promise<void> {
        this.ctx.notifier.appRemoved(app.getID());
    }

    protected async appStatusChanged(app: ProxiedApp, status: AppStatus): Promise<void> {
        const online = status === 'auto_enabled' || status === 'manually_enabled';
        const bot = this.ctx.users.findByAppId(app.getID());
        if (bot) {
            this.ctx.users.set(bot._id, { status: online ? 'online' : 'offline', statusConnection: online ? 'online' : 'offline' });
        }
        this.ctx.notifier.appStatusUpdated(app.getID(), status);
    }

    protected async actionsChanged(): Promise<void> {
        // UI action buttons are not shown anywhere by the local host.
    }
}
