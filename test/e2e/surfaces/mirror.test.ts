// SPEC §10 — public items mirrored as one nested document under `metadata` in the user's / room's customFields, read
// back the way other Rocket.Chat clients read them (users.info, rooms.info).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SEED_ROOMS, startHost, type Host, type HostInstance } from '../../support/host';
import { GENERAL, ID, itemOf, roomCustomFields, SECRET, TEAM, userCustomFields, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

async function put(who: 'alice' | 'bob' | 'carol' | 'admin', path: string, body: unknown): Promise<MetadataView> {
    const res = await a.api<MetadataView>(who, 'PUT', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

describe('user customFields', () => {
    it('hold the user\'s public items, nested by their dot keys, under `metadata`', async () => {
        await put('alice', 'metadata/user/me', { items: [
            { key: 'contact.email', value: 'alice@example.org', visibility: 'public' },
            { key: 'contact.phone', value: '+33 1 23', visibility: 'public' },
            { key: 'theme', value: 'dark', visibility: 'public' },
        ] });
        expect(await userCustomFields(a, 'alice')).toEqual({ metadata: { contact: { email: 'alice@example.org', phone: '+33 1 23' }, theme: 'dark' } });
    });

    it('never hold private items', async () => {
        await put('alice', 'metadata/user/me', { items: [{ key: 'salary', value: 123456, visibility: 'private' }, { key: 'contact.home', value: 'secret street', visibility: 'private' }] });
        const fields = await userCustomFields(a, 'alice');
        expect(JSON.stringify(fields)).not.toContain('123456');
        expect(JSON.stringify(fields)).not.toContain('secret street');
        expect(fields).toEqual({ metadata: { contact: { email: 'alice@example.org', phone: '+33 1 23' }, theme: 'dark' } });
    });

    it('follow a change of value', async () => {
        await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'light' }] });
        expect(((await userCustomFields(a, 'alice'))?.metadata as Record<string, unknown>).theme).toBe('light');
    });

    it('lose an item that is removed', async () => {
        const res = await a.api('alice', 'DELETE', 'metadata/user/me?keys=contact.phone');
        expect(res.status).toBe(200);
        expect(await userCustomFields(a, 'alice')).toEqual({ metadata: { contact: { email: 'alice@example.org' }, theme: 'light' } });
    });

    it('lose an item that turns private', async () => {
        await put('alice', 'metadata/user/me', { items: [{ key: 'theme', value: 'light', visibility: 'private' }] });
        expect(await userCustomFields(a, 'alice')).toEqual({ metadata: { contact: { email: 'alice@example.org' } } });
    });

    it('follow merges and writes by an admin', async () => {
        const merge = await a.api('alice', 'POST', 'metadata/user/me/merge', { patch: { contact: { email: null, site: 'alice.dev' } } });
        expect(merge.status).toBe(200);
        expect(itemOf(merge.body as unknown as MetadataView, 'contact.site')?.visibility).toBe('private');
        await put('admin', 'metadata/user/alice', { items: [{ key: 'contact.site', value: 'alice.dev', visibility: 'public' }] });
        expect(await userCustomFields(a, 'alice')).toEqual({ metadata: { contact: { site: 'alice.dev' } } });
    });

    it('are emptied when the whole set is removed', async () => {
        await put('carol', 'metadata/user/me', { items: [{ key: 'x', value: 1, visibility: 'public' }] });
        expect(await userCustomFields(a, 'carol')).toEqual({ metadata: { x: 1 } });
        expect((await a.api('carol', 'DELETE', 'metadata/user/me')).status).toBe(200);
        const fields = await userCustomFields(a, 'carol');
        expect((fields?.metadata ?? {}) as Record<string, unknown>).toEqual({});
    });

    it('stay untouched by collaborative state', async () => {
        const before = await userCustomFields(a, 'alice');
        expect((await a.api('bob', 'POST', 'metadata/user/alice/state', { key: 'kudos', type: 'set', op: 'add', value: 'hi' })).status).toBe(200);
        expect(await userCustomFields(a, 'alice')).toEqual(before);
    });
});

describe('room customFields', () => {
    it('hold the room\'s public items under `metadata`, private ones never', async () => {
        await put('alice', `metadata/room/${TEAM}`, { items: [
            { key: 'agenda.item1', value: 'budget', visibility: 'public' },
            { key: 'agenda.item2', value: 'hiring', visibility: 'public' },
            { key: 'salaries', value: 'confidential numbers', visibility: 'private' },
        ] });
        const fields = await roomCustomFields(a, TEAM);
        expect(fields).toEqual({ metadata: { agenda: { item1: 'budget', item2: 'hiring' } } });
    });

    it('reflect a removal', async () => {
        expect((await a.api('alice', 'DELETE', `metadata/room/${TEAM}?keys=agenda.item2`)).status).toBe(200);
        expect(await roomCustomFields(a, TEAM)).toEqual({ metadata: { agenda: { item1: 'budget' } } });
    });

    it('are written for a private room too', async () => {
        await put('alice', `metadata/room/${SECRET}`, { items: [{ key: 'codename', value: 'falcon', visibility: 'public' }] });
        expect(await roomCustomFields(a, SECRET)).toEqual({ metadata: { codename: 'falcon' } });
    });

    it('reach #general, a room without a creator (SPEC §18): this engine sends only the changes, so nothing else of the room changes', async () => {
        const before = await a.roomInfo(GENERAL);
        const res = await a.api<MetadataView>('admin', 'PUT', `metadata/room/${GENERAL}`, { items: [{ key: 'motd', value: 'hello', visibility: 'public' }, { key: 'x', value: 1 }] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(await roomCustomFields(a, GENERAL)).toEqual({ metadata: { motd: 'hello' } });
        const after = await a.roomInfo(GENERAL);
        expect(after.u).toBeUndefined();
        // (the room status message counts as a message: msgs and lm move)
        const kept = (room: Record<string, unknown>) => [room.u, room.name, room.fname, room.t, room.default, room.ro, room.ts];
        expect(kept(after)).toEqual(kept(before));
        expect((await a.hostLog({ level: 'error' })).map((l) => l.text).join('\n')).not.toMatch(/mirror failed for room:GENERAL/);
    });

    it('reach a direct room, which has no creator, name or display name', async () => {
        const dm = SEED_ROOMS.dmAliceBob.id;
        const before = await a.roomInfo(dm, 'alice');
        const res = await a.api<MetadataView>('alice', 'PUT', `metadata/room/${dm}`, { items: [{ key: 'lunch', value: 'friday', visibility: 'public' }] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect((await a.roomInfo(dm, 'alice')).customFields).toEqual({ metadata: { lunch: 'friday' } });
        const after = await a.roomInfo(dm, 'alice');
        expect([after.u, after.name, after.fname]).toEqual([before.u, before.name, before.fname]);
    });
});

describe('other customFields are kept', () => {
    it('moving the mirror to another key leaves what is under the old one alone', async () => {
        await a.setAppSetting('custom_fields_key', 'profile');
        try {
            await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'agenda.item3', value: 'retro', visibility: 'public' }] });
            expect(await roomCustomFields(a, TEAM)).toEqual({
                metadata: { agenda: { item1: 'budget' } },
                profile: { agenda: { item1: 'budget', item3: 'retro' } },
            });
            await put('alice', 'metadata/user/me', { items: [{ key: 'nick', value: 'al', visibility: 'public' }] });
            expect(await userCustomFields(a, 'alice')).toEqual({
                metadata: { contact: { site: 'alice.dev' } },
                profile: { contact: { site: 'alice.dev' }, nick: 'al' },
            });
        } finally {
            await a.setAppSetting('custom_fields_key', 'metadata');
        }
    });

    it('and moving it back keeps the other key in turn', async () => {
        await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'agenda.item4', value: 'demo', visibility: 'public' }] });
        expect(await roomCustomFields(a, TEAM)).toEqual({
            metadata: { agenda: { item1: 'budget', item3: 'retro', item4: 'demo' } },
            profile: { agenda: { item1: 'budget', item3: 'retro' } },
        });
    });

    it('a user field an admin set with users.update stays when the app mirrors `metadata`', async () => {
        // A server stores only the fields declared in Accounts_CustomFields, and replaces the user's whole
        // customFields with them: the admin's edit drops the mirror, the app's next write puts it back beside them.
        await a.setServerSetting('Accounts_CustomFields', JSON.stringify({ department: { type: 'text', required: false } }));
        await a.updateUserCustomFields(ID.alice, { department: 'sales' });
        expect(await userCustomFields(a, 'alice')).toEqual({ department: 'sales' });
        await put('alice', 'metadata/user/me', { items: [{ key: 'desk', value: 'B12', visibility: 'public' }] });
        const fields = await userCustomFields(a, 'alice');
        expect(fields?.department).toBe('sales');
        expect(fields?.metadata).toEqual({ contact: { site: 'alice.dev' }, nick: 'al', desk: 'B12' });
        await put('alice', 'metadata/user/me', { items: [{ key: 'desk', value: 'C7' }] });
        expect(await userCustomFields(a, 'alice')).toEqual({ department: 'sales', metadata: { contact: { site: 'alice.dev' }, nick: 'al', desk: 'C7' } });
    });

    it('a room field a moderator set with rooms.saveRoomSettings stays when the app mirrors `metadata`', async () => {
        // roomCustomFields replaces the room's whole customFields (as on a server); a plain member may not save it
        const denied = await a.rest('carol', 'POST', '/api/v1/rooms.saveRoomSettings', { rid: TEAM, roomCustomFields: { color: 'black' } });
        expect(denied.status).toBe(400);
        expect(denied.body.errorType).toBe('error-action-not-allowed');
        await a.saveRoomCustomFields('team', { color: 'red', floor: 3 }, 'bob');
        expect(await roomCustomFields(a, TEAM)).toEqual({ color: 'red', floor: 3 });
        await put('alice', `metadata/room/${TEAM}`, { items: [{ key: 'agenda.item5', value: 'lunch', visibility: 'public' }] });
        expect(await roomCustomFields(a, TEAM)).toEqual({
            color: 'red',
            floor: 3,
            metadata: { agenda: { item1: 'budget', item3: 'retro', item4: 'demo', item5: 'lunch' } },
        });
        expect((await a.api('alice', 'DELETE', `metadata/room/${TEAM}?keys=agenda.item5`)).status).toBe(200);
        expect(await roomCustomFields(a, TEAM)).toEqual({ color: 'red', floor: 3, metadata: { agenda: { item1: 'budget', item3: 'retro', item4: 'demo' } } });
    });
});
