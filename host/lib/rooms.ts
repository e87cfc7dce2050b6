// Creating rooms the way Rocket.Chat's createChannel / createPrivateGroup / createDirectMessage do, for the room
// bridge (apps creating rooms) and the seed.
import type { HostContext } from '../engine/context';
import type { RoomDoc, RoomKind, RoomRole, UserDoc } from '../store/docs';
import { randomId } from '../store/ids';
import { Converters } from '../engine/converters';

const ROOM_NAME = /^[0-9a-zA-Z-_.]+$/;

export interface CreateRoomInput {
    t: Extract<RoomKind, 'c' | 'p'>;
    name: string;
    /** undefined only for rooms the server itself creates (#general) */
    creator?: UserDoc;
    /** usernames */
    members?: string[];
    ro?: boolean;
    customFields?: Record<string, unknown>;
    extra?: Partial<RoomDoc>;
    _id?: string;
    /** room roles per username (the creator is always owner) */
    roles?: Record<string, RoomRole[]>;
}

export function createRoom(ctx: HostContext, input: CreateRoomInput): RoomDoc {
    if (!ROOM_NAME.test(input.name)) {
        throw new Error(`${input.name} is not a valid room name. [error-invalid-room-name]`);
    }
    return ctx.store.tx(() => {
        if (ctx.rooms.findByName(input.name)) {
            throw new Error(`A channel with name '${input.name}' exists [error-duplicate-channel-name]`);
        }
        const now = new Date();
        const room: RoomDoc = {
            ...input.extra,
            _id: input._id ?? randomId(),
            t: input.t,
            name: input.name,
            fname: input.extra?.fname ?? input.name,
            ...(input.creator && { u: Converters.userRef(input.creator) }),
            ro: Boolean(input.ro),
            ts: now,
            _updatedAt: now,
            msgs: 0,
            usersCount: 0,
            ...(input.customFields && { customFields: input.customFields }),
        };
        ctx.rooms.insert(room);
        if (input.creator) {
            ctx.rooms.addMember(room._id, input.creator, ['owner', ...(input.roles?.[input.creator.username] ?? [])]);
        }
        for (const username of input.members ?? []) {
            const user = ctx.users.findByUsername(username);
            if (user) {
                ctx.rooms.addMember(room._id, user, input.roles?.[username] ?? []);
            }
        }
        return ctx.rooms.findById(room._id) as RoomDoc;
    });
}

/** A direct room between the creator and the given usernames; the existing one when there is one. */
export function createDirect(ctx: HostContext, creatorId: string, usernames: string[]): RoomDoc {
    return ctx.store.tx(() => {
        const creator = ctx.users.findById(creatorId);
        if (!creator) {
            throw new Error('Invalid user [error-invalid-user]');
        }
        const members = [creator, ...usernames.map((u) => ctx.users.findByUsername(u))];
        if (members.some((m) => !m)) {
            throw new Error('Invalid user [error-invalid-user]');
        }
        const unique = Array.from(new Map((members as UserDoc[]).map((m) => [m._id, m])).values());
        const uids = unique.map((m) => m._id).sort();
        const rid = uids.join('');
        const existing = ctx.rooms.findById(rid);
        if (existing) {
            return existing;
        }
        const now = new Date();
        const room: RoomDoc = {
            _id: rid,
            t: 'd',
            uids,
            usernames: unique.map((m) => m.username).sort(),
            ts: now,
            _updatedAt: now,
            msgs: 0,
            usersCount: 0,
        };
        ctx.rooms.insert(room);
        for (const member of unique) {
            ctx.rooms.addMember(rid, member);
        }
        return ctx.rooms.findById(rid) as RoomDoc;
    });
}
