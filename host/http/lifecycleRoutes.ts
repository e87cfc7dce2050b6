// Rocket.Chat's REST endpoints that end rooms, users and memberships, with the server-side events they fire
// (host/lib/serverEvents.ts): rooms.delete, channels.delete / groups.delete, channels.leave / groups.leave and
// users.delete. Same bodies, default permissions and answers as the server, as far as the host models them.
import type { Instance } from '../instance';
import { memberLeft, roomDeleted, userDeleted } from '../lib/serverEvents';
import type { RoomDoc, UserDoc } from '../store/docs';
import { requireUser } from './rest';
import { removeFromRoom, str, userFromParams } from './roomEdits';
import { failure, Router } from './router';

export function lifecycleRoutes(instance: Instance): Router {
    const { ctx } = instance;
    const router = new Router();

    // deleteRoom: `delete-c` / `delete-p` / `delete-d`, by default admins and the room's owners. The room, its
    // memberships and messages go; then IPostRoomDeleted, fire-and-forget.
    const deleteRoom = (room: RoomDoc, caller: UserDoc): void => {
        const owner = ctx.rooms.subscription(room._id, caller._id)?.roles.includes('owner') ?? false;
        if (!caller.roles.includes('admin') && !(owner && room.t !== 'd')) {
            throw failure('Not allowed [error-not-allowed]', { errorType: 'error-not-allowed' });
        }
        ctx.rooms.remove(room._id);
        roomDeleted(ctx, room);
    };

    // rooms.delete {roomId}: any type of room.
    router.post('/api/v1/rooms.delete', async (rc) => {
        const caller = requireUser(rc);
        const body = await rc.json();
        const id = str(body.roomId);
        if (!id) {
            throw failure("The 'roomId' param is required [error-invalid-params]", { errorType: 'error-invalid-params' });
        }
        const room = ctx.rooms.findById(id);
        if (!room || (room.t === 'p' && !ctx.rooms.isMember(room._id, caller._id) && !caller.roles.includes('admin'))) {
            throw failure('Invalid room [error-invalid-room]', { errorType: 'error-invalid-room' });
        }
        deleteRoom(room, caller);
        return { success: true };
    });

    for (const [prefix, t, kind] of [['channels', 'c', 'channel'], ['groups', 'p', 'group']] as const) {
        const findRoom = (body: Record<string, unknown>, caller: UserDoc): RoomDoc => {
            const id = str(body.roomId);
            const name = str(body.roomName);
            if (!id && !name) {
                throw failure('The parameter "roomId" or "roomName" is required [error-room-param-not-provided]');
            }
            const room = id ? ctx.rooms.findById(id) : ctx.rooms.findByName(name as string);
            if (!room || room.t !== t || (t === 'p' && !ctx.rooms.isMember(room._id, caller._id))) {
                throw failure(`The required "roomId" or "roomName" param provided does not match any ${kind} [error-room-not-found]`);
            }
            return room;
        };

        router.post(`/api/v1/${prefix}.delete`, async (rc) => {
            const caller = requireUser(rc);
            const room = findRoom(await rc.json(), caller);
            deleteRoom(room, caller);
            return { success: true };
        });

        // removeUserFromRoom for oneself: the last owner cannot leave; then IPostRoomUserLeave.
        router.post(`/api/v1/${prefix}.leave`, async (rc) => {
            const caller = requireUser(rc);
            const room = findRoom(await rc.json(), caller);
            removeFromRoom(ctx, room, caller, 'You are not in this room');
            await memberLeft(ctx, room, caller);
            return t === 'c' ? { channel: ctx.rooms.findById(room._id), success: true } : { success: true };
        });
    }

    // users.delete {userId | username}: `delete-user` (admins); not the app's own user. Like deleteUser(): the user's
    // direct rooms and memberships go without room events, then IPostUserDeleted with the admin as performedBy.
    router.post('/api/v1/users.delete', async (rc) => {
        const caller = requireUser(rc);
        const body = await rc.json();
        if (!caller.roles.includes('admin')) {
            throw failure('User does not have the permissions required for this action [error-unauthorized]', { errorType: 'error-unauthorized' });
        }
        const user = userFromParams(ctx, body);
        if (user.type === 'app') {
            throw failure('Deleting app user is not allowed [error-cannot-delete-app-user]', { errorType: 'error-cannot-delete-app-user' });
        }
        for (const room of ctx.rooms.list({ types: ['d'] })) {
            if (room.uids?.includes(user._id)) {
                ctx.rooms.remove(room._id);
            }
        }
        ctx.users.remove(user._id);
        await userDeleted(ctx, user, caller);
        return { success: true };
    });

    // The host's own (not Rocket.Chat's): the app persistence records whose associations mention `contains` (admins),
    // so a test can see that a purge left nothing behind. `{records: [{associations, data}]}`.
    router.get('/api/v1/host.persistence', async (rc) => {
        const caller = requireUser(rc);
        if (!caller.roles.includes('admin')) {
            throw failure('Admins only [error-not-allowed]', { errorType: 'error-not-allowed' });
        }
        const contains = str(rc.query.contains) ?? '';
        const rows = ctx.store.db
            .prepare<[string], { associations: string | null; data: string }>('SELECT associations, data FROM app_persistence WHERE instr(associations, ?) > 0 ORDER BY seq')
            .all(contains);
        return { records: rows.map((row) => ({ associations: JSON.parse(row.associations ?? '[]'), data: JSON.parse(row.data) })), success: true };
    });

    return router;
}
