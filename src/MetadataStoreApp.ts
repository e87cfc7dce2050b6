import { IAppAccessors, IConfigurationExtend, IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IMessage, IPostMessageDeleted } from '@rocket.chat/apps-engine/definition/messages';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { IPostRoomDeleted, IPostRoomUserLeave, IRoom, IRoomUserLeaveContext } from '@rocket.chat/apps-engine/definition/rooms';
import { IUIKitInteractionHandler, IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';
import {
    UIKitActionButtonInteractionContext, UIKitBlockInteractionContext, UIKitViewCloseInteractionContext, UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionContext';
import { IPostUserDeleted, IUserContext } from '@rocket.chat/apps-engine/definition/users';

import { serviceFactory } from './engine/serviceFactory';
import { createChat } from './engine/chat';
import { settingDefinitions } from './engine/settingDefinitions';
import { SettingsCache } from './engine/settingsReader';
import { WriteRateLimiter } from './service/rateLimiter';
import { MetaCommand } from './surfaces/command/MetaCommand';
import { Coalescer } from './surfaces/events/coalescer';
import { metadataApi } from './surfaces/http/metadataApi';
import { webhookSweep } from './engine/webhookPort';
import { lockExpiry } from './engine/lockTimer';
import { lifecycleFactory } from './engine/lifecycleFactory';
import { adminFactory } from './engine/adminFactory';
import { LifecycleListeners } from './surfaces/lifecycle/listeners';
import { PANEL_BUTTONS } from './surfaces/ui/buttons';
import { PanelSurface } from './surfaces/ui/PanelSurface';

export default class MetadataStoreApp extends App implements IPostRoomDeleted, IPostUserDeleted, IPostRoomUserLeave, IPostMessageDeleted, IUIKitInteractionHandler {
    private readonly rateLimiter = new WriteRateLimiter();
    private readonly coalescer: Coalescer;
    private readonly settings = new SettingsCache();
    private readonly lifecycle = lifecycleFactory({ settings: this.settings });
    private readonly listeners = new LifecycleListeners(this.lifecycle);
    private readonly admin = adminFactory({ settings: this.settings });
    private readonly services: ReturnType<typeof serviceFactory>;

    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
        this.coalescer = new Coalescer((error) => this.getLogger().error('metadata: coalesced events failed', error));
        this.services = serviceFactory({ appId: this.getID(), rateLimiter: this.rateLimiter, coalescer: this.coalescer, settings: this.settings });
    }

    /** The panel for one call: `app` is the engine's proxy of this app for that call (its logger is the call's). */
    private panel(app: App): PanelSurface {
        return new PanelSurface(app, this.services, createChat);
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        const { services } = this;
        for (const setting of settingDefinitions()) {
            await configuration.settings.provideSetting(setting);
        }
        // The API first: after a disable the engine still holds the command, so providing it again
        // throws, and nothing provided after it would exist.
        await configuration.api.provideApi(metadataApi(this, services, this.lifecycle, this.admin));
        // SPEC §17: the panel's entry points (without `ui.registerButtons` the engine silently drops them).
        for (const button of PANEL_BUTTONS) configuration.ui.registerButton(button);
        // Webhook deliveries left by a restart, a crash or a failed attempt: any instance's sweep sends them.
        // Lock expiries (SPEC §16) are decided by a one-time job per hold, on any instance.
        await configuration.scheduler.registerProcessors([
            webhookSweep(this),
            lockExpiry(this, (_job, read, modify, http, persistence) => services(read, modify, persistence, this.getLogger(), http)),
        ]);
        try {
            await configuration.slashCommands.provideSlashCommand(new MetaCommand(this, services, (app, ...args) => this.panel(app as App).openFromCommand(...args)));
        } catch (error) {
            if (!String(error instanceof Error ? error.message : error).includes('already exists')) throw error;
        }
    }

    public async onSettingUpdated(): Promise<void> {
        this.settings.forget();
    }

    // SPEC §18: data follows its rooms and users (src/surfaces/lifecycle/listeners.ts).

    public async executePostRoomDeleted(room: IRoom, read: IRead, _http: IHttp, persistence: IPersistence): Promise<void> {
        await this.listeners.roomDeleted(room, read, persistence, this.getLogger());
    }

    /** What the engine calls for IPostUserDeleted (AppMethod.EXECUTE_POST_USER_DELETED). */
    public async executePostUserDeleted(context: IUserContext, read: IRead, _http: IHttp, persistence: IPersistence): Promise<void> {
        await this.listeners.userDeleted(context, read, persistence, this.getLogger());
    }

    /**
     * The method IPostUserDeleted's typing demands (it names EXECUTE_POST_USER_CREATED by mistake). The engine never
     * calls it for a deletion, nor for a creation (the app does not declare IPostUserCreated): it does nothing.
     */
    public async executePostUserCreated(_context: IUserContext, _read: IRead, _http: IHttp, _persistence: IPersistence, _modify: IModify): Promise<void> {
        return undefined;
    }

    // SPEC §17: the panel (src/surfaces/ui/PanelSurface.ts).

    public async executeActionButtonHandler(context: UIKitActionButtonInteractionContext, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return this.panel(this).actionButton(context, read, http, persistence, modify);
    }

    public async executeBlockActionHandler(context: UIKitBlockInteractionContext, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return this.panel(this).blockAction(context, read, http, persistence, modify);
    }

    public async executeViewSubmitHandler(context: UIKitViewSubmitInteractionContext, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Promise<IUIKitResponse> {
        return this.panel(this).viewSubmit(context, read, http, persistence, modify);
    }

    public async executeViewClosedHandler(context: UIKitViewCloseInteractionContext): Promise<IUIKitResponse> {
        return this.panel(this).viewClosed(context);
    }

    /** SPEC §19: a deleted message takes its choices and picks along (every deletion on the server comes here). */
    public async executePostMessageDeleted(message: IMessage, read: IRead, _http: IHttp, persistence: IPersistence): Promise<void> {
        await this.listeners.messageDeleted(message, read, persistence, this.getLogger());
    }

    public async executePostRoomUserLeave(context: IRoomUserLeaveContext, read: IRead, _http: IHttp, persistence: IPersistence): Promise<void> {
        await this.listeners.memberLeft(context, read, persistence, this.getLogger());
    }
}
