import { IModify, IPersistence, IPersistenceRead, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

/*
 * A small stand-in for the engine's accessors: users, rooms with members and roles, app settings,
 * the app's bot, and a notifier that records what it was asked to deliver. Only what the app calls
 * is there; everything else is absent, so a call the fake does not know fails loudly.
 */

export interface FakeUser {
    id: string;
    username: string;
    roles?: string[];
}

export interface FakeRoom {
    id: string;
    name: string;
    type: 'c' | 'p' | 'd' | 'l';
    members?: string[];
    owners?: string[];
    moderators?: string[];
}

export interface Notification {
    user: IUser;
    message: IMessage;
}

export const BOT: FakeUser = { id: 'bot', username: 'metadata-store.bot', roles: ['bot', 'app'] };

export class FakeEngine {
    readonly users = new Map<string, FakeUser>();
    readonly rooms = new Map<string, FakeRoom>();
    /** app setting id → value */
    readonly settings: Record<string, unknown> = {};
    readonly notifications: Notification[] = [];
    readonly createdRooms: IRoom[] = [];
    bot: FakeUser | undefined = BOT;
    /** when set, notifyUser throws it */
    notifyError: Error | undefined;
    /** called on every delivered notification (benchmarks time them) */
    onNotify: ((notification: Notification) => void) | undefined;
    /** when set, room creation throws it */
    createRoomError: Error | undefined;
    persistenceRead: IPersistenceRead | undefined;
    persistence: IPersistence | undefined;

    constructor(setup: { users?: FakeUser[]; rooms?: FakeRoom[] } = {}) {
        for (const user of setup.users ?? []) this.addUser(user);
        for (const room of setup.rooms ?? []) this.addRoom(room);
        if (this.bot) this.addUser(this.bot);
    }

    addUser(user: FakeUser): this {
        this.users.set(user.id, { roles: ['user'], ...user });
        return this;
    }

    addRoom(room: FakeRoom): this {
        this.rooms.set(room.id, { members: [], owners: [], moderators: [], ...room });
        return this;
    }

    join(roomId: string, userId: string): this {
        this.rooms.get(roomId)?.members?.push(userId);
        return this;
    }

    leave(roomId: string, userId: string): this {
        const room = this.rooms.get(roomId);
        if (room) room.members = (room.members ?? []).filter((id) => id !== userId);
        return this;
    }

    iUser(id: string): IUser | undefined {
        const user = this.users.get(id);
        return user ? ({ id: user.id, username: user.username, roles: user.roles ?? [] } as unknown as IUser) : undefined;
    }

    iRoom(id: string): IRoom | undefined {
        const room = this.rooms.get(id);
        if (!room) return undefined;
        const usernames = (room.members ?? []).map((member) => this.users.get(member)?.username ?? member);
        return { id: room.id, slugifiedName: room.name, displayName: room.name, type: room.type, usernames } as unknown as IRoom;
    }

    /** notifications delivered to one user, as the event objects they carried */
    eventsOf(userId: string): Array<Record<string, unknown>> {
        return this.notifications
            .filter((n) => n.user.id === userId)
            .map((n) => n.message.customFields?.metadataEvent as Record<string, unknown>);
    }

    get read(): IRead {
        const byUsername = (username: string) => [...this.users.values()].find((u) => u.username === username);
        const byName = (name: string) => [...this.rooms.values()].find((r) => r.name === name);
        const usersOf = (ids: string[] | undefined) => (ids ?? []).map((id) => this.iUser(id)).filter(Boolean);
        const reader = {
            getUserReader: () => ({
                getById: async (id: string) => this.iUser(id),
                getByUsername: async (username: string) => this.iUser(byUsername(username)?.id ?? ''),
                getAppUser: async () => (this.bot ? this.iUser(this.bot.id) : undefined),
                getUserRoomIds: async (userId: string) =>
                    [...this.rooms.values()].filter((r) => (r.members ?? []).includes(userId)).map((r) => r.id),
            }),
            getRoomReader: () => ({
                getById: async (id: string) => this.iRoom(id),
                getByName: async (name: string) => this.iRoom(byName(name)?.id ?? ''),
                getMembers: async (roomId: string) => usersOf(this.rooms.get(roomId)?.members),
                getOwners: async (roomId: string) => usersOf(this.rooms.get(roomId)?.owners),
                getModerators: async (roomId: string) => usersOf(this.rooms.get(roomId)?.moderators),
                getDirectByUsernames: async (usernames: string[]) => {
                    const ids = usernames.map((name) => byUsername(name)?.id);
                    const room = [...this.rooms.values()].find((r) => r.type === 'd'
                        && (r.members ?? []).length === ids.length && ids.every((id) => id && (r.members ?? []).includes(id)));
                    return room ? this.iRoom(room.id) : undefined;
                },
            }),
            getEnvironmentReader: () => ({
                getSettings: () => ({
                    getValueById: async (id: string) => this.settings[id],
                    getById: async (id: string) => ({ id, value: this.settings[id] }),
                }),
            }),
            getPersistenceReader: () => {
                if (!this.persistenceRead) throw new Error('FakeEngine: no persistence connected');
                return this.persistenceRead;
            },
        };
        return reader as unknown as IRead;
    }

    get modify(): IModify {
        const modifier = {
            getNotifier: () => ({
                notifyUser: async (user: IUser, message: IMessage) => {
                    if (this.notifyError) throw this.notifyError;
                    this.notifications.push({ user, message });
                    this.onNotify?.({ user, message });
                },
            }),
            getCreator: () => creator,
        };
        const creator = {
            startRoom: () => roomBuilder(),
            finish: async (builder: ReturnType<typeof roomBuilder>) => {
                if (this.createRoomError) throw this.createRoomError;
                const id = `dm-${this.rooms.size + 1}`;
                const members = builder.members.map((username) => [...this.users.values()].find((u) => u.username === username)?.id ?? username);
                this.addRoom({ id, name: members.join('-'), type: builder.type as FakeRoom['type'], members });
                this.createdRooms.push(this.iRoom(id) as IRoom);
                return id;
            },
        };
        const roomBuilder = () => {
            const state = {
                type: '' as string,
                members: [] as string[],
                creator: undefined as IUser | undefined,
                setType(type: string) { state.type = type; return state; },
                setCreator(user: IUser) { state.creator = user; return state; },
                setMembersToBeAddedByUsernames(usernames: string[]) { state.members = usernames; return state; },
            };
            return state;
        };
        return modifier as unknown as IModify;
    }
}
