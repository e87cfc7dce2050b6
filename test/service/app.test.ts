import type { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { IConfigurationExtend, ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { IApi } from '@rocket.chat/apps-engine/definition/api';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import { IUIActionButtonDescriptor } from '@rocket.chat/apps-engine/definition/ui';
import { describe, expect, it } from 'vitest';

import MetadataStoreApp from '../../src/MetadataStoreApp';
import * as appModule from '../../src/MetadataStoreApp';

const logger = { debug: () => undefined, error: () => undefined, warn: () => undefined, info: () => undefined, log: () => undefined } as unknown as ILogger;
const info = { id: 'app', name: 'Metadata Store', version: '0.1.0', requiredApiVersion: '^1.36.0', author: { name: 'team' } } as unknown as IAppInfo;

function configuration(options: { commandExists?: boolean } = {}) {
    const order: string[] = [];
    const settings: ISetting[] = [];
    const apis: IApi[] = [];
    const commands: ISlashCommand[] = [];
    const processors: IProcessor[] = [];
    const buttons: IUIActionButtonDescriptor[] = [];
    const config = {
        ui: { registerButton: (b: IUIActionButtonDescriptor) => { buttons.push(b); order.push('button'); } },
        scheduler: { registerProcessors: async (p: IProcessor[]) => { processors.push(...p); order.push('processors'); } },
        settings: { provideSetting: async (s: ISetting) => { settings.push(s); order.push('setting'); } },
        api: { provideApi: async (api: IApi) => { apis.push(api); order.push('api'); } },
        slashCommands: {
            provideSlashCommand: async (c: ISlashCommand) => {
                order.push('command');
                if (options.commandExists) throw new Error(`Command "${c.command}" already exists in the system.`);
                commands.push(c);
            },
        },
    } as unknown as IConfigurationExtend;
    return { config, order, settings, apis, commands, processors, buttons };
}

async function configure(options: { commandExists?: boolean } = {}) {
    const app = new MetadataStoreApp(info, logger, {} as never);
    const c = configuration(options);
    await (app as unknown as { extendConfiguration: (c: IConfigurationExtend) => Promise<void> }).extendConfiguration(c.config);
    return c;
}

describe('the app', () => {
    it('the app class is the default export and the only export of its file', () => {
        expect(Object.keys(appModule)).toEqual(['default']);
    });

    it('registers its settings, the HTTP API and /meta', async () => {
        const { settings, apis, commands } = await configure();
        expect([settings.length, apis[0].endpoints.length, commands.map((c) => c.command)]).toEqual([17, 18, ['meta']]);
    });

    it('registers the panel\'s entry points (SPEC §17, §19): a room action, a user-menu entry and two message actions', async () => {
        const { buttons } = await configure();
        expect(buttons.map((b) => [b.context, b.labelI18n])).toEqual([
            ['roomAction', 'Meta_Button_Room'],
            ['userDropdownAction', 'Meta_Button_User'],
            ['messageAction', 'Meta_Button_Message'],
            ['messageAction', 'Meta_Button_This_Message'],
        ]);
    });

    it('registers the webhook sweep as a recurring job, so enabling the app schedules it, and the lock expiry as a job scheduled per hold', async () => {
        const { processors } = await configure();
        expect(processors.map((p) => [p.id, p.startupSetting?.type])).toEqual([['webhook-sweep', 'recurring'], ['lock-expiry', undefined]]);
    });

    it('registers the API before the command, so a command left over from a disable cannot keep the API away', async () => {
        const { order } = await configure();
        expect(order.indexOf('api')).toBeLessThan(order.indexOf('command'));
    });

    it('re-enabling while the engine still holds /meta does not fail', async () => {
        const { apis } = await configure({ commandExists: true });
        expect(apis).toHaveLength(1);
    });
});
