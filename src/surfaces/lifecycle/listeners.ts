import { ILogger, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom, IRoomUserLeaveContext } from '@rocket.chat/apps-engine/definition/rooms';
import { IUserContext } from '@rocket.chat/apps-engine/definition/users';

import { LifecycleService } from '../../service/lifecycle';
import { errorText } from '../../service/runEffects';

/** Builds the lifecycle service for one listener call (the engine hands fresh accessors to each). */
export type LifecycleFor = (read: IRead, persistence: IPersistence, logger: ILogger) => LifecycleService;

/**
 * The server's events, turned into the lifecycle service's calls (SPEC §18). Rocket.Chat fires them fire-and-forget
 * and not while the app is disabled: a failure is logged and left to the touch and the sweep, never thrown back.
 */
export class LifecycleListeners {
    constructor(private readonly lifecycle: LifecycleFor) {}

    /** IPostRoomDeleted: the room's metadata, state, history and the subscriptions to it. */
    async roomDeleted(room: IRoom | undefined, read: IRead, persistence: IPersistence, logger: ILogger): Promise<void> {
        const id = room?.id;
        if (typeof id !== 'string' || id === '') return;
        await this.run(logger, `room:${id} (room deleted)`, () => this.lifecycle(read, persistence, logger).roomDeleted(id));
    }

    /**
     * IPostUserDeleted (the engine calls `executePostUserDeleted`; the interface's typing names another method):
     * the user's metadata, state, history, the subscriptions to them and their own.
     */
    async userDeleted(context: IUserContext | undefined, read: IRead, persistence: IPersistence, logger: ILogger): Promise<void> {
        const id = context?.user?.id;
        if (typeof id !== 'string' || id === '') return;
        await this.run(logger, `user:${id} (user deleted)`, () => this.lifecycle(read, persistence, logger).userDeleted(id));
    }

    /** IPostMessageDeleted (SPEC §19): a message's choices and picks, history and the subscriptions to it. */
    async messageDeleted(message: IMessage | undefined, read: IRead, persistence: IPersistence, logger: ILogger): Promise<void> {
        const id = message?.id;
        if (typeof id !== 'string' || id === '') return;
        await this.run(logger, `message:${id} (message deleted)`, () => this.lifecycle(read, persistence, logger).messageDeleted(id));
    }

    /** IPostRoomUserLeave (left, or removed by someone): the member's subscriptions that the room no longer lets through. */
    async memberLeft(context: IRoomUserLeaveContext | undefined, read: IRead, persistence: IPersistence, logger: ILogger): Promise<void> {
        const room = context?.room;
        const userId = context?.leavingUser?.id;
        if (!room?.id || typeof userId !== 'string' || userId === '') return;
        await this.run(logger, `subscriptions of ${userId} in room ${room.id} (member left)`, () =>
            this.lifecycle(read, persistence, logger).memberLeft({ id: room.id, type: String(room.type ?? '') }, userId));
    }

    private async run(logger: ILogger, what: string, work: () => Promise<unknown>): Promise<void> {
        try {
            const outcome = await work();
            logger.debug(`metadata: lifecycle ${what}`, outcome);
        } catch (error) {
            logger.error(`metadata: lifecycle ${what} failed; the next touch or sweep (POST admin/reconcile) catches up`, errorText(error));
        }
    }
}
