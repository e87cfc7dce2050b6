import { describe, expect, it } from 'vitest';
import { ChangeNotice } from '../../src/service/types';
import { createChat } from '../../src/engine/chat';
import { createCustomFieldsMirror } from '../../src/surfaces/mirror/customFieldsMirror';
import { item, notice, settings } from '../support/changes';
import { FakeEngine, FakeRoom, FakeUser } from '../support/fakeEngine';

const roomSubject = { namespace: 'room' as const, id: 'r-1', name: 'planning' };
const userSubject = { namespace: 'user' as const, id: 'u-alice', name: 'alice' };

interface Setup {
    rooms?: FakeRoom[];
    users?: FakeUser[];
    wholeRoomUpdates?: boolean;
    failUserUpdates?: boolean;
}

/** The mirror over the app's chat port (src/engine/chat.ts) over the fake engine. */
function setup(options: Setup = {}, key = 'metadata') {
    const engine = new FakeEngine({
        rooms: options.rooms ?? [{ id: 'r-1', name: 'planning', type: 'c', creator: 'u-owner', customFields: { department: 'ops' } }],
        users: options.users ?? [{ id: 'u-alice', username: 'alice', customFields: { employeeId: 'E-7' } }],
    });
    engine.wholeRoomUpdates = options.wholeRoomUpdates ?? false;
    engine.failUserUpdates = options.failUserUpdates ?? false;
    const mirror = createCustomFieldsMirror({ chat: createChat(engine.read, engine.modify), logger: engine.logger, settings: settings({ customFieldsKey: key }) });
    return { engine, mirror };
}

function write(subject: ChangeNotice['subject'], items: ChangeNotice['set']['items']): ChangeNotice {
    return notice({ subject, changed: items.map((i) => i.key), set: { majorRevision: 1, items } });
}

describe('mirroring into room customFields', () => {
    it('puts public items, nested, under the configured key', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('contact.first_name', 'Grace', 'public'), item('state', 'open', 'public')]));
        expect(engine.rooms.get('r-1')!.customFields).toEqual({
            department: 'ops',
            metadata: { contact: { first_name: 'Grace' }, state: 'open' },
        });
    });

    it('never mirrors a private item', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('theme', 'dark', 'public'), item('secret', 'hunter2', 'private')]));
        expect(JSON.stringify(engine.rooms.get('r-1')!.customFields)).not.toContain('hunter2');
        expect(engine.rooms.get('r-1')!.customFields!.metadata).toEqual({ theme: 'dark' });
    });

    it('keeps the room\'s other customFields', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('theme', 'dark', 'public')]));
        expect(engine.rooms.get('r-1')!.customFields!.department).toBe('ops');
    });

    it('drops a removed item from the mirror', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('a', 1, 'public'), item('b', 2, 'public')]));
        await mirror(notice({ subject: roomSubject, removed: ['b'], set: { majorRevision: 2, items: [item('a', 1, 'public')] } }));
        expect(engine.rooms.get('r-1')!.customFields!.metadata).toEqual({ a: 1 });
    });

    it('removes the key when no public item remains', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('a', 1, 'public')]));
        await mirror(notice({ subject: roomSubject, removed: ['a'], set: { majorRevision: 2, items: [] } }));
        expect(engine.rooms.get('r-1')!.customFields).toEqual({ department: 'ops' });
    });

    it('takes an item out when it turns private', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('a', 1, 'public'), item('b', 2, 'public')]));
        await mirror(write(roomSubject, [item('a', 1, 'public'), item('b', 2, 'private')]));
        expect(engine.rooms.get('r-1')!.customFields!.metadata).toEqual({ a: 1 });
    });

    it('adds an item when it turns public', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('a', 1, 'private')]));
        expect(engine.rooms.get('r-1')!.customFields).toEqual({ department: 'ops' });
        await mirror(write(roomSubject, [item('a', 1, 'public')]));
        expect(engine.rooms.get('r-1')!.customFields!.metadata).toEqual({ a: 1 });
    });

    it('does not touch the room when the public document is unchanged', async () => {
        const { engine, mirror } = setup();
        await mirror(write(roomSubject, [item('a', 1, 'public')]));
        await mirror(write(roomSubject, [item('a', 1, 'public'), item('secret', 'x', 'private')]));
        expect(engine.roomUpdates).toHaveLength(1);
    });

    it('uses the key the admin configured', async () => {
        const { engine, mirror } = setup({}, 'appMeta');
        await mirror(write(roomSubject, [item('a', 1, 'public')]));
        expect(engine.rooms.get('r-1')!.customFields).toEqual({ department: 'ops', appMeta: { a: 1 } });
    });

    it('refuses a key that would touch the prototype, and logs', async () => {
        const { engine, mirror } = setup({}, '__proto__');
        await mirror(write(roomSubject, [item('a', 1, 'public')]));
        expect(engine.roomUpdates).toEqual([]);
        expect(engine.logs.some((entry) => entry.level === 'warn')).toBe(true);
    });

    it('reaches #general (no creator) and a direct room (no creator, name or display name) where the engine sends only changes, changing nothing else', async () => {
        const { engine, mirror } = setup({
            rooms: [{ id: 'GENERAL', name: 'general', type: 'c' }, { id: 'u1u2', name: '', type: 'd' }],
        });
        await mirror(write({ namespace: 'room', id: 'GENERAL', name: 'general' }, [item('motd', 'hi', 'public')]));
        await mirror(write({ namespace: 'room', id: 'u1u2', name: 'u1u2' }, [item('topic', 'lunch', 'public')]));
        expect(engine.rooms.get('GENERAL')).toEqual({ id: 'GENERAL', name: 'general', type: 'c', members: [], owners: [], moderators: [], customFields: { metadata: { motd: 'hi' } } });
        expect(engine.rooms.get('u1u2')).toEqual({ id: 'u1u2', name: '', type: 'd', members: [], owners: [], moderators: [], customFields: { metadata: { topic: 'lunch' } } });
        expect(engine.notifications).toEqual([]);
    });

    it('where the engine sends the whole room (before 1.49), refuses such a room and tells the writer why; the write stands', async () => {
        const { engine, mirror } = setup({
            wholeRoomUpdates: true,
            rooms: [{ id: 'GENERAL', name: 'general', type: 'c' }, { id: 'r-1', name: 'planning', type: 'c', creator: 'u-owner' }],
            users: [{ id: 'u-alice', username: 'alice' }],
        });
        await expect(mirror(write({ namespace: 'room', id: 'GENERAL', name: 'general' }, [item('a', 1, 'public')]))).resolves.toBeUndefined();
        expect(engine.rooms.get('GENERAL')).toEqual({ id: 'GENERAL', name: 'general', type: 'c', members: [], owners: [], moderators: [] });
        expect(engine.notifications).toHaveLength(1);
        expect(engine.notifications[0].user.id).toBe('u-alice');
        expect(engine.notifications[0].message).toMatchObject({ room: { id: 'GENERAL' }, sender: { username: 'metadata-store.bot' } });
        expect(engine.notifications[0].message.text).toMatch(/general is not mirrored .*before 1\.49.*creator/);
        expect(engine.logs.some((entry) => entry.level === 'warn' && String(entry.items[0]).includes('room:GENERAL'))).toBe(true);
        // a room with a creator is mirrored on such engines as before
        await mirror(write(roomSubject, [item('a', 1, 'public')]));
        expect(engine.rooms.get('r-1')!.customFields).toEqual({ metadata: { a: 1 } });
    });

    it('repairs a missed mirror on the next write, which carries the whole public document', async () => {
        const { engine, mirror } = setup({ rooms: [{ id: 'r-1', name: 'planning', type: 'c', creator: 'u-owner', customFields: { metadata: { stale: true } } }] });
        await mirror(write(roomSubject, [item('a', 1, 'public'), item('b', 2, 'public')]));
        expect(engine.rooms.get('r-1')!.customFields).toEqual({ metadata: { a: 1, b: 2 } });
    });
});

describe('mirroring into user customFields', () => {
    it('puts public items under the key and keeps the user\'s other customFields', async () => {
        const { engine, mirror } = setup();
        await mirror(write(userSubject, [item('profile.team', 'core', 'public'), item('phone', '555', 'private')]));
        expect(engine.users.get('u-alice')!.customFields).toEqual({ employeeId: 'E-7', metadata: { profile: { team: 'core' } } });
    });

    it('removes the key when the user has no public items left', async () => {
        const { engine, mirror } = setup();
        await mirror(write(userSubject, [item('a', 1, 'public')]));
        await mirror(write(userSubject, [item('a', 1, 'private')]));
        expect(engine.users.get('u-alice')!.customFields).toEqual({ employeeId: 'E-7' });
    });

    it('never fails the write when the user update fails; it logs', async () => {
        const { engine, mirror } = setup({ failUserUpdates: true });
        await expect(mirror(write(userSubject, [item('a', 1, 'public')]))).resolves.toBeUndefined();
        expect(engine.logs.some((entry) => entry.level === 'error')).toBe(true);
    });
});
