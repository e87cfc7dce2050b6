import { IHttp, ILogger, IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { describe, expect, it, vi } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import { Caller, MetadataService } from '../../src/service/types';
import { MetaCommand } from '../../src/surfaces/command/MetaCommand';
import { FakeEngine } from '../support/fakeEngine';
import { item, view } from './views';

/** The sender as the engine hands it to a slash command (an IUser). */
interface Sender {
    id: string;
    username: string;
    roles: string[];
    settings?: { preferences?: { language?: string } };
}

const bob: Sender = { id: 'u-bob', username: 'bob', roles: ['user'] };
const room = { id: 'ROOM1', slugifiedName: 'planning', creator: { id: 'u-owner' } };

function context(args: string[], sender: Sender = bob, threadId?: string): SlashCommandContext {
    return {
        getSender: () => sender,
        getRoom: () => room,
        getArguments: () => args,
        getThreadId: () => threadId,
        getTriggerId: () => 'TRIGGER1',
    } as unknown as SlashCommandContext;
}

function fakeService(overrides: Partial<MetadataService> = {}): MetadataService {
    const unused = async () => {
        throw new Error('not expected in this test');
    };
    return {
        get: unused,
        set: unused,
        update: unused,
        remove: unused,
        merge: unused,
        state: unused,
        subscribe: unused,
        unsubscribe: unused,
        subscriptions: unused,
        ...overrides,
    } as MetadataService;
}

/** The engine hands the command an app whose getLogger() is the current call's logger. */
function appWithLogger(logger: ILogger): IApp {
    return { getLogger: () => logger } as unknown as IApp;
}

async function run(args: string[], service: MetadataService, sender: Sender = bob, threadId?: string) {
    const engine = new FakeEngine({ rooms: [{ id: room.id, name: room.slugifiedName, type: 'c', creator: 'u-owner' }] });
    const command = new MetaCommand(appWithLogger(engine.logger), () => service);
    await command.executor(context(args, sender, threadId), engine.read, engine.modify, {} as IHttp, {} as IPersistence);
    return engine;
}

describe('/meta as a slash command', () => {
    it('registers as /meta with translated description and example, without preview', () => {
        const command = new MetaCommand(appWithLogger(new FakeEngine().logger), () => fakeService());
        expect(command).toMatchObject({
            command: 'meta',
            i18nDescription: 'Meta_Command_Description',
            i18nParamsExample: 'Meta_Command_Params',
            providesPreview: false,
        });
    });

    it('acts for the user who typed it', async () => {
        const get = vi.fn(async (_caller: Caller) => view([item('theme', 'dark')]));
        await run(['get'], fakeService({ get }));
        expect(get).toHaveBeenCalledWith({ id: 'u-bob', username: 'bob', roles: ['user'] }, { namespace: 'user', ref: 'me' }, undefined);
    });

    it('replies only to the caller, from the app bot, in the room typed in', async () => {
        const engine = await run(['get'], fakeService({ get: async () => view([item('theme', 'dark')]) }));
        expect(engine.posted).toEqual([]);
        expect(engine.notifications).toHaveLength(1);
        const [{ user, message }] = engine.notifications;
        expect(user.id).toBe('u-bob');
        expect(message.sender.username).toBe('metadata-store.bot');
        expect(message.room.id).toBe('ROOM1');
        expect(message.text).toContain('theme');
    });

    it('replies in the thread the command was typed in', async () => {
        const engine = await run(['help'], fakeService(), bob, 'THREAD1');
        expect(engine.notifications[0].message.threadId).toBe('THREAD1');
    });

    it('without arguments opens the panel of the room (SPEC §17), and replies nothing', async () => {
        const engine = new FakeEngine({ rooms: [{ id: room.id, name: room.slugifiedName, type: 'c', creator: 'u-owner' }] });
        const openPanel = vi.fn(async () => undefined);
        const command = new MetaCommand(appWithLogger(engine.logger), () => fakeService(), openPanel);
        await command.executor(context([]), engine.read, engine.modify, {} as IHttp, {} as IPersistence);
        expect(openPanel).toHaveBeenCalledWith(expect.anything(), bob, room, 'TRIGGER1', expect.anything(), expect.anything(), {}, {});
        expect(engine.notifications).toEqual([]);
    });

    it('without arguments and no panel to open, shows the help', async () => {
        const engine = new FakeEngine({ rooms: [{ id: room.id, name: room.slugifiedName, type: 'c', creator: 'u-owner' }] });
        const failing = vi.fn(async () => { throw new Error('no ui.interact'); });
        const command = new MetaCommand(appWithLogger(engine.logger), () => fakeService(), failing);
        await command.executor(context([]), engine.read, engine.modify, {} as IHttp, {} as IPersistence);
        expect(engine.notifications[0].message.text).toContain('/meta set [TARGET] KEY=VALUE');
        expect((await run([], fakeService())).notifications[0].message.text).toContain('/meta set [TARGET] KEY=VALUE');
    });

    it('shows help from the translations', async () => {
        const engine = await run(['help'], fakeService());
        expect(engine.notifications[0].message.text).toContain('/meta set [TARGET] KEY=VALUE');
    });

    it('answers in the caller\'s language', async () => {
        const engine = await run(['help'], fakeService(), { ...bob, settings: { preferences: { language: 'de' } } });
        expect(engine.notifications[0].message.text).toContain('SCHLÜSSEL=WERT');
    });

    it('subscribes with delivery in the room the command was typed in', async () => {
        const subscribe = vi.fn(async () => ({
            subject: { namespace: 'user' as const, id: 'u-alice', name: 'alice' },
            roomId: 'ROOM1',
            createdAt: '2024-05-01T10:00:00Z',
        }));
        const engine = await run(['subscribe', '@alice'], fakeService({ subscribe }));
        expect(subscribe).toHaveBeenCalledWith(expect.anything(), { namespace: 'user', ref: 'alice' }, 'ROOM1');
        expect(engine.notifications[0].message.text).toContain('Subscribed to @alice');
    });

    it('tells the caller what to fix when the command is malformed, without calling the service', async () => {
        const set = vi.fn();
        const engine = await run(['set', 'theme'], fakeService({ set }));
        expect(set).not.toHaveBeenCalled();
        expect(engine.notifications[0].message.text).toContain('`theme` needs a value');
    });

    it('turns a service error into its explanation', async () => {
        const service = fakeService({
            set: async () => {
                throw new MetadataError('revision_conflict', 'conflict', { majorRevision: 9, items: [{ key: 'theme', revision: 4 }] });
            },
        });
        const engine = await run(['set', 'theme=dark', '--rev', 'theme=3'], service);
        expect(engine.notifications[0].message.text).toContain('`--rev theme=4`');
    });

    it('apologises for an unexpected failure and logs it, without a stack trace in the reply', async () => {
        const service = fakeService({
            get: async () => {
                throw new TypeError('boom at Object.<anonymous> (/app/x.js:1:1)');
            },
        });
        const engine = await run(['get'], service);
        const text = engine.notifications[0].message.text!;
        expect(text).toMatch(/^Sorry/);
        expect(text).not.toContain('boom');
        expect(engine.logs.some((entry) => entry.level === 'error')).toBe(true);
    });
});
