import { LivechatBridge } from '@rocket.chat/apps-engine/server/bridges/LivechatBridge';

import { unsupported } from './unsupported';

/** Omnichannel (livechat) is not part of the local host. Every method throws, so an app that needs it fails loudly. */
export class HostLivechatBridge extends LivechatBridge {
    protected isOnline(): boolean {
        return false;
    }

    protected async isOnlineAsync(): Promise<boolean> {
        return false;
    }

    protected async createMessage(): Promise<never> {
        throw unsupported('LivechatBridge', 'createMessage');
    }

    protected async getMessageById(): Promise<never> {
        throw unsupported('LivechatBridge', 'getMessageById');
    }

    protected async updateMessage(): Promise<never> {
        throw unsupported('LivechatBridge', 'updateMessage');
    }

    protected async createVisitor(): Promise<never> {
        throw unsupported('LivechatBridge', 'createVisitor');
    }

    protected async createAndReturnVisitor(): Promise<never> {
        throw unsupported('LivechatBridge', 'createAndReturnVisitor');
    }

    protected async findVisitors(): Promise<never> {
        throw unsupported('LivechatBridge', 'findVisitors');
    }

    protected async findVisitorById(): Promise<never> {
        throw unsupported('LivechatBridge', 'findVisitorById');
    }

    protected async findVisitorByEmail(): Promise<never> {
        throw unsupported('LivechatBridge', 'findVisitorByEmail');
    }

    protected async findVisitorByToken(): Promise<never> {
        throw unsupported('LivechatBridge', 'findVisitorByToken');
    }

    protected async findVisitorByPhoneNumber(): Promise<never> {
        throw unsupported('LivechatBridge', 'findVisitorByPhoneNumber');
    }

    protected async resolveVisitor(): Promise<never> {
        throw unsupported('LivechatBridge', 'resolveVisitor');
    }

    protected async transferVisitor(): Promise<never> {
        throw unsupported('LivechatBridge', 'transferVisitor');
    }

    protected async updateVisitorExternalId(): Promise<never> {
        throw unsupported('LivechatBridge', 'updateVisitorExternalId');
    }

    protected async createRoom(): Promise<never> {
        throw unsupported('LivechatBridge', 'createRoom');
    }

    protected async closeRoom(): Promise<never> {
        throw unsupported('LivechatBridge', 'closeRoom');
    }

    protected async countOpenRoomsByAgentId(): Promise<never> {
        throw unsupported('LivechatBridge', 'countOpenRoomsByAgentId');
    }

    protected async findOpenRoomsByAgentId(): Promise<never> {
        throw unsupported('LivechatBridge', 'findOpenRoomsByAgentId');
    }

    protected async findRooms(): Promise<never> {
        throw unsupported('LivechatBridge', 'findRooms');
    }

    protected async findDepartmentByIdOrName(): Promise<never> {
        throw unsupported('LivechatBridge', 'findDepartmentByIdOrName');
    }

    protected async findDepartmentsEnabledWithAgents(): Promise<never> {
        throw unsupported('LivechatBridge', 'findDepartmentsEnabledWithAgents');
    }

    protected async _fetchLivechatRoomMessages(): Promise<never> {
        throw unsupported('LivechatBridge', '_fetchLivechatRoomMessages');
    }

    protected async setCustomFields(): Promise<never> {
        throw unsupported('LivechatBridge', 'setCustomFields');
    }
}
