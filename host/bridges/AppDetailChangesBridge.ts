import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { AppDetailChangesBridge } from '@rocket.chat/apps-engine/server/bridges/AppDetailChangesBridge';

import type { HostContext } from '../engine/context';

/** An app setting changed on this instance: tell the other instances (Rocket.Chat's appSettingsChange). */
export class HostAppDetailChangesBridge extends AppDetailChangesBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected onAppSettingsChange(appId: string, setting: ISetting): void {
        this.ctx.notifier.appSettingsChange(appId, setting);
    }
}
