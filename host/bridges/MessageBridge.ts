import type { IMessage, Reaction } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { MessageBridge, type ITypingDescriptor } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';

import type { HostContext } from '../engine/context';
import { deleteMessage, sendMessage, updateMessage } from '../lib/messages';
import type { MessageDoc, UserDoc } from '../store/docs';

/**
 * Messages as Rocket.Chat's AppMessageBridge (apps/meteor/app/apps/server/bridges/messages.ts) handles them.
 *
 * - create → executeSendMessage as the message's sender (the app's bot when the app set none): refused when the
 *   room is unknown, when a non-app sender may not access the room, when the text exceeds
 *   Message_MaxAllowedSize, and — when the message carries customFields — unless the admin enabled
 *   Message_CustomFields_Enabled ("Custom fields not enabled") and they match the admin's schema ("Invalid custom
 *   fields"). Stored messages get `mentions` computed like the server does.
 * - delete → deleteMessage(message, user), as chat.delete: IPreMessageDeletePrevent may refuse it, IPostMessageDeleted
 *   follows (host/lib/messages.ts).
 * - notifyUser / notifyRoom → ephemeral: the server only broadcasts to open sessions and stores nothing; the host
 *   records one notification per recipient (readable with GET /api/v1/host.notifications). Ephemeral messages are
 *   not checked for customFields (the server does not either).
 */
export class HostMessageBridge extends MessageBridge {
    constructor(private readonly ctx: HostContext) {
        super();
    }

    protected async create(message: IMessage, _appId: string): Promise<string> {
        const doc = this.ctx.convert.appMessageToDoc(message, false);
        if (!doc.u?._id) {
            throw new Error('Invalid user [error-invalid-user]');
        }
        return sendMessage(this.ctx, doc.u._id, doc as Partial<MessageDoc>)._id;
    }

    protected async update(message: IMessage, _appId: string): Promise<void> {
        if (!message.editor) {
            throw new Error('Invalid editor assigned to the message for the update.');
        }
        const changes = this.ctx.convert.appMessageToDoc(message, true);
        delete changes.editedBy;
        delete changes.u;
        delete changes.rid;
        updateMessage(this.ctx, message.editor.id, { ...changes, _id: message.id as string });
    }

    protected async notifyUser(user: IUser, message: IMessage, _appId: string): Promise<void> {
        const msg = this.ctx.convert.appMessageToDoc(message, false);
        this.ctx.notifications.insert({ userId: user.id, roomId: msg.rid ?? null, kind: 'ephemeral', instance: this.ctx.instanceId, message: msg as Record<string, unknown> });
    }

    protected async notifyRoom(room: IRoom, message: IMessage, _appId: string): Promise<void> {
        if (!room?.id) {
            return;
        }
        const msg = this.ctx.convert.appMessageToDoc(message, false);
        for (const uid of this.ctx.rooms.memberIds(room.id)) {
            this.ctx.notifications.insert({ userId: uid, roomId: room.id, kind: 'ephemeral', instance: this.ctx.instanceId, message: msg as Record<string, unknown> });
        }
    }

    protected async typing({ scope, username }: ITypingDescriptor, _appId: string): Promise<void> {
        if (scope !== 'room') {
            throw new Error('Unrecognized typing scope provided');
        }
        if (!username) {
            throw new Error('Invalid username');
        }
        // Typing indicators are not recorded.
    }

    protected async getById(messageId: string, _appId: string): Promise<IMessage> {
        return this.ctx.convert.messageToApp(this.ctx.messages.findById(messageId)) as IMessage;
    }

    // The server's delete: deleteMessage(convertedMsg, user) — the same function chat.delete ends in, so apps may
    // prevent it and IPostMessageDeleted follows (the deleting app gets it too); no permission check.
    protected async delete(message: IMessage, user: IUser, _appId: string): Promise<void> {
        if (!message.id) {
            throw new Error('Invalid message id');
        }
        // Users.findOneById(user.id) || convertToRocketChat(user)
        const deleter = (user?.id ? this.ctx.users.findById(user.id) : undefined) ?? ({ roles: [], ...this.ctx.convert.appUserToDoc(user ?? {}) } as UserDoc);
        await deleteMessage(this.ctx, { _id: message.id }, deleter);
    }

    protected async addReaction(messageId: string, userId: string, reaction: Reaction): Promise<void> {
        this.react(messageId, userId, reaction, true);
    }

    protected async removeReaction(messageId: string, userId: string, reaction: Reaction): Promise<void> {
        this.react(messageId, userId, reaction, false);
    }

    private react(messageId: string, userId: string, reaction: string, add: boolean): void {
        if (!(reaction.startsWith(':') && reaction.endsWith(':'))) {
            throw new Error('Invalid reaction');
        }
        const user = this.ctx.users.findById(userId);
        this.ctx.store.tx(() => {
            const message = this.ctx.messages.findById(messageId);
            if (!message || !user) {
                throw new Error('Invalid message or user');
            }
            const reactions = { ...(message.reactions ?? {}) };
            const usernames = new Set(reactions[reaction]?.usernames ?? []);
            if (add) usernames.add(user.username);
            else usernames.delete(user.username);
            if (usernames.size) reactions[reaction] = { usernames: Array.from(usernames) };
            else delete reactions[reaction];
            this.ctx.messages.replace({ ...message, reactions });
        });
    }
}
