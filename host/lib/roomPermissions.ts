// Rocket.Chat's room-scoped permissions for the ones the host's REST edits need, with the server's default roles:
// `edit-room`, `remove-user` and `add-user-to-joined-room` go to admin, owner and moderator (the room roles live in
// the caller's subscription); adding someone to a room one is not in takes `add-user-to-any-{c,p}-room` (admin).
// The message permissions deleting needs have their own default roles (MESSAGE_PERMISSION_ROLES).
import type { HostContext } from '../engine/context';
import type { RoomDoc, UserDoc } from '../store/docs';

export type RoomPermission = 'edit-room' | 'remove-user' | 'add-user-to-joined-room';

export function hasRoomPermission(ctx: HostContext, room: RoomDoc, user: UserDoc, _permission: RoomPermission): boolean {
    if (user.roles.includes('admin')) {
        return true;
    }
    const roles = ctx.rooms.subscription(room._id, user._id)?.roles ?? [];
    return roles.includes('owner') || roles.includes('moderator');
}

/** addUsersToRoom's check: members with `add-user-to-joined-room`, anyone else only as admin. */
export function mayAddUsers(ctx: HostContext, room: RoomDoc, user: UserDoc): boolean {
    if (user.roles.includes('admin')) {
        return true;
    }
    return ctx.rooms.isMember(room._id, user._id) && hasRoomPermission(ctx, room, user, 'add-user-to-joined-room');
}

/**
 * The default roles of the message permissions, as the server seeds them (apps/meteor/app/authorization/server/
 * constant/permissions.ts, written by upsertPermissions). A role counts whether the user has it
 * globally (`admin`, `user`, `bot`, `app`) or in the room (`owner`, `moderator`: the subscription's roles), as
 * hasPermissionAsync(uid, permission, rid) counts them.
 */
const MESSAGE_PERMISSION_ROLES = {
    'delete-message': ['admin', 'owner', 'moderator'],
    'delete-own-message': ['admin', 'user'],
    'force-delete-message': ['admin', 'owner'],
    'post-readonly': ['admin', 'owner', 'moderator'],
} as const;

export type MessagePermission = keyof typeof MESSAGE_PERMISSION_ROLES;

export function hasMessagePermission(ctx: HostContext, user: UserDoc, permission: MessagePermission, rid: string): boolean {
    const roles = [...user.roles, ...(ctx.rooms.subscription(rid, user._id)?.roles ?? [])];
    return MESSAGE_PERMISSION_ROLES[permission].some((role) => roles.includes(role));
}
