// Rocket.Chat's REST endpoints that change a room: rooms.saveRoomSettings (here its customFields) and membership —
// channels.kick / groups.kick (which fire IPostRoomUserLeave with `removedBy`, as removeUserFromRoom does) and
// channels.invite / groups.invite. Same bodies, permissions (server defaults) and
// answers as the server; the change goes to the store, so the engine's room bridge (getMembers, getById) sees it.
import type { Instance } from '../instance';
import { hasRoomPermission, mayAddUsers } from '../lib/roomPermissions';
import { memberLeft } from '../lib/serverEvents';
import type { RoomDoc, UserDoc } from '../store/docs';
import { requireUser } from './rest';
import { failure, Router } from './router';

export function str(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value : undefined;
}

export function roomEditRoutes(instance: Instance): Router {
    const { ctx } = instance;
    const router = new Router();

    // findChannelByIdOrName / findPrivateGroupByIdOrName: a room of that type; a private group only for its
    // members (others get "does not match any group", not a hint that it exists).
    const findRoom = (body: Record<string, unknown>, t: 'c' | 'p', caller: UserDoc): RoomDoc => {
        const id = str(body.roomId);
        const name = str(body.roomName);
        if (!id && !name) {
            throw failure('The parameter "roomId" or "roomName" is required [error-room-param-not-provided]');
        }
        const room = id ? ctx.rooms.findById(id) : ctx.rooms.findByName(name as string);
        const kind = t === 'c' ? 'channel' : 'group';
        if (!room || room.t !== t || (t === 'p' && !ctx.rooms.isMember(room._id, caller._id))) {
            throw failure(`The required "roomId" or "roomName" param provided does not match any ${kind} [error-room-not-found]`);
        }
        return room;
    };


    // removeUserFromRoom: `remove-user` in the room; the target must be a member; the last owner cannot be removed.
    const kick = (room: RoomDoc, caller: UserDoc, target: UserDoc): void => {
        if (!hasRoomPermission(ctx, room, caller, 'remove-user')) {
            throw failure('Not allowed [error-not-allowed]', { errorType: 'error-not-allowed' });
        }
        removeFromRoom(ctx, room, target, 'User is not in this room');
    };

    // addUsersToRoom: members with `add-user-to-joined-room`, or an admin; adding a member again changes nothing.
    const invite = (room: RoomDoc, caller: UserDoc, target: UserDoc): void => {
        if (!mayAddUsers(ctx, room, caller)) {
            throw failure('Not allowed [error-not-allowed]', { errorType: 'error-not-allowed' });
        }
        if (!ctx.rooms.isMember(room._id, target._id)) {
            ctx.rooms.addMember(room._id, target);
        }
    };

    for (const [prefix, t, key] of [['channels', 'c', 'channel'], ['groups', 'p', 'group']] as const) {
        router.post(`/api/v1/${prefix}.kick`, async (rc) => {
            const caller = requireUser(rc);
            const body = await rc.json();
            const room = findRoom(body, t, caller);
            const target = userFromParams(ctx, body);
            kick(room, caller, target);
            await memberLeft(ctx, room, target, caller);
            // channels.kick answers with the channel, groups.kick with nothing
            return t === 'c' ? { channel: ctx.rooms.findById(room._id), success: true } : { success: true };
        });

        router.post(`/api/v1/${prefix}.invite`, async (rc) => {
            const caller = requireUser(rc);
            const body = await rc.json();
            const room = findRoom(body, t, caller);
            invite(room, caller, userFromParams(ctx, body));
            return { [key]: ctx.rooms.findById(room._id), success: true };
        });
    }

    // `{rid, roomCustomFields}`; needs `edit-room`. Like saveRoomCustomFields, the object REPLACES the room's
    // customFields (Rooms.setCustomFieldsById). Only roomCustomFields is supported: other settings are refused.
    router.post('/api/v1/rooms.saveRoomSettings', async (rc) => {
        const caller = requireUser(rc);
        const body = await rc.json();
        const { rid, ...settings } = body;
        if (typeof rid !== 'string') {
            throw failure('Match error: Expected string, got ' + typeof rid + ' in field rid');
        }
        const unsupported = Object.keys(settings).filter((k) => k !== 'roomCustomFields');
        if (unsupported.length) {
            throw failure(`The local host's rooms.saveRoomSettings only saves roomCustomFields, not ${unsupported.join(', ')}`);
        }
        const room = ctx.rooms.findById(rid);
        if (!room) {
            throw failure('Invalid room [error-invalid-room]', { errorType: 'error-invalid-room' });
        }
        if (!hasRoomPermission(ctx, room, caller, 'edit-room')) {
            throw failure('Editing room is not allowed [error-action-not-allowed]', { errorType: 'error-action-not-allowed' });
        }
        if ('roomCustomFields' in settings) {
            const fields = settings.roomCustomFields;
            if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
                throw failure('Invalid roomCustomFields type [invalid-roomCustomFields-type]', { errorType: 'invalid-roomCustomFields-type' });
            }
            ctx.rooms.set(room._id, { customFields: fields as Record<string, unknown> });
        }
        return { rid: room._id, success: true };
    });

    return router;
}

/** removeUserFromRoom's own checks: the user must be a member (`notInRoom` says so), and the last owner cannot go. */
export function removeFromRoom(ctx: Instance['ctx'], room: RoomDoc, user: UserDoc, notInRoom: string): void {
    const subscription = ctx.rooms.subscription(room._id, user._id);
    if (!subscription) {
        throw failure(`${notInRoom} [error-user-not-in-room]`, { errorType: 'error-user-not-in-room' });
    }
    if (subscription.roles.includes('owner') && ctx.rooms.memberIdsWithRole(room._id, 'owner').length === 1) {
        throw failure('You are the last owner. Please set new owner before leaving the room. [error-you-are-last-owner]', { errorType: 'error-you-are-last-owner' });
    }
    ctx.rooms.removeMember(room._id, user._id);
}

/** The API's getUserFromParams: the user named by `userId` or `username`. */
export function userFromParams(ctx: Instance['ctx'], body: Record<string, unknown>): UserDoc {
    const id = str(body.userId);
    const username = str(body.username);
    if (!id && !username) {
        throw failure('The required "userId" or "username" param was not provided [error-user-param-not-provided]');
    }
    const user = id ? ctx.users.findById(id) : ctx.users.findByUsername(username as string);
    if (!user) {
        throw failure('The required "userId" or "username" param provided does not match any users [error-invalid-user]');
    }
    return user;
}
