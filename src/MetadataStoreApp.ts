import { IAppAccessors, IConfigurationExtend, ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';

import { serviceFactory } from './engine/serviceFactory';
import { settingDefinitions } from './engine/settingDefinitions';
import { SettingsCache } from './engine/settingsReader';
import { WriteRateLimiter } from './service/rateLimiter';
import { MetaCommand } from './surfaces/command/MetaCommand';
import { Coalescer } from './surfaces/events/coalescer';
import { metadataApi } from './surfaces/http/metadataApi';
import { webhookSweep } from './engine/webhookPort';

export default class MetadataStoreApp extends App {
    private readonly rateLimiter = new WriteRateLimiter();
    private readonly coalescer: Coalescer;
    private readonly settings = new SettingsCache();

    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
        this.coalescer = new Coalescer((error) => this.getLogger().error('metadata: coalesced events failed', error));
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        const services = serviceFactory({ rateLimiter: this.rateLimiter, coalescer: this.coalescer, settings: this.settings });
        for (const setting of settingDefinitions()) {
            await configuration.settings.provideSetting(setting);
        }
        // The API first: after a disable the engine still holds the command, so providing it again
        // throws, and nothing provided after it would exist.
        await configuration.api.provideApi(metadataApi(this, services));
        // Webhook deliveries left by a restart, a crash or a failed attempt: any instance's sweep sends them.
        await configuration.scheduler.registerProcessors([webhookSweep(this)]);
        try {
            await configuration.slashCommands.provideSlashCommand(new MetaCommand(this, services));
        } catch (error) {
            if (!String(error instanceof Error ? error.message : error).includes('already exists')) throw error;
        }
    }

    public async onSettingUpdated(): Promise<void> {
        this.settings.forget();
    }
}
