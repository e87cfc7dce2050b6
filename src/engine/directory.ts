import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

import { Directory, RoomEntry, RoomStanding, UserEntry } from '../service/ports';

interface UserRoomIdsReader {
    getUserRoomIds?: (userId: string) => Promise<string[] | undefined>;
}

/** Users and rooms as the engine knows them. */
export function createDirectory(read: IRead): Directory {
    const users = read.getUserReader();
    const rooms = read.getRoomReader();
    // The user's room ids are one small query, where a room's member list can be huge; but
    // getUserRoomIds came with Apps-Engine 1.58, and the app supports servers from 1.35 on.
    const userRoomIds = (users as unknown as UserRoomIdsReader).getUserRoomIds?.bind(users);
    const isMember = async (roomId: string, userId: string): Promise<boolean> => {
        const roomIds = userRoomIds ? await userRoomIds(userId).catch(() => undefined) : undefined;
        if (Array.isArray(roomIds)) return roomIds.includes(roomId);
        return ((await rooms.getMembers(roomId)) ?? []).some((member) => member?.id === userId);
    };
    return {
        // By id and by name side by side; the id wins when both match.
        async findUser(ref) {
            const [byId, byName] = await Promise.all([quietly(() => users.getById(ref)), quietly(() => users.getByUsername(ref))]);
            const user = byId ?? byName;
            return user ? toUserEntry(user) : undefined;
        },
        async findRoom(ref) {
            const [byId, byName] = await Promise.all([quietly(() => rooms.getById(ref)), quietly(() => rooms.getByName(ref))]);
            const room = byId ?? byName;
            return room ? toRoomEntry(room) : undefined;
        },
        async findMessage(id) {
            const message = await quietly(() => read.getMessageReader().getById(id));
            const roomId = message?.room?.id;
            return message?.id && roomId ? { id: message.id, roomId } : undefined;
        },
        isMember,
        async standing(roomId, userId): Promise<RoomStanding> {
            const [member, owners, moderators] = await Promise.all([
                isMember(roomId, userId),
                rooms.getOwners(roomId),
                rooms.getModerators(roomId),
            ]);
            return {
                member,
                owner: (owners ?? []).some((u) => u?.id === userId),
                moderator: (moderators ?? []).some((u) => u?.id === userId),
            };
        },
    };
}

function toUserEntry(user: IUser): UserEntry {
    return { id: user.id, username: user.username, roles: Array.isArray(user.roles) ? user.roles : [] };
}

function toRoomEntry(room: IRoom): RoomEntry {
    return { id: room.id, name: room.slugifiedName || room.displayName || room.id, type: String(room.type) };
}

// Some servers throw rather than answer `undefined` for an unknown id or name; both mean "not found".
async function quietly<T>(lookup: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
        const found = await lookup();
        return found && typeof found === 'object' && 'id' in found && found.id ? found : undefined;
    } catch {
        return undefined;
    }
}
