import { ILogger, IModify, IPersistence, IPersistenceRead, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

/*
 * The one stand-in for the engine's accessors in unit tests: users, rooms with members and roles, app settings,
 * the app's bot, a notifier and a message creator that record what they were asked to deliver, room and user
 * customFields updates, and a logger that records. It behaves like the real server where the app depends on it:
 * customFields updates replace the whole object, the room updater checks the room as ModifyUpdater does, message
 * customFields may be refused. Only what the app calls is there; a call the fake does not know fails loudly.
 */

export interface FakeUser {
    id: string;
    username: string;
    roles?: string[];
    customFields?: Record<string, unknown>;
    /** the user's language, as `settings.preferences.language` */
    language?: string;
}

export interface FakeRoom {
    id: string;
    name: string;
    type: 'c' | 'p' | 'd' | 'l';
    /** the creator's user id; absent as on #general and many direct rooms */
    creator?: string;
    /** default: `name` (the room's slugifiedName) */
    displayName?: string;
    customFields?: Record<string, unknown>;
    members?: string[];
    owners?: string[];
    moderators?: string[];
}

export interface Notification {
    user: IUser;
    message: IMessage;
}

export interface LogEntry {
    level: string;
    items: unknown[];
}

export const BOT: FakeUser = { id: 'bot', username: 'metadata-store.bot', roles: ['bot', 'app'] };

export class FakeEngine {
    readonly users = new Map<string, FakeUser>();
    readonly rooms = new Map<string, FakeRoom>();
    /** app setting id → value */
    readonly settings: Record<string, unknown> = {};
    readonly notifications: Notification[] = [];
    readonly createdRooms: IRoom[] = [];
    /** room messages the app posted (status messages, messages with choices), as posted */
    readonly posted: IMessage[] = [];
    /** every message of the server by id, as it stands now (updates applied, deleted ones gone) */
    readonly messages = new Map<string, IMessage>();
    /** message updates, in the order the server applied them */
    readonly messageUpdates: Array<{ id: string; text?: string; blocks?: unknown[] }> = [];
    /** the customFields of every room and user update, as the server held them after it */
    readonly roomUpdates: Array<{ roomId: string; customFields: Record<string, unknown> }> = [];
    readonly userUpdates: Array<{ userId: string; customFields: Record<string, unknown> }> = [];
    readonly logs: LogEntry[] = [];
    /** the server refuses messages with customFields (Message_CustomFields_Enabled off, its default) */
    refuseMessageCustomFields = false;
    /** the server refuses every room message (a read-only room) */
    refuseAllMessages = false;
    /** user customFields updates throw */
    failUserUpdates = false;
    /** an engine before 1.49, whose room updater sends the whole room rather than the builder's changes */
    wholeRoomUpdates = false;
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
        if (!user) return undefined;
        const iUser: Record<string, unknown> = { id: user.id, username: user.username, roles: user.roles ?? [] };
        if (user.customFields) iUser.customFields = clone(user.customFields);
        if (user.language) iUser.settings = { preferences: { language: user.language } };
        return iUser as unknown as IUser;
    }

    iRoom(id: string): IRoom | undefined {
        const room = this.rooms.get(id);
        if (!room) return undefined;
        const usernames = (room.members ?? []).map((member) => this.users.get(member)?.username ?? member);
        const iRoom: Record<string, unknown> = { id: room.id, slugifiedName: room.name, displayName: room.displayName ?? room.name, type: room.type, usernames };
        if (room.creator) iRoom.creator = this.iUser(room.creator) ?? { id: room.creator };
        if (room.customFields) iRoom.customFields = clone(room.customFields);
        return iRoom as unknown as IRoom;
    }

    /** what the app logged, as the engine's per-call logger */
    get logger(): ILogger {
        const log = (level: string) => (...items: unknown[]) => {
            this.logs.push({ level, items });
        };
        return { debug: log('debug'), info: log('info'), log: log('log'), warn: log('warn'), error: log('error'), success: log('success') } as unknown as ILogger;
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
            getMessageReader: () => ({
                getById: async (id: string) => (this.messages.has(id) ? clone(this.messages.get(id)) : undefined),
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
        const notifier = {
            getMessageBuilder: () => messageBuilder(),
            notifyUser: async (user: IUser, message: IMessage) => {
                if (this.notifyError) throw this.notifyError;
                this.notifications.push({ user, message });
                this.onNotify?.({ user, message });
            },
        };
        const creator = {
            startMessage: () => messageBuilder(),
            startRoom: () => roomBuilder(),
            finish: async (builder: MessageBuilder | RoomBuilder) => (builder.kind === 'message' ? this.postMessage(builder.getMessage()) : this.createRoom(builder)),
        };
        const updater = {
            room: async (roomId: string) => this.roomUpdater(roomId),
            message: async (messageId: string, editor: IUser) => {
                const stored = this.messages.get(messageId);
                if (!stored) throw new Error(`no message ${messageId}`);
                return messageBuilder({ ...clone(stored), editor });
            },
            finish: async (builder: ReturnType<FakeEngine['roomUpdater']> | MessageBuilder) => (
                'kind' in builder && builder.kind === 'message' ? this.updateMessage(builder.getMessage()) : this.finishRoomUpdate(builder as ReturnType<FakeEngine['roomUpdater']>)),
            getUserUpdater: () => ({
                updateCustomFields: async (user: IUser, customFields: Record<string, unknown>) => {
                    if (this.failUserUpdates) throw new Error('user bridge down');
                    const stored = this.users.get(user.id);
                    if (stored) stored.customFields = clone(customFields);
                    this.userUpdates.push({ userId: user.id, customFields: clone(customFields) });
                    return true;
                },
            }),
        };
        const deleter = {
            deleteMessage: async (message: IMessage) => {
                if (message.id) this.messages.delete(message.id);
            },
        };
        return { getNotifier: () => notifier, getCreator: () => creator, getUpdater: () => updater, getDeleter: () => deleter } as unknown as IModify;
    }

    /** The server's update of a message: its text and blocks as the builder holds them. */
    private async updateMessage(message: IMessage): Promise<void> {
        if (!message.id || !this.messages.has(message.id)) throw new Error(`no message ${message.id}`);
        if (!message.editor?.id) throw new Error('Invalid editor assigned to the message for the update.');
        const stored = this.messages.get(message.id) as IMessage;
        this.messages.set(message.id, { ...stored, text: message.text, blocks: clone(message.blocks) } as IMessage);
        this.messageUpdates.push({ id: message.id, text: message.text, blocks: clone(message.blocks) as unknown[] | undefined });
    }

    private async postMessage(message: IMessage): Promise<string> {
        if (this.refuseAllMessages) throw new Error('room is read-only');
        if (message.customFields && this.refuseMessageCustomFields) throw new Error('Custom fields not enabled');
        this.posted.push(message);
        const id = `message-${this.posted.length}`;
        this.messages.set(id, { ...message, id });
        return id;
    }

    private async createRoom(builder: RoomBuilder): Promise<string> {
        if (this.createRoomError) throw this.createRoomError;
        const id = `dm-${this.rooms.size + 1}`;
        const members = builder.members.map((username) => [...this.users.values()].find((u) => u.username === username)?.id ?? username);
        this.addRoom({ id, name: members.join('-'), type: builder.type as FakeRoom['type'], members });
        this.createdRooms.push(this.iRoom(id) as IRoom);
        return id;
    }

    /**
     * As the engine's RoomBuilder over its own copy of the room: from Apps-Engine 1.49 it records its changes
     * (`getChanges`) and finish() sends only those; before, finish() sends the whole room (`wholeRoomUpdates`).
     */
    private roomUpdater(roomId: string) {
        const room = (this.iRoom(roomId) ?? { id: roomId }) as IRoom & { customFields?: Record<string, unknown> };
        let changed: Record<string, unknown> | undefined;
        const builder: { setCustomFields(fields: Record<string, unknown>): unknown; getRoom(): IRoom; getChanges?: () => Record<string, unknown> } = {
            setCustomFields: (fields: Record<string, unknown>) => {
                room.customFields = fields;
                changed = { customFields: clone(fields) };
                return builder;
            },
            getRoom: () => room,
        };
        if (!this.wholeRoomUpdates) builder.getChanges = () => changed ?? {};
        return builder;
    }

    /** ModifyUpdater._finishRoom's check, then the server's $set of what was sent. */
    private async finishRoomUpdate(builder: ReturnType<FakeEngine['roomUpdater']>): Promise<void> {
        const room = builder.getRoom() as IRoom & { customFields?: Record<string, unknown> };
        if (!room.creator?.id) throw new Error('Invalid creator assigned to the room.');
        if (!room.slugifiedName?.trim()) throw new Error('Invalid slugifiedName assigned to the room.');
        if (!room.displayName?.trim()) throw new Error('Invalid displayName assigned to the room.');
        const stored = this.rooms.get(room.id);
        if (!stored) throw new Error(`no room ${room.id}`);
        const sent = builder.getChanges ? builder.getChanges() : room;
        if ('customFields' in sent) stored.customFields = clone(sent.customFields as Record<string, unknown>);
        if (!builder.getChanges) {
            // the whole room goes back: what the check wanted is written into it
            stored.creator = room.creator.id;
            stored.name = room.slugifiedName;
            stored.displayName = room.displayName;
        }
        this.roomUpdates.push({ roomId: room.id, customFields: clone(stored.customFields ?? {}) });
    }
}

interface MessageBuilder {
    kind: 'message';
    getMessage(): IMessage;
}

interface RoomBuilder {
    kind: 'room';
    type: string;
    members: string[];
}

/** The engine's message builder, as far as the app uses it (over a copy of a stored message, for an update). */
function messageBuilder(start: Record<string, unknown> = {}) {
    const message: Record<string, unknown> = start;
    const builder = {
        kind: 'message' as const,
        setRoom: (room: IRoom) => ((message.room = room), builder),
        setSender: (sender: IUser) => ((message.sender = sender), builder),
        setText: (text: string) => ((message.text = text), builder),
        setGroupable: (groupable: boolean) => ((message.groupable = groupable), builder),
        setThreadId: (threadId: string) => ((message.threadId = threadId), builder),
        setBlocks: (blocks: unknown[]) => ((message.blocks = blocks), builder),
        addCustomField: (name: string, value: unknown) => {
            message.customFields = { ...((message.customFields as object) ?? {}), [name]: value };
            return builder;
        },
        getMessage: () => message as unknown as IMessage,
    };
    return builder;
}

/** The engine's room builder for a new (direct) room. */
function roomBuilder() {
    const state = {
        kind: 'room' as const,
        type: '' as string,
        members: [] as string[],
        creator: undefined as IUser | undefined,
        setType(type: string) { state.type = type; return state; },
        setCreator(user: IUser) { state.creator = user; return state; },
        setMembersToBeAddedByUsernames(usernames: string[]) { state.members = usernames; return state; },
    };
    return state;
}

function clone<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
