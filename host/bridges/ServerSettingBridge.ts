import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { ServerSettingBridge } from '@rocket.chat/apps-engine/server/bridges/ServerSettingBridge';

import type { HostContext } from '../engine/context';

/**
 * Server settings as Rocket.Chat's AppSettingBridge (apps/meteor/app/apps/server/bridges/settings.ts) serves them:
 * secret settings are not readable, an unknown or secret id throws `The setting "<id>" is not readable.`.
 * Admins change settings with `POST /api/v1/settings/:_id` (e.g. Message_CustomFields_Enabled).
 */
export class HostServerSettingBridge extends ServerSettingBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async getAll(_appId: string): Promise<Array<ISetting>> {
        return this.ctx.settings
            .list()
            .filter((s) => !s.secret)
            .map((s) => this.ctx.convert.settingToApp(s) as ISetting);
    }

    protected async getOneById(id: string, appId: string): Promise<ISetting> {
        if (!(await this.isReadableById(id, appId))) {
            throw new Error(`The setting "${id}" is not readable.`);
        }
        return this.ctx.convert.settingToApp(this.ctx.settings.findById(id)) as ISetting;
    }

    protected async hideGroup(_name: string, _appId: string): Promise<void> {
        throw new Error('Method not implemented.');
    }

    protected async hideSetting(id: string, appId: string): Promise<void> {
        if (!(await this.isReadableById(id, appId))) {
            throw new Error(`The setting "${id}" is not readable.`);
        }
        throw new Error('Method not implemented.');
    }

    protected async isReadableById(id: string, _appId: string): Promise<boolean> {
        const setting = this.ctx.settings.findById(id);
        return Boolean(setting && !setting.secret);
    }

    protected async updateOne(setting: ISetting, appId: string): Promise<void> {
        if (!(await this.isReadableById(setting.id, appId))) {
            throw new Error(`The setting "${setting.id}" is not readable.`);
        }
        this.ctx.settings.setValue(setting.id, setting.value);
    }

    protected async incrementValue(id: string, value: number, appId: string): Promise<void> {
        if (!(await this.isReadableById(id, appId))) {
            throw new Error(`The setting "${id}" is not readable.`);
        }
        this.ctx.store.tx(() => {
            const current = Number(this.ctx.settings.value(id) ?? 0);
            this.ctx.settings.setValue(id, current + (value ?? 1));
        });
    }
}
