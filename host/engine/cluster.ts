// How the host's instances keep their engines in step, after Rocket.Chat's AppServerNotifier / AppServerListener
// (apps/meteor/ee/server/apps/communication/websockets.ts): the instance where an app changes broadcasts an event
// (through the shared store here, through the service broker there); every other instance reacts by loading
// the app from the shared app storage, exactly as the listener does:
//   apps.added          → manager.addLocal(appId)
//   apps.updated        → updateAndStartupLocal / updateAndInitializeLocal with the stored package
//   apps.removed        → manager.removeLocal(appId)
//   apps.statusUpdate   → manager.enable(appId) / manager.disable(appId, status, true)
//   apps.settingUpdated → settingsManager.updateAppSetting(appId, setting)
// `received` suppresses the echo of a change an instance applied because another instance announced it.
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { AppStatus, AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';

import type { HostContext } from './context';
import { statusOf } from './status';

type Received = Map<string, { status?: AppStatus; when: Date }>;

export class ClusterNotifier {
    readonly received: Received = new Map();

    constructor(private readonly ctx: HostContext) {}

    appAdded(appId: string): void {
        this.ctx.cluster.publish(this.ctx.instanceId, 'apps.added', { appId });
    }

    appRemoved(appId: string): void {
        this.ctx.cluster.publish(this.ctx.instanceId, 'apps.removed', { appId });
    }

    appUpdated(appId: string): void {
        if (this.received.delete(`updated_${appId}`)) {
            return;
        }
        this.ctx.cluster.publish(this.ctx.instanceId, 'apps.updated', { appId });
    }

    appStatusUpdated(appId: string, status: AppStatus): void {
        const key = `status_${appId}`;
        const details = this.received.get(key);
        if (details && details.status === status) {
            this.received.delete(key);
            return;
        }
        this.ctx.cluster.publish(this.ctx.instanceId, 'apps.statusUpdate', { appId, status });
    }

    appSettingsChange(appId: string, setting: ISetting): void {
        if (this.received.delete(`setting_${appId}_${setting.id}`)) {
            return;
        }
        this.ctx.cluster.publish(this.ctx.instanceId, 'apps.settingUpdated', { appId, setting });
    }
}

/** Polls the shared event table and applies other instances' app changes to this instance's engine, one at a time. */
export class ClusterListener {
    private lastSeq = 0;

    private timer?: NodeJS.Timeout;

    private running = Promise.resolve();

    constructor(
        private readonly ctx: HostContext,
        private readonly notifier: ClusterNotifier,
        private readonly intervalMs = 100,
    ) {}

    /** Starts listening from now on (older events describe changes already in the store). */
    start(): void {
        this.lastSeq = this.ctx.cluster.lastSeq();
        this.timer = setInterval(() => this.poll(), this.intervalMs);
        this.timer.unref();
    }

    stop(): Promise<void> {
        if (this.timer) {
            clearInterval(this.timer);
        }
        return this.running;
    }

    /** Resolves once every event published so far has been applied (used by the REST helpers and tests). */
    async settle(): Promise<void> {
        this.poll();
        await this.running;
    }

    private poll(): void {
        let events;
        try {
            events = this.ctx.cluster.since(this.lastSeq, this.ctx.instanceId);
        } catch (error) {
            this.ctx.log.add('error', 'cluster', `polling cluster events failed: ${String(error)}`);
            return;
        }
        for (const event of events) {
            this.lastSeq = event.seq;
            this.running = this.running
                .then(async () => {
                    const started = Date.now();
                    this.ctx.log.add('info', 'cluster', `applying ${event.type} #${event.seq} from ${event.origin}: ${JSON.stringify(event.payload).slice(0, 200)}`);
                    await this.apply(event.type, event.payload as Record<string, unknown>);
                    this.ctx.log.add('info', 'cluster', `applied ${event.type} #${event.seq} in ${Date.now() - started} ms`);
                })
                .catch((error) => {
                    this.ctx.log.add('error', 'cluster', `applying ${event.type} #${event.seq} failed: ${error?.stack ?? error}`);
                    console.error(`[cluster] applying ${event.type} failed:`, error);
                });
        }
    }

    private async apply(type: string, payload: Record<string, unknown>): Promise<void> {
        const manager = this.ctx.manager;
        const appId = payload.appId as string;
        switch (type) {
            case 'apps.added':
                if (!manager.getOneById(appId)) {
                    await manager.addLocal(appId);
                }
                return;
            case 'apps.removed':
                if (manager.getOneById(appId)) {
                    await manager.removeLocal(appId);
                }
                return;
            case 'apps.updated': {
                this.notifier.received.set(`updated_${appId}`, { when: new Date() });
                const item = await manager.getStorage().retrieveOne(appId);
                if (!item) {
                    return;
                }
                const zip = await this.ctx.sourceStorage().fetch(item);
                if (!manager.getOneById(appId)) {
                    await manager.addLocal(appId);
                } else if (AppStatusUtils.isEnabled(item.status)) {
                    await manager.updateAndStartupLocal(item, zip);
                } else {
                    await manager.updateAndInitializeLocal(item, zip);
                }
                return;
            }
            case 'apps.statusUpdate': {
                const status = payload.status as AppStatus;
                const app = manager.getOneById(appId);
                if (!app || (await statusOf(app)) === status) {
                    return;
                }
                this.notifier.received.set(`status_${appId}`, { status, when: new Date() });
                if (AppStatusUtils.isEnabled(status)) {
                    await manager.enable(appId).catch((e) => console.error(e));
                } else if (AppStatusUtils.isDisabled(status)) {
                    await manager.disable(appId, status, true).catch((e) => console.error(e));
                }
                return;
            }
            case 'apps.settingUpdated': {
                const setting = payload.setting as ISetting;
                this.notifier.received.set(`setting_${appId}_${setting.id}`, { when: new Date() });
                await manager.getSettingsManager().updateAppSetting(appId, setting);
                return;
            }
            default:
                return;
        }
    }
}
