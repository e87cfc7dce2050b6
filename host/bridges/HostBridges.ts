import { AppBridges } from '@rocket.chat/apps-engine/server/bridges/AppBridges';

import type { HostContext } from '../engine/context';
import { HostApiBridge } from './ApiBridge';
import { HostAppActivationBridge } from './AppActivationBridge';
import { HostAppDetailChangesBridge } from './AppDetailChangesBridge';
import { HostCloudWorkspaceBridge } from './CloudWorkspaceBridge';
import { HostCommandBridge } from './CommandBridge';
import { HostContactBridge } from './ContactBridge';
import { HostEmailBridge } from './EmailBridge';
import { HostEnvironmentalVariableBridge } from './EnvironmentalVariableBridge';
import { HostExperimentalBridge } from './ExperimentalBridge';
import { HostHttpBridge } from './HttpBridge';
import { HostInternalBridge } from './InternalBridge';
import { HostInternalFederationBridge } from './InternalFederationBridge';
import { HostListenerBridge } from './ListenerBridge';
import { HostLivechatBridge } from './LivechatBridge';
import { HostMessageBridge } from './MessageBridge';
import { HostModerationBridge } from './ModerationBridge';
import { HostOAuthAppsBridge } from './OAuthAppsBridge';
import { HostOutboundMessageBridge } from './OutboundMessagesBridge';
import { HostPersistenceBridge } from './PersistenceBridge';
import { HostRoleBridge } from './RoleBridge';
import { HostRoomBridge } from './RoomBridge';
import { HostSchedulerBridge } from './SchedulerBridge';
import { HostServerSettingBridge } from './ServerSettingBridge';
import { HostThreadBridge } from './ThreadBridge';
import { HostUiInteractionBridge } from './UiInteractionBridge';
import { HostUploadBridge } from './UploadBridge';
import { HostUserBridge } from './UserBridge';
import { HostVideoConferenceBridge } from './VideoConferenceBridge';

/** All of the host's bridges, handed to the AppManager in place of Rocket.Chat's (one instance of each). */
export class HostBridges extends AppBridges {
    readonly api: HostApiBridge;

    readonly commands: HostCommandBridge;

    private readonly activation: HostAppActivationBridge;

    private readonly detailChanges: HostAppDetailChangesBridge;

    private readonly cloud = new HostCloudWorkspaceBridge();

    private readonly contact = new HostContactBridge();

    private readonly email = new HostEmailBridge();

    private readonly env = new HostEnvironmentalVariableBridge();

    private readonly experimental = new HostExperimentalBridge();

    private readonly http: HostHttpBridge;

    private readonly internal: HostInternalBridge;

    private readonly federation: HostInternalFederationBridge;

    private readonly listener: HostListenerBridge;

    private readonly livechat = new HostLivechatBridge();

    private readonly message: HostMessageBridge;

    private readonly moderation = new HostModerationBridge();

    private readonly oauthApps = new HostOAuthAppsBridge();

    private readonly outbound = new HostOutboundMessageBridge();

    private readonly persistence: HostPersistenceBridge;

    private readonly role = new HostRoleBridge();

    private readonly room: HostRoomBridge;

    readonly scheduler: HostSchedulerBridge;

    private readonly setting: HostServerSettingBridge;

    private readonly thread: HostThreadBridge;

    private readonly uiInteraction: HostUiInteractionBridge;

    private readonly upload = new HostUploadBridge();

    private readonly user: HostUserBridge;

    private readonly videoConf = new HostVideoConferenceBridge();

    constructor(ctx: HostContext) {
        super();
        this.api = new HostApiBridge();
        this.commands = new HostCommandBridge();
        this.activation = new HostAppActivationBridge(ctx);
        this.detailChanges = new HostAppDetailChangesBridge(ctx);
        this.internal = new HostInternalBridge(ctx);
        this.federation = new HostInternalFederationBridge(ctx);
        this.http = new HostHttpBridge(ctx);
        this.listener = new HostListenerBridge(ctx);
        this.message = new HostMessageBridge(ctx);
        this.persistence = new HostPersistenceBridge(ctx);
        this.room = new HostRoomBridge(ctx);
        this.scheduler = new HostSchedulerBridge(ctx);
        this.setting = new HostServerSettingBridge(ctx);
        this.thread = new HostThreadBridge(ctx);
        this.uiInteraction = new HostUiInteractionBridge(ctx);
        this.user = new HostUserBridge(ctx);
    }

    getCommandBridge() {
        return this.commands;
    }

    getContactBridge() {
        return this.contact;
    }

    getApiBridge() {
        return this.api;
    }

    getAppDetailChangesBridge() {
        return this.detailChanges;
    }

    getEnvironmentalVariableBridge() {
        return this.env;
    }

    getHttpBridge() {
        return this.http;
    }

    getListenerBridge() {
        return this.listener;
    }

    getLivechatBridge() {
        return this.livechat;
    }

    getMessageBridge() {
        return this.message;
    }

    getPersistenceBridge() {
        return this.persistence;
    }

    getAppActivationBridge() {
        return this.activation;
    }

    getRoomBridge() {
        return this.room;
    }

    getInternalBridge() {
        return this.internal;
    }

    getInternalFederationBridge() {
        return this.federation;
    }

    getServerSettingBridge() {
        return this.setting;
    }

    getUploadBridge() {
        return this.upload;
    }

    getEmailBridge() {
        return this.email;
    }

    getUserBridge() {
        return this.user;
    }

    getUiInteractionBridge() {
        return this.uiInteraction;
    }

    getSchedulerBridge() {
        return this.scheduler;
    }

    getCloudWorkspaceBridge() {
        return this.cloud;
    }

    getVideoConferenceBridge() {
        return this.videoConf;
    }

    getOAuthAppsBridge() {
        return this.oauthApps;
    }

    getModerationBridge() {
        return this.moderation;
    }

    getThreadBridge() {
        return this.thread;
    }

    getRoleBridge() {
        return this.role;
    }

    getOutboundMessageBridge() {
        return this.outbound;
    }

    getExperimentalBridge() {
        return this.experimental;
    }
}
