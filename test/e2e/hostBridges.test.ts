// The host's bridges on their own (no engine, no Deno): they must behave like Rocket.Chat's, because the e2e
// suites trust them to show what a real server would do to the app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HostMessageBridge } from '../../host/bridges/MessageBridge';
import { HostPersistenceBridge } from '../../host/bridges/PersistenceBridge';
import { HostRoomBridge } from '../../host/bridges/RoomBridge';
import { HostServerSettingBridge } from '../../host/bridges/ServerSettingBridge';
import { HostUserBridge } from '../../host/bridges/UserBridge';
import { DEFAULT_PERSISTENCE_SWITCHES, HostContext, type PersistenceSwitches } from '../../host/engine/context';
import { parseParameters } from '../../host/lib/parseParameters';
import { seed, SEED_ROOMS, SEED_USERS } from '../../host/seed';
import { Store } from '../../host/store/Store';

type Assoc = { model: string; id: string };

/** The bridges' protected methods, as the engine's do* wrappers call them (permission checks aside). */
interface Persistence {
    create(data: object, appId: string): Promise<string>;
    createWithAssociations(data: object, associations: Assoc[], appId: string): Promise<string>;
    readById(id: string, appId: string): Promise<object>;
    readByAssociations(associations: Assoc[], appId: string): Promise<object[]>;
    remove(id: string, appId: string): Promise<object | undefined>;
    removeByAssociations(associations: Assoc[], appId: string): Promise<object[] | undefined>;
    update(id: string, data: object, upsert: boolean, appId: string): Promise<string>;
    updateByAssociations(associations: Assoc[], data: object, upsert: boolean, appId: string): Promise<string>;
    purge(appId: string): Promise<void>;
}

const APP = 'app-under-test';
const user = (id: string): Assoc => ({ model: 'user', id });
const misc = (id: string): Assoc => ({ model: 'misc', id });

let dir: string;
let store: Store;

function context(switches: Partial<PersistenceSwitches> = {}): HostContext {
    const ctx = new HostContext(store, 'test', 0, { ...DEFAULT_PERSISTENCE_SWITCHES, ...switches });
    seed(ctx, { siteUrl: 'http://127.0.0.1:0' });
    return ctx;
}

function persistence(switches: Partial<PersistenceSwitches> = {}): Persistence {
    return new HostPersistenceBridge(context(switches)) as unknown as Persistence;
}

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-bridges-'));
    store = new Store(dir);
});

afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('persistence bridge: Rocket.Chat semantics', () => {
    it('reads by associations with $all: every given association, any order, extra ones allowed', async () => {
        const p = persistence();
        await p.createWithAssociations({ n: 1 }, [misc('a'), user('u1')], APP);
        await p.createWithAssociations({ n: 2 }, [user('u1'), misc('b')], APP);
        await p.createWithAssociations({ n: 3 }, [misc('a')], APP);
        expect(await p.readByAssociations([user('u1')], APP)).toEqual([{ n: 1 }, { n: 2 }]);
        expect(await p.readByAssociations([user('u1'), misc('a')], APP)).toEqual([{ n: 1 }]);
        expect(await p.readByAssociations([misc('a')], APP)).toEqual([{ n: 1 }, { n: 3 }]);
        expect(await p.readByAssociations([], APP)).toEqual([]);
        expect(await p.readByAssociations([user('u1')], 'another-app')).toEqual([]);
    });

    it('compares an association as a whole document, field order included (as Mongo does)', async () => {
        const p = persistence();
        await p.createWithAssociations({ n: 1 }, [{ model: 'user', id: 'u1' }], APP);
        expect(await p.readByAssociations([{ id: 'u1', model: 'user' } as Assoc], APP)).toEqual([]);
    });

    it('updateByAssociations matches the exact array (order and length), upserting a new record otherwise', async () => {
        const p = persistence({ updateByAssociations: 'returns-id' });
        const id = await p.updateByAssociations([misc('a'), user('u1')], { v: 1 }, true, APP);
        expect(id).toMatch(/^[0-9a-f]{24}$/);
        expect(await p.updateByAssociations([misc('a'), user('u1')], { v: 2 }, true, APP)).toBe('');
        // another order is another array: a second record
        expect(await p.updateByAssociations([user('u1'), misc('a')], { v: 3 }, true, APP)).toMatch(/^[0-9a-f]{24}$/);
        // a subset does not match either; without upsert nothing is written
        expect(await p.updateByAssociations([misc('a')], { v: 4 }, false, APP)).toBe('');
        expect(await p.readByAssociations([misc('a')], APP)).toEqual([{ v: 2 }, { v: 3 }]);
        expect(await p.readById(id, APP)).toEqual({ v: 2 });
    });

    it('updateByAssociations (throws-after-write flavour) throws AFTER writing when the record existed', async () => {
        const p = persistence({ updateByAssociations: 'throws-after-write' });
        const id = await p.updateByAssociations([misc('a')], { v: 1 }, true, APP);
        await expect(p.updateByAssociations([misc('a')], { v: 2 }, true, APP)).rejects.toThrow("Cannot read properties of null (reading 'toString')");
        expect(await p.readById(id, APP)).toEqual({ v: 2 });
    });

    it('removeByAssociations deletes one match (flavour one) or all (flavour all), returning every match', async () => {
        for (const flavour of ['one', 'all'] as const) {
            const p = persistence({ removeByAssociations: flavour });
            await p.createWithAssociations({ n: 1 }, [misc(`r-${flavour}`)], APP);
            await p.createWithAssociations({ n: 2 }, [misc(`r-${flavour}`), user('x')], APP);
            expect(await p.removeByAssociations([misc(`r-${flavour}`)], APP)).toEqual([{ n: 1 }, { n: 2 }]);
            expect(await p.readByAssociations([misc(`r-${flavour}`)], APP)).toEqual(flavour === 'one' ? [{ n: 2 }] : []);
        }
    });

    it('update(id) is not implemented; readById is not scoped by app and answers {} when missing', async () => {
        const p = persistence();
        const id = await p.create({ mine: true }, APP);
        await expect(p.update(id, { x: 1 }, true, APP)).rejects.toThrow('Not implemented.');
        expect(await p.readById(id, 'some-other-app')).toEqual({ mine: true });
        expect(await p.readById('000000000000000000000000', APP)).toEqual({});
        await expect(p.remove('not-an-object-id', APP)).rejects.toThrow(/24 character hex/);
        expect(await p.remove(id, 'some-other-app')).toBeUndefined();
        expect(await p.remove(id, APP)).toEqual({ mine: true });
    });

    it('keeps stored strings as strings (an ISO date string stays a string)', async () => {
        const p = persistence();
        await p.createWithAssociations({ updatedAt: '2024-01-01T00:00:00.000Z', nested: { ts: '2024-01-01T00:00:00.000Z' } }, [misc('d')], APP);
        expect(await p.readByAssociations([misc('d')], APP)).toEqual([{ updatedAt: '2024-01-01T00:00:00.000Z', nested: { ts: '2024-01-01T00:00:00.000Z' } }]);
    });

    it('purges an app’s records on uninstall: one record (flavour one, the default: current servers) or all', async () => {
        for (const flavour of ['one', 'all'] as const) {
            const p = persistence({ purge: flavour });
            await p.createWithAssociations({ n: 1 }, [misc(`p-${flavour}`)], APP);
            await p.createWithAssociations({ n: 2 }, [misc(`p-${flavour}`)], APP);
            await p.purge(APP);
            expect(await p.readByAssociations([misc(`p-${flavour}`)], APP)).toEqual(flavour === 'one' ? [{ n: 2 }] : []);
        }
        expect(DEFAULT_PERSISTENCE_SWITCHES.purge).toBe('one');
    });
});

describe('message bridge: what the server refuses', () => {
    async function post(ctx: HostContext, customFields?: Record<string, unknown>, text = 'status') {
        const bridge = new HostMessageBridge(ctx) as unknown as { create(m: object, appId: string): Promise<string> };
        const room = ctx.convert.roomById(SEED_ROOMS.team.id);
        const sender = ctx.convert.userById(SEED_USERS.bob.id);
        return bridge.create({ room, sender, text, ...(customFields && { customFields }) }, APP);
    }

    it('refuses message customFields unless Message_CustomFields_Enabled, then checks the admin’s schema', async () => {
        const ctx = context();
        await expect(post(ctx, { change: 'x' })).rejects.toThrow('Custom fields not enabled');
        ctx.settings.setValue('Message_CustomFields_Enabled', true);
        await expect(post(ctx, { change: 'x' })).rejects.toThrow('Invalid custom fields');
        await expect(post(ctx, { priority: 'urgent' })).rejects.toThrow('Invalid custom fields');
        const id = await post(ctx, { priority: 'high' });
        expect(ctx.messages.findById(id)?.customFields).toEqual({ priority: 'high' });
        expect(await post(ctx)).toMatch(/\w{17}/);
    });

    it('records who a message mentions, as the server counts mentions', async () => {
        const ctx = context();
        const id = await post(ctx, undefined, '@all look: a@bob is not a mention, @carol and >@alice are, @nobody is not');
        expect(ctx.messages.findById(id)?.mentions?.map((m) => m.username)).toEqual(['all', 'carol', 'alice']);
    });

    it('refuses a message from a user who cannot access the room, and one over Message_MaxAllowedSize', async () => {
        const ctx = context();
        const bridge = new HostMessageBridge(ctx) as unknown as { create(m: object, appId: string): Promise<string> };
        const secret = ctx.convert.roomById(SEED_ROOMS.secret.id);
        await expect(bridge.create({ room: secret, sender: ctx.convert.userById(SEED_USERS.bob.id), text: 'hi' }, APP)).rejects.toThrow('error-not-allowed');
        await expect(post(ctx, undefined, 'x'.repeat(5001))).rejects.toThrow('error-message-size-exceeded');
    });

    it('records ephemeral notifications per recipient and stores no message', async () => {
        const ctx = context();
        const bridge = new HostMessageBridge(ctx) as unknown as { notifyUser(u: object, m: object, appId: string): Promise<void> };
        await bridge.notifyUser(ctx.convert.userById(SEED_USERS.alice.id) as object, { room: ctx.convert.roomById(SEED_ROOMS.team.id), text: 'psst', customFields: { metadataEvent: { type: 'UPDATE' } } }, APP);
        expect(ctx.notifications.listForUser(SEED_USERS.alice.id)).toEqual([
            expect.objectContaining({ roomId: SEED_ROOMS.team.id, kind: 'ephemeral', message: expect.objectContaining({ msg: 'psst', customFields: { metadataEvent: { type: 'UPDATE' } } }) }),
        ]);
        expect(ctx.notifications.listForUser(SEED_USERS.bob.id)).toEqual([]);
        expect(ctx.messages.countByRoom(SEED_ROOMS.team.id)).toBe(0);
    });
});

describe('room, user and settings bridges', () => {
    it('a room update $sets what changed: customFields are replaced whole', async () => {
        const ctx = context();
        const rooms = new HostRoomBridge(ctx) as unknown as { update(room: object, members: string[], appId: string): Promise<void> };
        await rooms.update({ id: SEED_ROOMS.team.id, customFields: { a: 1, b: 2 } }, [], APP);
        await rooms.update({ id: SEED_ROOMS.team.id, customFields: { b: 3 } }, [], APP);
        expect(ctx.rooms.findById(SEED_ROOMS.team.id)?.customFields).toEqual({ b: 3 });
        expect(ctx.rooms.findById(SEED_ROOMS.team.id)?.name).toBe('team');
    });

    it('#general has no creator; #team has owner alice and moderator bob', () => {
        const ctx = context();
        expect(ctx.convert.roomById(SEED_ROOMS.general.id)?.creator).toBeUndefined();
        expect(ctx.convert.roomById(SEED_ROOMS.team.id)?.creator?.username).toBe('alice');
        expect(ctx.rooms.memberIdsWithRole(SEED_ROOMS.team.id, 'owner')).toEqual([SEED_USERS.alice.id]);
        expect(ctx.rooms.memberIdsWithRole(SEED_ROOMS.team.id, 'moderator')).toEqual([SEED_USERS.bob.id]);
        expect(ctx.rooms.isMember(SEED_ROOMS.secret.id, SEED_USERS.bob.id)).toBe(false);
    });

    it('user customFields updates replace the whole object; only app/bot users can be created', async () => {
        const ctx = context();
        const users = new HostUserBridge(ctx) as unknown as {
            update(u: object, fields: object, appId: string): Promise<boolean>;
            create(u: object, appId: string): Promise<string>;
        };
        const alice = ctx.convert.userById(SEED_USERS.alice.id) as object;
        await users.update(alice, { customFields: { a: 1 } }, APP);
        await users.update(alice, { customFields: { b: 2 } }, APP);
        expect(ctx.users.findById(SEED_USERS.alice.id)?.customFields).toEqual({ b: 2 });
        await expect(users.create({ username: 'dave', type: 'user' }, APP)).rejects.toThrow('Creating normal users is currently not supported');
        await expect(users.create({ username: 'Alice', type: 'app' }, APP)).rejects.toThrow('is already being used');
    });

    it('server settings: secret ones are not readable', async () => {
        const ctx = context();
        const settings = new HostServerSettingBridge(ctx) as unknown as { getOneById(id: string, appId: string): Promise<{ value: unknown }> };
        expect((await settings.getOneById('Message_CustomFields_Enabled', APP)).value).toBe(false);
        await expect(settings.getOneById('SMTP_Password', APP)).rejects.toThrow('The setting "SMTP_Password" is not readable.');
        await expect(settings.getOneById('No_Such_Setting', APP)).rejects.toThrow('is not readable');
    });
});

describe('slash command parameters, split as the server splits them', () => {
    it.each([
        ['set a=1 b=2', ['set', 'a=1', 'b=2']],
        ['set  title="hello world"', ['set', 'title=hello world']],
        ['set obj={"a":1}', ['set', 'obj={a:1}']],
        [`set obj='{"a":1}'`, ['set', 'obj={"a":1}']],
        ['say "a \\"quoted\\" word"', ['say', 'a "quoted" word']],
        ['"a""b"', ['a', 'b']],
        ['   ', []],
    ])('%s', (input, expected) => {
        expect(parseParameters(input)).toEqual(expected);
    });
});
