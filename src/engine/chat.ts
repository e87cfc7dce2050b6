import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { IBlock } from '@rocket.chat/apps-engine/definition/uikit';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

import { Chat, CustomFieldsUpdate } from '../service/ports';
import { prepareRoomUpdate } from './roomUpdate';

/**
 * The chat port over one engine invocation's accessors: everything the app's bot says or writes (events, status
 * messages, the mirror's customFields and its note to a writer) and the direct rooms it creates. Needs `message.write`, `room.write`,
 * `user.write`. The bot is looked up once; rooms and users are shared while a lookup is in flight (`Lookups`).
 */
export function createChat(read: IRead, modify: IModify): Chat {
    let bot: Promise<IUser | undefined> | undefined;
    const appUser = () => (bot ??= read.getUserReader().getAppUser());
    const rooms = new Lookups<IRoom>((id) => read.getRoomReader().getById(id));
    const users = new Lookups<IUser>((id) => read.getUserReader().getById(id));

    return {
        async notify(userId, roomId, text, customFields) {
            const [sender, recipient, room] = await Promise.all([appUser(), users.get(userId), rooms.get(roomId)]);
            if (!sender) throw new Error('the app has no bot user to send as');
            if (!recipient) throw new Error(`no user ${userId} to send to`);
            if (!room) throw new Error(`the room ${roomId} no longer exists`);
            const message: IMessage = {
                room,
                sender,
                text: text(recipient.settings?.preferences?.language),
                groupable: false,
                parseUrls: false,
            };
            if (customFields) message.customFields = customFields;
            await modify.getNotifier().notifyUser(recipient, message);
        },

        async post(roomId, text, customFields) {
            const [room, sender] = await Promise.all([rooms.get(roomId), appUser()]);
            if (!room || !sender) return false;
            const creator = modify.getCreator();
            const builder = creator.startMessage().setRoom(room).setSender(sender).setText(text).setGroupable(false);
            for (const [name, value] of Object.entries(customFields ?? {})) builder.addCustomField(name, value);
            await creator.finish(builder);
            return true;
        },

        async postBlocks(roomId, text, blocks) {
            const [room, sender] = await Promise.all([rooms.get(roomId), appUser()]);
            if (!room) throw new Error(`the room ${roomId} no longer exists`);
            if (!sender) throw new Error('the app has no bot user to post as');
            const creator = modify.getCreator();
            const builder = creator.startMessage().setRoom(room).setSender(sender).setText(text).setGroupable(false)
                .setBlocks(blocks as IBlock[]);
            const id = await creator.finish(builder);
            if (!id) throw new Error('the server did not answer the id of the posted message');
            return id;
        },

        async updateBlocks(messageId, text, blocks) {
            const [message, editor] = await Promise.all([read.getMessageReader().getById(messageId).catch(() => undefined), appUser()]);
            if (!message?.id || !editor) return false;
            const updater = modify.getUpdater();
            const builder = await updater.message(messageId, editor);
            builder.setText(text).setBlocks(blocks as IBlock[]);
            await updater.finish(builder);
            return true;
        },

        async deleteMessage(messageId) {
            const deleter = modify.getDeleter() as { deleteMessage?: (message: IMessage, user: IUser) => Promise<void> };
            const [message, bot] = await Promise.all([read.getMessageReader().getById(messageId).catch(() => undefined), appUser()]);
            if (deleter.deleteMessage && message?.id && bot) await deleter.deleteMessage(message, bot);
        },

        async updateCustomFields(subject, change): Promise<CustomFieldsUpdate> {
            if (subject.namespace === 'message') return { status: 'missing' }; // a message has no customFields of ours
            if (subject.namespace === 'user') {
                const user = await users.get(subject.id);
                if (!user) return { status: 'missing' };
                const fields = change({ ...(user.customFields ?? {}) });
                if (!fields) return { status: 'unchanged' };
                await modify.getUpdater().getUserUpdater().updateCustomFields(user, fields);
                return { status: 'written' };
            }
            const [room, sender] = await Promise.all([rooms.get(subject.id), appUser()]);
            if (!room || !sender) return { status: 'missing' };
            const fields = change({ ...(room.customFields ?? {}) });
            if (!fields) return { status: 'unchanged' };
            const updater = modify.getUpdater();
            const builder = await updater.room(room.id, sender);
            // Rooms made without a creator or a name (#general, direct rooms): see roomUpdate.ts.
            const prepared = prepareRoomUpdate(builder, sender);
            if (!prepared.ok) return { status: 'refused', lacks: prepared.missing };
            builder.setCustomFields(fields as { [key: string]: object });
            await updater.finish(builder);
            return { status: 'written' };
        },

        async directRoomWith(caller) {
            const sender = await appUser();
            if (!sender) throw new Error('the app has no bot user');
            const usernames = [sender.username, caller.username];
            const existing = await read.getRoomReader().getDirectByUsernames(usernames).catch(() => undefined);
            if (existing?.id) return existing.id;
            const creator = modify.getCreator();
            const builder = creator.startRoom()
                .setType(RoomType.DIRECT_MESSAGE)
                .setCreator(sender)
                .setMembersToBeAddedByUsernames(usernames);
            const roomId = await creator.finish(builder);
            if (!roomId) throw new Error('the server did not create the direct room');
            return roomId;
        },
    };
}

/**
 * Lookups by id that share what is in flight: the effects of one write ask for the same room or user at the same
 * moment, and get one read. A settled lookup is not kept, so nothing read here is ever older than the question
 * (the customFields mirror replaces the whole object, so it must start from what the server holds now).
 */
class Lookups<T> {
    private readonly inFlight = new Map<string, Promise<T | undefined>>();

    constructor(private readonly lookup: (id: string) => Promise<T | undefined>) {}

    get(id: string): Promise<T | undefined> {
        const shared = this.inFlight.get(id);
        if (shared) return shared;
        const pending = this.lookup(id).finally(() => this.inFlight.delete(id));
        this.inFlight.set(id, pending);
        return pending;
    }
}
