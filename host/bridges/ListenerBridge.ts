import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { UIKitIncomingInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import type { IListenerBridge } from '@rocket.chat/apps-engine/server/bridges/IListenerBridge';

import type { HostContext } from '../engine/context';

/**
 * The server → app event path (Rocket.Chat's AppListenerBridge). The local host fires the lifecycle events its REST
 * causes (IPostRoomDeleted, IPostRoomUserLeave, IPostUserDeleted: host/lib/serverEvents.ts) straight through the
 * listener manager; other server events (IPostMessageSent, IPostRoomCreate, …) it does not fire.
 */
export class HostListenerBridge implements IListenerBridge {
    constructor(private readonly ctx: HostContext) {}

    async messageEvent(int: AppInterface, message: IMessage): Promise<void | boolean | IMessage> {
        return this.execute(int, message) as Promise<void | boolean | IMessage>;
    }

    async roomEvent(int: AppInterface, room: IRoom): Promise<void | boolean | IRoom> {
        return this.execute(int, room) as Promise<void | boolean | IRoom>;
    }

    async uiKitInteractionEvent(int: AppInterface, action: UIKitIncomingInteraction): Promise<void | boolean> {
        return this.execute(int, action) as Promise<void | boolean>;
    }

    private execute(int: AppInterface, data: unknown): Promise<unknown> {
        // executeListener is typed per interface name; AppInterface holds the same names.
        return this.ctx.manager.getListenerManager().executeListener(int as never, data as never);
    }
}
