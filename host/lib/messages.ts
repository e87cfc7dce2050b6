// Sending, editing and deleting room messages with the checks Rocket.Chat's executeSendMessage / sendMessage /
// updateMessage / canDeleteMessageAsync apply, so that an app (and a client) meets the same refusals here as on a
// server; deleting fires the apps' message-delete events as the server's deleteMessage does.
import type { HostContext } from '../engine/context';
import { Converters } from '../engine/converters';
import type { MessageDoc, RoomDoc, UserDoc, UserRef } from '../store/docs';
import { randomId } from '../store/ids';
import { validate, type Schema } from './jsonSchema';
import { hasMessagePermission } from './roomPermissions';
import { messageDeleted, messageDeletePrevented } from './serverEvents';

/**
 * Rocket.Chat's validateCustomMessageFields: refused unless Message_CustomFields_Enabled; then the value must
 * satisfy the admin's schema (Message_CustomFields), compiled as `{...schema, type: 'object',
 * additionalProperties: false}`.
 */
export function validateCustomMessageFields(ctx: HostContext, customFields: unknown): void {
    if (ctx.settings.value<boolean>('Message_CustomFields_Enabled') !== true) {
        throw new Error('Custom fields not enabled');
    }
    const schema = JSON.parse(ctx.settings.value<string>('Message_CustomFields') ?? '') as Schema;
    if (schema.type && schema.type !== 'object') {
        throw new Error('Invalid custom fields config');
    }
    if (!validate({ ...schema, type: 'object', additionalProperties: false }, customFields)) {
        throw new Error('Invalid custom fields');
    }
}

/**
 * Who a message notifies, the way the server's mention parser counts them: `@name` at the start of the text or
 * after whitespace, `>` or `<`; `@all` and `@here` notify the room; other names only when such a user exists.
 */
export function mentionsOf(ctx: HostContext, text: string | undefined): UserRef[] {
    if (!text) {
        return [];
    }
    const pattern = ctx.settings.value<string>('UTF8_User_Names_Validation') ?? '[0-9a-zA-Z-_.]+';
    const found = new Map<string, UserRef>();
    for (const match of text.matchAll(new RegExp(`(^|\\s|>|<)@(${pattern})`, 'gm'))) {
        const name = match[2];
        if (name === 'all' || name === 'here') {
            found.set(name, { _id: name, username: name });
            continue;
        }
        const user = ctx.users.findByUsername(name);
        if (user) {
            found.set(user._id, Converters.userRef(user));
        }
    }
    return Array.from(found.values());
}

function assertMaySend(ctx: HostContext, room: RoomDoc, sender: UserDoc): void {
    // validateRoomMessagePermissionsAsync: app users skip the access check; everybody else needs access.
    if (sender.type !== 'app' && !ctx.rooms.canAccess(room, sender)) {
        throw new Error('error-not-allowed');
    }
    if (room.ro) {
        const roles = ctx.rooms.subscription(room._id, sender._id)?.roles ?? [];
        const mayPost = sender.roles.includes('admin') || roles.includes('owner') || roles.includes('moderator');
        if (!mayPost) {
            throw new Error("You can't send messages because the room is readonly.");
        }
    }
}

function assertSize(ctx: HostContext, text: string | undefined): void {
    const max = ctx.settings.value<number>('Message_MaxAllowedSize') ?? 5000;
    if (text && text.length > max) {
        throw new Error('Message size exceeds Message_MaxAllowedSize [error-message-size-exceeded]');
    }
}

/** Stores a message from `senderId` in its room; returns the stored document. */
export function sendMessage(ctx: HostContext, senderId: string, message: Partial<MessageDoc>): MessageDoc {
    const sender = ctx.users.findById(senderId);
    if (!sender) {
        throw new Error('Invalid user [error-invalid-user]');
    }
    const room = message.rid ? ctx.rooms.findById(message.rid) : undefined;
    if (!room) {
        throw new Error('error-invalid-room');
    }
    assertMaySend(ctx, room, sender);
    assertSize(ctx, message.msg);
    if (message.customFields) {
        validateCustomMessageFields(ctx, message.customFields);
    }
    const now = new Date();
    const stored: MessageDoc = {
        ...message,
        _id: message._id ?? randomId(),
        rid: room._id,
        msg: message.msg ?? '',
        ts: message.ts ?? now,
        // prepareMessageObject: the sender is always the user the message is sent as
        u: Converters.userRef(sender),
        _updatedAt: now,
        mentions: mentionsOf(ctx, message.msg),
    };
    for (const key of Object.keys(stored)) {
        if (stored[key] === undefined) {
            delete stored[key];
        }
    }
    ctx.store.tx(() => {
        ctx.messages.insert(stored);
        ctx.rooms.incrementMessages(room._id, stored.ts);
    });
    return stored;
}

/** Applies an edit (only the given fields) as `editor`, with the checks of updateMessage. */
export function updateMessage(ctx: HostContext, editorId: string, changes: Partial<MessageDoc> & { _id: string }): MessageDoc {
    const editor = ctx.users.findById(editorId);
    if (!editor) {
        throw new Error('Invalid editor assigned to the message for the update.');
    }
    const current = ctx.messages.findById(changes._id);
    if (!current) {
        throw new Error('Message not found');
    }
    const next: MessageDoc = { ...current, ...changes, _id: current._id, rid: current.rid, u: current.u };
    assertSize(ctx, next.msg);
    if (next.customFields) {
        validateCustomMessageFields(ctx, next.customFields);
    }
    next.editedAt = new Date();
    next.editedBy = { _id: editor._id, username: editor.username };
    next._updatedAt = new Date();
    next.mentions = mentionsOf(ctx, next.msg);
    ctx.messages.replace(next);
    return next;
}

/**
 * Rocket.Chat's canDeleteMessageAsync (apps/meteor/app/authorization/server/functions/canDeleteMessage.ts) with the
 * server's default settings (Message_AllowDeleting true, Message_AllowDeleting_BlockDeleteInMinutes 0): the user
 * must access the room; then `force-delete-message` (admin, owner) or `delete-message` (admin, owner, moderator)
 * allow any message, `delete-own-message` (admin, user) one's own. In a read-only room a user without
 * `post-readonly` is refused with an error (not a false), as on the server. The host has no mutes, so no user of a
 * read-only room is "unmuted".
 */
export function canDeleteMessage(ctx: HostContext, user: UserDoc, message: Pick<MessageDoc, 'rid' | 'u' | 'ts'>): boolean {
    const room = ctx.rooms.findById(message.rid);
    if (!room || !ctx.rooms.canAccess(room, user)) {
        return false;
    }
    if (hasMessagePermission(ctx, user, 'force-delete-message', room._id)) {
        return true;
    }
    if (!message.ts) {
        return false;
    }
    const allowed = hasMessagePermission(ctx, user, 'delete-message', room._id) || (user._id === message.u?._id && hasMessagePermission(ctx, user, 'delete-own-message', room._id));
    if (!allowed) {
        return false;
    }
    if (room.ro === true && !hasMessagePermission(ctx, user, 'post-readonly', room._id)) {
        throw new Error("You can't delete messages because the room is readonly.");
    }
    return true;
}

/**
 * Rocket.Chat's deleteMessage(message, user) with the default Message_KeepHistory and Message_ShowDeletedStatus
 * (both false): apps may prevent it (IPreMessageDeletePrevent: `A Rocket.Chat App prevented the message deleting.
 * [error-app-prevented-deleting]`); then the message is removed and the room's message count goes down; then
 * IPostMessageDeleted, fire-and-forget, with the message as it was and `user`. A message no longer stored fires no
 * event, as on the server. The caller checks permissions (the REST route with canDeleteMessage; an app's deleter
 * needs none, as on the server).
 */
export async function deleteMessage(ctx: HostContext, message: Pick<MessageDoc, '_id'>, user: UserDoc): Promise<void> {
    const deleted = ctx.messages.findById(message._id);
    if (deleted && (await messageDeletePrevented(ctx, deleted))) {
        throw new Error('A Rocket.Chat App prevented the message deleting. [error-app-prevented-deleting]');
    }
    if (!deleted) {
        return;
    }
    ctx.store.tx(() => {
        if (ctx.messages.remove(deleted._id)) {
            ctx.rooms.decrementMessages(deleted.rid);
        }
    });
    messageDeleted(ctx, deleted, user);
}
