// SPEC §6 — who sees and who writes what, through the HTTP API and /meta in the real engine, with the app settings
// (default visibility, admin roles, members may write) changed the way an admin changes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SEED_ROOMS, startHost, type Host, type HostInstance, type UserName } from '../../support/host';
import { ID, itemOf, keysOf, replyText, SECRET, TEAM, type ErrorBody, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
    // alice: one public and one private item; #team and #secret the same
    for (const path of ['metadata/user/alice', `metadata/room/${TEAM}`, `metadata/room/${SECRET}`]) {
        const res = await a.api('alice', 'PUT', path, { items: [{ key: 'open', value: 'for all', visibility: 'public' }, { key: 'hidden', value: 'insiders only', visibility: 'private' }] });
        if (res.status !== 200) throw new Error(`seeding ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
});

afterAll(async () => {
    await host?.stop();
});

async function read(who: UserName, path: string): Promise<MetadataView> {
    const res = await a.api<MetadataView>(who, 'GET', path);
    expect(res.status, `${who} GET ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
}

async function status(who: UserName, method: string, path: string, body?: unknown): Promise<number> {
    return (await a.api(who, method, path, body)).status;
}

async function withAppSetting(id: string, value: unknown, restore: unknown, run: () => Promise<void>): Promise<void> {
    await a.setAppSetting(id, value);
    try {
        await run();
    } finally {
        await a.setAppSetting(id, restore);
    }
}

describe('reading: private items stay with their owners', () => {
    it('another user reading alice sees her public items only, also in the document', async () => {
        const view = await read('bob', 'metadata/user/alice');
        expect(keysOf(view)).toEqual(['open']);
        expect(view.document).toEqual({ open: 'for all' });
        expect(JSON.stringify(view)).not.toContain('insiders only');
    });

    it('asking for a private key by name gives nothing either', async () => {
        const view = await read('bob', 'metadata/user/alice?keys=hidden');
        expect(view.items).toEqual([]);
    });

    it('alice herself sees her private items', async () => {
        expect(keysOf(await read('alice', 'metadata/user/me'))).toEqual(['hidden', 'open']);
    });

    it('an admin sees everybody\'s private items', async () => {
        expect(keysOf(await read('admin', 'metadata/user/alice'))).toEqual(['hidden', 'open']);
    });

    it('`/meta get @alice` shows another user the public items only', async () => {
        const text = replyText((await a.command('bob', 'team', 'get @alice')).replies);
        expect(text).toContain('open');
        expect(text).not.toContain('hidden');
        expect(text).not.toContain('insiders');
    });

    it('room members see a room\'s private items', async () => {
        expect(keysOf(await read('carol', `metadata/room/${TEAM}`))).toEqual(['hidden', 'open']);
        expect(keysOf(await read('carol', `metadata/room/${SECRET}`))).toEqual(['hidden', 'open']);
    });

    it('a non-member may not read a private room at all (403)', async () => {
        const res = await a.api<ErrorBody>('bob', 'GET', `metadata/room/${SECRET}`);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(JSON.stringify(res.body)).not.toContain('insiders');
        expect(replyText((await a.command('bob', 'team', 'get #secret')).replies)).toContain('Only members of the private room #secret may read its metadata.');
    });

    it('a non-member of a public channel sees its public items only', async () => {
        // admin is not in #team; with the admin role no longer counting as admin, admin is a plain outsider there
        await withAppSetting('admin_roles', 'superuser', 'admin', async () => {
            expect(keysOf(await read('admin', `metadata/room/${TEAM}`))).toEqual(['open']);
            expect(keysOf(await read('admin', 'metadata/user/alice'))).toEqual(['open']);
        });
    });

    it('an admin reads a private room it is not in, private items included', async () => {
        expect(keysOf(await read('admin', `metadata/room/${SECRET}`))).toEqual(['hidden', 'open']);
    });

    it('the members of a direct room read its private items; others may not read it', async () => {
        const dm = SEED_ROOMS.dmAliceBob.id;
        expect(await status('alice', 'PUT', `metadata/room/${dm}`, { items: [{ key: 'shared', value: 1 }] })).toBe(200);
        expect(keysOf(await read('bob', `metadata/room/${dm}`))).toEqual(['shared']);
        expect(await status('carol', 'GET', `metadata/room/${dm}`)).toBe(403);
    });
});

describe('visibility of writes', () => {
    it('a new item is private by default', async () => {
        const res = await a.api<MetadataView>('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'fresh', value: 1 }] });
        expect(itemOf(res.body, 'fresh')?.visibility).toBe('private');
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'fresh')).toBeUndefined();
    });

    it('a write that omits visibility keeps the item\'s current one (public stays public)', async () => {
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'motto', value: 'v1', visibility: 'public' }] });
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'motto', value: 'v2' }] });
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'motto')).toMatchObject({ value: 'v2', visibility: 'public' });
        await a.command('carol', 'team', 'set motto=v3');
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'motto')).toMatchObject({ value: 'v3', visibility: 'public' });
        await a.api('carol', 'PATCH', 'metadata/user/me', { items: [{ key: 'motto', value: 'v4' }] });
        await a.api('carol', 'POST', 'metadata/user/me/merge', { patch: { motto: 'v5' } });
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'motto')).toMatchObject({ value: 'v5', visibility: 'public' });
    });

    it('a write that omits visibility keeps private items private', async () => {
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'diary', value: 'd1', visibility: 'private' }] });
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'diary', value: 'd2' }] });
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'diary')).toBeUndefined();
        expect(itemOf(await read('carol', 'metadata/user/me'), 'diary')).toMatchObject({ value: 'd2', visibility: 'private' });
    });

    it('an item can be turned public and back private explicitly', async () => {
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'diary', value: 'd2', visibility: 'public' }] });
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'diary')?.value).toBe('d2');
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'diary', value: 'd2', visibility: 'private' }] });
        expect(itemOf(await read('bob', 'metadata/user/carol'), 'diary')).toBeUndefined();
    });

    it('the default visibility setting decides for new items', async () => {
        await withAppSetting('default_visibility', 'public', 'private', async () => {
            const res = await a.api<MetadataView>('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'announced', value: 'yes' }] });
            expect(itemOf(res.body, 'announced')?.visibility).toBe('public');
            expect(itemOf(await read('bob', 'metadata/user/carol'), 'announced')?.value).toBe('yes');
        });
    });
});

describe('writing user metadata', () => {
    it('a user writes their own metadata', async () => {
        expect(await status('bob', 'PUT', 'metadata/user/me', { items: [{ key: 'mine', value: 1 }] })).toBe(200);
    });

    it('another user may not (403), and nothing changes', async () => {
        const before = await read('alice', 'metadata/user/me');
        expect(await status('bob', 'PUT', 'metadata/user/alice', { items: [{ key: 'open', value: 'defaced' }] })).toBe(403);
        expect(await status('bob', 'DELETE', 'metadata/user/alice')).toBe(403);
        expect(await read('alice', 'metadata/user/me')).toEqual(before);
    });

    it('an admin may', async () => {
        expect(await status('admin', 'PUT', 'metadata/user/bob', { items: [{ key: 'by_admin', value: 1 }] })).toBe(200);
        expect(itemOf(await read('bob', 'metadata/user/me'), 'by_admin')?.updatedBy).toBe(ID.admin);
    });

    it('the admin roles setting decides who counts as admin', async () => {
        await withAppSetting('admin_roles', 'admin,user', 'admin', async () => {
            expect(await status('bob', 'PUT', 'metadata/user/carol', { items: [{ key: 'by_bob', value: 1 }] })).toBe(200);
        });
        expect(await status('bob', 'PUT', 'metadata/user/carol', { items: [{ key: 'by_bob', value: 2 }] })).toBe(403);
    });
});

describe('writing room metadata', () => {
    const put = (who: UserName, room: string, key: string) => status(who, 'PUT', `metadata/room/${room}`, { items: [{ key, value: who }] });

    it('the room owner may write it', async () => {
        expect(await put('alice', TEAM, 'by_owner')).toBe(200);
    });

    it('a moderator may write it', async () => {
        expect(await put('bob', TEAM, 'by_moderator')).toBe(200);
    });

    it('an admin who is not a member may write it', async () => {
        expect(await put('admin', TEAM, 'by_admin')).toBe(200);
        expect(await put('admin', SECRET, 'by_admin')).toBe(200);
    });

    it('a plain member may not (403), by HTTP or /meta', async () => {
        const res = await a.api<ErrorBody>('carol', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'by_member', value: 1 }] });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(await status('carol', 'POST', `metadata/room/${TEAM}/merge`, { patch: { by_member: 1 } })).toBe(403);
        expect(await status('carol', 'DELETE', `metadata/room/${TEAM}?keys=open`)).toBe(403);
        expect(replyText((await a.command('carol', 'team', 'set here by_member=1')).replies)).toContain('Only the owners and moderators of #team and admins may change its metadata.');
        expect(itemOf(await read('carol', `metadata/room/${TEAM}`), 'by_member')).toBeUndefined();
    });

    it('a plain member may once the admin turns on "members may write room metadata"', async () => {
        await withAppSetting('members_may_write_rooms', true, false, async () => {
            expect(await put('carol', TEAM, 'by_member')).toBe(200);
            expect(replyText((await a.command('carol', 'secret', 'set here by_member=2')).replies)).toContain('✓ Saved on #secret');
        });
        expect(await put('carol', TEAM, 'by_member_again')).toBe(403);
    });

    it('a non-member may not write even then', async () => {
        await withAppSetting('members_may_write_rooms', true, false, async () => {
            expect(await put('bob', SECRET, 'by_outsider')).toBe(403);
        });
    });
});

describe('collaborative state: everyone changes their own entry', () => {
    it('a plain member may add to a room\'s state though they may not write its items', async () => {
        const res = await a.api<MetadataView>('carol', 'POST', `metadata/room/${TEAM}/state`, { key: 'attending', type: 'set', op: 'add', value: 'yes' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.state.attending.byUser).toEqual({ [ID.carol]: ['yes'] });
    });

    it('a non-member may not change a private room\'s state (403)', async () => {
        expect(await status('bob', 'POST', `metadata/room/${SECRET}/state`, { key: 'attending', type: 'set', op: 'add', value: 'yes' })).toBe(403);
    });

    it('any user may change their own entry of another user\'s state', async () => {
        const res = await a.api<MetadataView>('bob', 'POST', 'metadata/user/alice/state', { key: 'kudos', type: 'set', op: 'add', value: 'thanks' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.state.kudos.byUser).toEqual({ [ID.bob]: ['thanks'] });
    });

    it('a user removing a value takes it out of their own entry only', async () => {
        await a.api('carol', 'POST', 'metadata/user/alice/state', { key: 'kudos', op: 'add', value: 'thanks' });
        const res = await a.api<MetadataView>('carol', 'POST', 'metadata/user/alice/state', { key: 'kudos', op: 'remove', value: 'thanks' });
        expect(res.body.state.kudos.byUser).toEqual({ [ID.bob]: ['thanks'] });
    });
});
