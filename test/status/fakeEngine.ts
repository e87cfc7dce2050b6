import { ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Item } from '../../src/core/types';
import { ChangeNotice } from '../../src/service/types';
import { AppSettingsValues, DEFAULT_SETTINGS } from '../../src/settings';

/**
 * Just enough of the engine's accessors for the surfaces, behaving like the real server where it
 * matters: room and user customFields updates replace the whole object, a room without a creator
 * cannot be updated, and message customFields may be refused.
 */
export interface FakeRoom {
    id: string;
    slugifiedName: string;
    displayName?: string;
    creator?: { id: string };
    customFields?: Record<string, unknown>;
}

export interface FakeUser {
    id: string;
    username: string;
    roles?: string[];
    customFields?: Record<string, unknown>;
    settings?: { preferences?: { language?: string } };
}

export interface FakeOptions {
    rooms?: FakeRoom[];
    users?: FakeUser[];
    appUser?: FakeUser | null;
    refuseMessageCustomFields?: boolean;
    refuseAllMessages?: boolean;
    failUserUpdates?: boolean;
    /** an engine before 1.49, whose room updater sends the whole room */
    wholeRoomUpdates?: boolean;
}

export function fakeEngine(options: FakeOptions = {}) {
    const rooms = new Map((options.rooms ?? []).map((room) => [room.id, room]));
    const users = new Map((options.users ?? []).map((user) => [user.id, user]));
    const appUser = options.appUser === undefined ? { id: 'bot', username: 'metadata-store.bot' } : options.appUser;
    const posted: IMessage[] = [];
    const notified: Array<{ user: IUser; message: IMessage }> = [];
    const roomUpdates: Array<{ roomId: string; customFields: Record<string, unknown> }> = [];
    const userUpdates: Array<{ userId: string; customFields: Record<string, unknown> }> = [];
    const logs: Array<{ level: string; items: unknown[] }> = [];

    const messageBuilder = () => {
        const message: Record<string, unknown> = {};
        const builder = {
            setRoom: (room: IRoom) => ((message.room = room), builder),
            setSender: (sender: IUser) => ((message.sender = sender), builder),
            setText: (text: string) => ((message.text = text), builder),
            setGroupable: (groupable: boolean) => ((message.groupable = groupable), builder),
            setThreadId: (threadId: string) => ((message.threadId = threadId), builder),
            addCustomField: (name: string, value: unknown) => {
                message.customFields = { ...((message.customFields as object) ?? {}), [name]: value };
                return builder;
            },
            getMessage: () => message as unknown as IMessage,
        };
        return builder;
    };

    const read = {
        getRoomReader: () => ({ getById: async (id: string) => clone(rooms.get(id)) }),
        getUserReader: () => ({
            getById: async (id: string) => clone(users.get(id)),
            getAppUser: async () => appUser ?? undefined,
        }),
    } as unknown as IRead;

    const modify = {
        getCreator: () => ({
            startMessage: messageBuilder,
            finish: async (builder: ReturnType<typeof messageBuilder>) => {
                const message = builder.getMessage();
                if (options.refuseAllMessages) throw new Error('room is read-only');
                if (message.customFields && options.refuseMessageCustomFields) throw new Error('Custom fields not enabled');
                posted.push(message);
                return 'message-id';
            },
        }),
        getNotifier: () => ({
            getMessageBuilder: messageBuilder,
            notifyUser: async (user: IUser, message: IMessage) => {
                notified.push({ user, message });
            },
        }),
        getUpdater: () => ({
            // As the engine's RoomBuilder: from Apps-Engine 1.49 it records its changes (getChanges) and finish() sends
            // only those; before, finish() sends the whole room (`wholeRoomUpdates`).
            room: async (roomId: string) => {
                const room = clone(rooms.get(roomId)) ?? ({ id: roomId } as FakeRoom);
                let customFieldsChanged = false;
                const builder: Record<string, unknown> = {
                    setCustomFields: (fields: Record<string, unknown>) => ((room.customFields = fields), (customFieldsChanged = true), builder),
                    getRoom: () => room,
                };
                if (!options.wholeRoomUpdates) builder.getChanges = () => (customFieldsChanged ? { customFields: clone(room.customFields) } : {});
                return builder;
            },
            // ModifyUpdater._finishRoom's check, then the server's $set of what was sent.
            finish: async (builder: { getRoom(): FakeRoom; getChanges?: () => Partial<FakeRoom> }) => {
                const room = builder.getRoom();
                if (!room.creator?.id) throw new Error('Invalid creator assigned to the room.');
                if (!room.slugifiedName?.trim()) throw new Error('Invalid slugifiedName assigned to the room.');
                if (!room.displayName?.trim()) throw new Error('Invalid displayName assigned to the room.');
                const sent = builder.getChanges ? { id: room.id, ...builder.getChanges() } : room;
                rooms.set(room.id, { ...rooms.get(room.id)!, ...clone(sent) });
                roomUpdates.push({ roomId: room.id, customFields: clone(rooms.get(room.id)!.customFields ?? {})! });
            },
            getUserUpdater: () => ({
                updateCustomFields: async (user: FakeUser, customFields: Record<string, unknown>) => {
                    if (options.failUserUpdates) throw new Error('user bridge down');
                    users.set(user.id, { ...user, customFields: clone(customFields) });
                    userUpdates.push({ userId: user.id, customFields: clone(customFields)! });
                    return true;
                },
            }),
        }),
    } as unknown as IModify;

    const log = (level: string) => (...items: unknown[]) => logs.push({ level, items });
    const logger = {
        debug: log('debug'),
        info: log('info'),
        log: log('log'),
        warn: log('warn'),
        error: log('error'),
        success: log('success'),
    } as unknown as ILogger;

    return { read, modify, logger, rooms, users, posted, notified, roomUpdates, userUpdates, logs };
}

export function settings(overrides: Partial<AppSettingsValues> = {}): AppSettingsValues {
    return { ...DEFAULT_SETTINGS, ...overrides };
}

export function item(key: string, value: Item['value'], visibility: Item['visibility'] = 'private', revision = 1): Item {
    return { key, value, visibility, revision, updatedAt: '2024-05-01T10:00:00.000Z', updatedBy: 'u-alice' };
}

export function notice(overrides: Partial<ChangeNotice> = {}): ChangeNotice {
    return {
        subject: { namespace: 'room', id: 'r-1', name: 'planning' },
        actor: { id: 'u-alice', username: 'alice', roles: ['user'] },
        at: '2024-05-01T10:00:00.000Z',
        majorRevision: 3,
        changed: [],
        removed: [],
        stateChanged: [],
        set: { majorRevision: 3, items: [] },
        state: {},
        ...overrides,
    };
}

function clone<T>(value: T): T {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
