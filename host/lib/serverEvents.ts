// The server → app events the local host fires when its REST deletes a room or a user or a member leaves, the way
// Rocket.Chat triggers them (Apps.self?.triggerEvent → AppListenerBridge → the engine's listener manager):
//   - deleteRoom(): IPostRoomDeleted with the room as it was, fire-and-forget (the REST answer does not wait);
//   - removeUserFromRoom(): IPostRoomUserLeave with {room, leavingUser, removedBy?}, awaited;
//   - deleteUser(userId, confirmRelinquish, deletedBy): IPostUserDeleted with {user, performedBy}, awaited, and only
//     when there is a `deletedBy` (an admin's deletion; current servers fire nothing when users delete themselves);
//   - deleteMessage(message, user) (apps/meteor/app/lib/server/functions/deleteMessage.ts, through the server's
//     AppListenerBridge.messageEvent): IPreMessageDeletePrevent with the message, awaited, before anything is deleted;
//     IPostMessageDeleted with {message, user} after, fire-and-forget (`void bridges.getListenerBridge().messageEvent(
//     AppEvents.IPostMessageDeleted, deletedMsg, user)`).
// The engine only calls enabled apps that declared the listener (AppListenerManager keeps the list per app), so
// a disabled app misses these, as on a server.
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';

import type { HostContext } from '../engine/context';
import type { MessageDoc, RoomDoc, UserDoc } from '../store/docs';

function fire(ctx: HostContext, event: AppInterface, data: unknown): Promise<unknown> {
    return ctx.manager.getListenerManager().executeListener(event as never, data as never);
}

function logFailure(ctx: HostContext, event: string, error: unknown): void {
    ctx.log.add('error', 'host', `${event} listener failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** After the room is gone from the store: `room` is the document as it was. */
export function roomDeleted(ctx: HostContext, room: RoomDoc): void {
    const appRoom = ctx.convert.roomToApp(room);
    void fire(ctx, AppInterface.IPostRoomDeleted, appRoom).catch((error) => logFailure(ctx, 'IPostRoomDeleted', error));
}

/** After the membership is gone; `removedBy` when someone else removed the member. */
export async function memberLeft(ctx: HostContext, room: RoomDoc, leaving: UserDoc, removedBy?: UserDoc): Promise<void> {
    const context = {
        room: ctx.convert.roomToApp(room),
        leavingUser: ctx.convert.userToApp(leaving),
        ...(removedBy && { removedBy: ctx.convert.userToApp(removedBy) }),
    };
    await fire(ctx, AppInterface.IPostRoomUserLeave, context).catch((error) => logFailure(ctx, 'IPostRoomUserLeave', error));
}

/** After the user is gone from the store: `user` is the document as it was. */
export async function userDeleted(ctx: HostContext, user: UserDoc, performedBy: UserDoc): Promise<void> {
    const context = { user: ctx.convert.userToApp(user), performedBy: ctx.convert.userToApp(performedBy) };
    await fire(ctx, AppInterface.IPostUserDeleted, context).catch((error) => logFailure(ctx, 'IPostUserDeleted', error));
}

/**
 * Before the message is deleted: true when an app prevents it (the engine stops at the first app that does). Any
 * truthy answer prevents, as the server's `if (prevent)` reads it.
 */
export async function messageDeletePrevented(ctx: HostContext, message: MessageDoc): Promise<boolean> {
    return Boolean(await fire(ctx, AppInterface.IPreMessageDeletePrevent, ctx.convert.messageToApp(message)));
}

/**
 * After the message is gone from the store: `message` is the document as it was, `user` who deleted it. The engine
 * hands each app `executePostMessageDeleted(message, read, http, persistence, modify, context)` with `context` =
 * this {message, user} (IMessageDeleteContext) — its listener manager does not await the apps, so neither does this.
 */
export function messageDeleted(ctx: HostContext, message: MessageDoc, user: UserDoc): void {
    const context = { message: ctx.convert.messageToApp(message), user: ctx.convert.userToApp(user) };
    void fire(ctx, AppInterface.IPostMessageDeleted, context).catch((error) => logFailure(ctx, 'IPostMessageDeleted', error));
}
