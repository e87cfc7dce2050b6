import { IRoomBuilder } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

/*
 * WHY SOME ROOMS COULD NOT CARRY THE MIRROR, AND HOW THEY CAN (SPEC §18).
 *
 * `modify.getUpdater().finish(builder)` first checks the builder's room (ModifyUpdater._finishRoom, every engine
 * from 1.35 to 1.62): it refuses a room without `creator.id` ("Invalid creator assigned to the room."), without a
 * `slugifiedName` (not for livechat) or without a `displayName`. Rooms the server made without them:
 *   - `#general` (id GENERAL): created at install with no owner (`u`), so no creator;
 *   - direct rooms: no `name` and no `fname`, so no slugifiedName and no displayName (and no `u` on many servers);
 *   - any room imported or created without an owner.
 * The server side would take the update: its room bridge `$set`s what it is sent (Rocket.Chat's AppRoomBridge
 * .update → convertAppRoom(room, isPartial) → Rooms.updateOne({_id}, {$set})).
 *
 * What the engine sends decides what the app can do:
 *   - Apps-Engine ≥ 1.49 (Rocket.Chat ≥ 7.4, PR #35120): the builder records its changes (`getChanges`) and
 *     finish() sends only `{id, ...changes}`; the check reads the builder's copy of the room. Filling the missing
 *     fields on that copy (never through the builder's setters) satisfies the check and sends nothing but the
 *     customFields: the room's creator, name and display name stay exactly as they were. Every room is reached.
 *   - Older engines send the whole room: a filled-in creator or name would be written into the room (the server
 *     converts `creator` into the room's owner `u`). The app refuses to do that, and such rooms cannot carry the
 *     mirror there; the chat port answers `refused` with what the room lacks, and the mirror tells the writer why
 *     (never only a log line: src/surfaces/mirror/unreachableText.ts).
 */

/** The fields the engine's check wants that this room lacks (empty: it can be updated as it is). */
export function missingForUpdate(room: IRoom): string[] {
    const missing: string[] = [];
    const filled = (text: unknown) => typeof text === 'string' && text.trim() !== '';
    if (room.type !== RoomType.LIVE_CHAT) {
        if (!room.creator?.id) missing.push('creator');
        if (!filled(room.slugifiedName)) missing.push('slugifiedName');
    }
    if (!filled(room.displayName)) missing.push('displayName');
    return missing;
}

/** The engine sends only the builder's changes (Apps-Engine ≥ 1.49). */
export function sendsOnlyChanges(builder: IRoomBuilder): boolean {
    return typeof (builder as unknown as { getChanges?: unknown }).getChanges === 'function';
}

export type Preparation = { ok: true } | { ok: false; missing: string[] };

/**
 * Makes the builder's room pass the engine's check without changing what is sent: only where the engine sends
 * changes, and only on the builder's own copy of the room. `stand-in` is any user (the app's bot): the check only
 * reads `creator.id`, and the creator never leaves the app.
 */
export function prepareRoomUpdate(builder: IRoomBuilder, standIn: IUser): Preparation {
    const room = builder.getRoom();
    const missing = missingForUpdate(room);
    if (missing.length === 0) return { ok: true };
    if (!sendsOnlyChanges(builder)) return { ok: false, missing };
    const copy = room as IRoom & { creator?: IUser };
    if (missing.includes('creator')) copy.creator = standIn;
    if (missing.includes('slugifiedName')) copy.slugifiedName = room.id;
    if (missing.includes('displayName')) copy.displayName = room.slugifiedName?.trim() ? room.slugifiedName : room.id;
    return { ok: true };
}
