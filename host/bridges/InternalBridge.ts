import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';

import type { HostContext } from '../engine/context';

/** The engine's own look-ups: a room's usernames (for its Room objects) and the workspace key for licenses. */
export class HostInternalBridge extends InternalBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async getUsernamesOfRoomById(roomId: string): Promise<Array<string>> {
        return this.getUsernamesOfRoomByIdSync(roomId);
    }

    protected getUsernamesOfRoomByIdSync(roomId: string): Array<string> {
        return this.ctx.users.findManyByIds(this.ctx.rooms.memberIds(roomId)).map((u) => u.username);
    }

    protected async getWorkspacePublicKey(): Promise<ISetting> {
        // A local workspace is not registered with Rocket.Chat Cloud: no key, so marketplace licenses cannot
        // validate (private apps need none).
        return { id: 'Cloud_Workspace_PublicKey', type: SettingType.STRING, packageValue: '', value: '', required: false, public: false, i18nLabel: 'Cloud_Workspace_PublicKey' };
    }
}
