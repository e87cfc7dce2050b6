// SPEC §7 (with §3–§5 as seen through it) — every route of the HTTP API, called like an integration would:
// JSON over HTTP to /api/apps/public/<appId>/…, authenticated by the host, answered by the packaged app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import { ID, itemOf, keysOf, SECRET, TEAM, type ErrorBody, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function view(who: 'alice' | 'bob' | 'carol' | 'admin', path: string): Promise<MetadataView> {
    const res = await a.api<MetadataView>(who, 'GET', path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

function errorOf(res: { body: unknown }): ErrorBody['error'] {
    return (res.body as ErrorBody).error;
}

describe('GET metadata/:ns/:id', () => {
    it('answers a subject without metadata with majorRevision 0 and empty items, document and state', async () => {
        const res = await a.api('carol', 'GET', 'metadata/user/me');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(res.body).toEqual({ subject: { namespace: 'user', id: ID.carol, name: 'carol' }, majorRevision: 0, items: [], document: {}, state: {} });
    });

    it('finds a user by id, by username and as `me`, and a room by id and by name', async () => {
        const byId = await view('alice', `metadata/user/${ID.bob}`);
        const byName = await view('alice', 'metadata/user/bob');
        expect(byId.subject).toEqual({ namespace: 'user', id: ID.bob, name: 'bob' });
        expect(byName.subject).toEqual(byId.subject);
        expect((await view('bob', 'metadata/user/me')).subject).toEqual(byId.subject);
        expect((await view('bob', `metadata/room/${TEAM}`)).subject).toEqual({ namespace: 'room', id: TEAM, name: 'team' });
        expect((await view('bob', 'metadata/room/team')).subject).toEqual({ namespace: 'room', id: TEAM, name: 'team' });
    });

    it('with ?keys=a,b returns only those items (and the parents of dot keys)', async () => {
        await a.api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'k1', value: 1 }, { key: 'k2', value: 2 }, { key: 'k3', value: 3 }, { key: 'grp.x', value: 'x' }, { key: 'grp.y', value: 'y' }] });
        const some = await view('alice', 'metadata/user/me?keys=k1,k3');
        expect(keysOf(some)).toEqual(['k1', 'k3']);
        expect(some.document).toEqual({ k1: 1, k3: 3 });
        const group = await view('alice', 'metadata/user/me?keys=grp');
        expect(group.document).toEqual({ grp: { x: 'x', y: 'y' } });
    });

    it('answers 404 subject_not_found for an unknown user or room', async () => {
        for (const path of ['metadata/user/nobody', 'metadata/room/nowhere']) {
            const res = await a.api('alice', 'GET', path);
            expect(res.status).toBe(404);
            expect(errorOf(res).code).toBe('subject_not_found');
            expect(errorOf(res).message).toEqual(expect.any(String));
        }
    });

    it('answers 400 for a namespace other than user or room', async () => {
        const res = await a.api('alice', 'GET', 'metadata/team/x');
        expect(res.status).toBe(400);
        expect(errorOf(res).code).toBe('invalid_request');
    });
});

describe('PUT metadata/:ns/:id (set)', () => {
    it('creates items and answers with the whole set after the write', async () => {
        const res = await a.api<MetadataView>('bob', 'PUT', 'metadata/user/me', {
            items: [{ key: 'contact.first_name', value: 'Grace' }, { key: 'state', value: 'open', visibility: 'public' }],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.subject).toEqual({ namespace: 'user', id: ID.bob, name: 'bob' });
        expect(res.body.majorRevision).toBe(1);
        expect(res.body.items).toEqual([
            { key: 'contact.first_name', value: 'Grace', revision: 1, updatedAt: expect.stringMatching(ISO), updatedBy: ID.bob, visibility: 'private' },
            { key: 'state', value: 'open', revision: 1, updatedAt: expect.stringMatching(ISO), updatedBy: ID.bob, visibility: 'public' },
        ]);
        expect(res.body.document).toEqual({ contact: { first_name: 'Grace' }, state: 'open' });
        expect(res.body.state).toEqual({});
    });

    it('bumps majorRevision once per request however many items it touches, and gives each changed item that revision', async () => {
        const before = (await view('bob', 'metadata/user/me')).majorRevision;
        const res = await a.api<MetadataView>('bob', 'PUT', 'metadata/user/me', { items: [{ key: 'state', value: 'closed' }, { key: 'n1', value: 1 }, { key: 'n2', value: [1, 2] }] });
        expect(res.body.majorRevision).toBe(before + 1);
        for (const key of ['state', 'n1', 'n2']) expect(itemOf(res.body, key)?.revision).toBe(before + 1);
        expect(itemOf(res.body, 'contact.first_name')?.revision).toBe(1);
    });

    it('stores any JSON value but null as given: strings, numbers, booleans, arrays and objects', async () => {
        const values = { s: 'text', n: 3.25, b: false, arr: [1, 'two', { three: 3 }], obj: { nested: { deep: true } } };
        const res = await a.api<MetadataView>('carol', 'PUT', 'metadata/user/me', { items: Object.entries(values).map(([key, value]) => ({ key, value })) });
        expect(res.status).toBe(200);
        for (const [key, value] of Object.entries(values)) expect(itemOf(res.body, key)?.value).toEqual(value);
    });

    it('a write that changes nothing succeeds and keeps majorRevision', async () => {
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'same', value: 'v' }] });
        const before = (await view('carol', 'metadata/user/me')).majorRevision;
        const again = await a.api<MetadataView>('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'same', value: 'v' }] });
        expect(again.status).toBe(200);
        expect(again.body.majorRevision).toBe(before);
    });

    it('with a document flattens it to leaf items (arrays and empty objects are leaves)', async () => {
        const res = await a.api<MetadataView>('alice', 'PUT', `metadata/room/${TEAM}`, {
            document: { contact: { first_name: 'Grace', last_name: 'Hopper' }, tags: ['a', 'b'], empty: {}, state: 'open' },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(keysOf(res.body)).toEqual(['contact.first_name', 'contact.last_name', 'empty', 'state', 'tags']);
        expect(itemOf(res.body, 'tags')?.value).toEqual(['a', 'b']);
        expect(itemOf(res.body, 'empty')?.value).toEqual({});
        expect(res.body.document).toEqual({ contact: { first_name: 'Grace', last_name: 'Hopper' }, tags: ['a', 'b'], empty: {}, state: 'open' });
    });

    it('writing `a.b` over `a` replaces it (and the answer no longer holds `a`)', async () => {
        await a.api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'place', value: 'Paris' }] });
        const res = await a.api<MetadataView>('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'place.city', value: 'Lyon' }] });
        expect(itemOf(res.body, 'place')).toBeUndefined();
        expect(res.body.document.place).toEqual({ city: 'Lyon' });
    });
});

describe('PATCH metadata/:ns/:id (update)', () => {
    it('changes existing items', async () => {
        await a.api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'phase', value: 'alpha' }] });
        const res = await a.api<MetadataView>('alice', 'PATCH', 'metadata/user/me', { items: [{ key: 'phase', value: 'beta' }] });
        expect(res.status).toBe(200);
        expect(itemOf(res.body, 'phase')?.value).toBe('beta');
    });

    it('answers 404 item_not_found for a missing key and writes nothing, not even the existing ones', async () => {
        const before = await view('alice', 'metadata/user/me');
        const res = await a.api('alice', 'PATCH', 'metadata/user/me', { items: [{ key: 'phase', value: 'gamma' }, { key: 'ghost', value: 1 }] });
        expect(res.status).toBe(404);
        expect(errorOf(res).code).toBe('item_not_found');
        const after = await view('alice', 'metadata/user/me');
        expect(after.majorRevision).toBe(before.majorRevision);
        expect(itemOf(after, 'phase')?.value).toBe('beta');
    });
});

describe('POST metadata/:ns/:id/merge', () => {
    it('applies an RFC 7396 merge patch to the document: objects recurse, null removes, the rest replaces', async () => {
        await a.api('alice', 'PUT', 'metadata/room/team', { document: { agenda: { item1: 'intro', old: 'x' }, owner: 'alice' } });
        const res = await a.api<MetadataView>('alice', 'POST', 'metadata/room/team/merge', { patch: { agenda: { item1: 'budget', old: null, item2: 'q&a' }, owner: { name: 'Alice' } } });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.document.agenda).toEqual({ item1: 'budget', item2: 'q&a' });
        expect(res.body.document.owner).toEqual({ name: 'Alice' });
        expect(itemOf(res.body, 'agenda.old')).toBeUndefined();
    });

    it('answers 400 when the patch is not a JSON object', async () => {
        const res = await a.api('alice', 'POST', 'metadata/room/team/merge', { patch: [1, 2] });
        expect(res.status).toBe(400);
        expect(errorOf(res).code).toBe('invalid_request');
    });
});

describe('DELETE metadata/:ns/:id (remove)', () => {
    it('removes the items named in the body', async () => {
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'd1', value: 1 }, { key: 'd2', value: 2 }, { key: 'd3', value: 3 }] });
        const res = await a.api<MetadataView>('carol', 'DELETE', 'metadata/user/me', { items: [{ key: 'd1' }, 'd2'] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(itemOf(res.body, 'd1')).toBeUndefined();
        expect(itemOf(res.body, 'd2')).toBeUndefined();
        expect(itemOf(res.body, 'd3')?.value).toBe(3);
    });

    it('removes the items named in ?keys=', async () => {
        await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'q1', value: 1 }, { key: 'q2', value: 2 }, { key: 'q3', value: 3 }] });
        const res = await a.api<MetadataView>('carol', 'DELETE', 'metadata/user/me?keys=q1,q3');
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(keysOf(res.body).filter((k) => k.startsWith('q'))).toEqual(['q2']);
    });

    it('answers 404 item_not_found for a missing key and removes nothing', async () => {
        const res = await a.api('carol', 'DELETE', 'metadata/user/me?keys=q2,nothere');
        expect(res.status).toBe(404);
        expect(errorOf(res).code).toBe('item_not_found');
        expect(itemOf(await view('carol', 'metadata/user/me'), 'q2')?.value).toBe(2);
    });

    it('without items removes the whole set, and majorRevision still goes up', async () => {
        await a.api('admin', 'PUT', 'metadata/user/me', { items: [{ key: 'x', value: 1 }, { key: 'y', value: 2 }] });
        const before = (await view('admin', 'metadata/user/me')).majorRevision;
        const res = await a.api<MetadataView>('admin', 'DELETE', 'metadata/user/me');
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.items).toEqual([]);
        expect(res.body.majorRevision).toBe(before + 1);
        const next = await a.api<MetadataView>('admin', 'PUT', 'metadata/user/me', { items: [{ key: 'x', value: 3 }] });
        expect(next.body.majorRevision).toBe(before + 2);
    });
});

describe('POST metadata/:ns/:id/state', () => {
    it('adds to the caller\'s entry of a set and answers with byUser and a summary', async () => {
        await a.api('alice', 'POST', 'metadata/room/team/state', { key: 'reactions', type: 'set', op: 'add', value: 'thumbsup' });
        const res = await a.api<MetadataView>('carol', 'POST', 'metadata/room/team/state', { key: 'reactions', op: 'add', value: 'thumbsup' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const reactions = res.body.state.reactions;
        expect(reactions.type).toBe('set');
        expect(reactions.byUser).toEqual({ [ID.alice]: ['thumbsup'], [ID.carol]: ['thumbsup'] });
        expect(reactions.summary).toEqual([{ value: 'thumbsup', count: 2, users: expect.arrayContaining([ID.alice, ID.carol]) }]);
    });

    it('does not touch majorRevision', async () => {
        const before = (await view('alice', 'metadata/room/team')).majorRevision;
        await a.api('bob', 'POST', 'metadata/room/team/state', { key: 'reactions', op: 'add', value: 'tada' });
        expect((await view('alice', 'metadata/room/team')).majorRevision).toBe(before);
    });

    it('keeps the first value of an fww register per user, and refuses a second add', async () => {
        expect((await a.api('alice', 'POST', 'metadata/user/bob/state', { key: 'first', type: 'fww', op: 'add', value: 'mine' })).status).toBe(200);
        const second = await a.api('alice', 'POST', 'metadata/user/bob/state', { key: 'first', op: 'add', value: 'again' });
        expect(second.status).toBe(400);
        expect(errorOf(second).code).toBe('operation_not_allowed');
        expect((await view('bob', 'metadata/user/bob')).state.first.byUser).toEqual({ [ID.alice]: 'mine' });
    });

    it('lets the last write win in an lww register, which cannot be removed', async () => {
        await a.api('carol', 'POST', 'metadata/user/me/state', { key: 'rating', type: 'lww', op: 'add', value: 3 });
        const res = await a.api<MetadataView>('carol', 'POST', 'metadata/user/me/state', { key: 'rating', op: 'add', value: 5 });
        expect(res.body.state.rating.byUser).toEqual({ [ID.carol]: 5 });
        const remove = await a.api('carol', 'POST', 'metadata/user/me/state', { key: 'rating', op: 'remove' });
        expect(remove.status).toBe(400);
        expect(errorOf(remove).code).toBe('operation_not_allowed');
    });

    it('unsets an lwwn register on remove', async () => {
        await a.api('carol', 'POST', 'metadata/user/me/state', { key: 'pin', type: 'lwwn', op: 'add', value: 'msg-1' });
        const res = await a.api<MetadataView>('carol', 'POST', 'metadata/user/me/state', { key: 'pin', op: 'remove' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.state.pin?.byUser ?? {}).toEqual({});
    });

    it('answers 400 type_mismatch when a key is used with another type than its first', async () => {
        const res = await a.api('bob', 'POST', 'metadata/room/team/state', { key: 'reactions', type: 'lww', op: 'add', value: 'x' });
        expect(res.status).toBe(400);
        expect(errorOf(res).code).toBe('type_mismatch');
    });
});

describe('subscriptions', () => {
    it('POST subscribes, GET lists, DELETE unsubscribes', async () => {
        const sub = await a.api('bob', 'POST', 'subscriptions', { subject: 'user:alice', roomId: TEAM });
        expect(sub.status, JSON.stringify(sub.body)).toBe(200);
        expect(sub.body).toEqual({ subject: { namespace: 'user', id: ID.alice, name: 'alice' }, roomId: TEAM, createdAt: expect.stringMatching(ISO) });

        const list = await a.api<{ subscriptions: unknown[] }>('bob', 'GET', 'subscriptions');
        expect(list.status).toBe(200);
        expect(list.body.subscriptions).toEqual([{ subject: { namespace: 'user', id: ID.alice, name: 'alice' }, roomId: TEAM, createdAt: expect.stringMatching(ISO) }]);

        const del = await a.api('bob', 'DELETE', 'subscriptions', { subject: 'user:alice' });
        expect(del.status, JSON.stringify(del.body)).toBe(200);
        expect(del.body).toMatchObject({ subscribed: false });
        expect((await a.api<{ subscriptions: unknown[] }>('bob', 'GET', 'subscriptions')).body.subscriptions).toEqual([]);
    });

    it('DELETE takes the subject in ?subject= too', async () => {
        await a.api('carol', 'POST', 'subscriptions', { subject: 'room:team', roomId: TEAM });
        expect((await a.api<{ subscriptions: unknown[] }>('carol', 'GET', 'subscriptions')).body.subscriptions).toHaveLength(1);
        const del = await a.api('carol', 'DELETE', 'subscriptions?subject=room:team');
        expect(del.status, JSON.stringify(del.body)).toBe(200);
        expect((await a.api<{ subscriptions: unknown[] }>('carol', 'GET', 'subscriptions')).body.subscriptions).toEqual([]);
    });

    it('answers 400 for a subject that is not ns:id', async () => {
        const res = await a.api('bob', 'POST', 'subscriptions', { subject: 'alice' });
        expect(res.status).toBe(400);
        expect(errorOf(res).code).toBe('invalid_request');
    });
});

describe('authentication and authorisation', () => {
    const routes: Array<[string, string, unknown?]> = [
        ['GET', 'metadata/user/me'],
        ['PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1 }] }],
        ['PATCH', 'metadata/user/me', { items: [{ key: 'a', value: 1 }] }],
        ['DELETE', 'metadata/user/me?keys=a'],
        ['POST', 'metadata/user/me/merge', { patch: { a: 1 } }],
        ['POST', 'metadata/user/me/state', { key: 's', op: 'add', value: 1 }],
        ['GET', 'subscriptions'],
        ['POST', 'subscriptions', { subject: 'user:alice' }],
        ['DELETE', 'subscriptions', { subject: 'user:alice' }],
    ];

    it('answers 401 on every route without the X-User-Id and X-Auth-Token headers', async () => {
        for (const [method, path, body] of routes) {
            const res = await a.api(null, method, path, body);
            expect(res.status, `${method} ${path}`).toBe(401);
        }
    });

    it('answers 401 with a wrong token', async () => {
        const res = await a.api({ 'X-User-Id': ID.bob, 'X-Auth-Token': 'not-a-token' }, 'GET', 'metadata/user/me');
        expect(res.status).toBe(401);
    });

    it('answers 403 forbidden when bob writes alice\'s metadata, and writes nothing', async () => {
        const before = await view('alice', 'metadata/user/alice');
        for (const [method, path, body] of [
            ['PUT', 'metadata/user/alice', { items: [{ key: 'hacked', value: 1 }] }],
            ['PATCH', 'metadata/user/alice', { items: [{ key: 'phase', value: 'x' }] }],
            ['DELETE', 'metadata/user/alice', undefined],
            ['POST', 'metadata/user/alice/merge', { patch: { hacked: 1 } }],
        ] as const) {
            const res = await a.api('bob', method, path, body);
            expect(res.status, `${method} ${path}`).toBe(403);
            expect(errorOf(res).code).toBe('forbidden');
        }
        const after = await view('alice', 'metadata/user/alice');
        expect(after.majorRevision).toBe(before.majorRevision);
        expect(after.items).toEqual(before.items);
    });

    it('answers 403 when a non-member reads a private room', async () => {
        const res = await a.api('bob', 'GET', `metadata/room/${SECRET}`);
        expect(res.status).toBe(403);
        expect(errorOf(res).code).toBe('forbidden');
        expect((await a.api('carol', 'GET', `metadata/room/${SECRET}`)).status).toBe(200);
    });
});

describe('a path the server cannot decode', () => {
    it('is the server\'s 400 "Failed to decode param", as Express answers before the app, never a 500', async () => {
        const res = await a.api('alice', 'GET', 'metadata/user/%ZZ');
        expect([res.status, String(res.body)]).toEqual([400, "Failed to decode param '%ZZ'"]);
    });
});

describe('methods a path does not take', () => {
    it('answers 405 with an Allow header', async () => {
        const cases: Array<[string, string, string]> = [
            ['POST', 'metadata/user/me', 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
            ['GET', 'metadata/user/me/merge', 'POST, OPTIONS'],
            ['PUT', 'metadata/user/me/state', 'POST, OPTIONS'],
            ['PATCH', 'subscriptions', 'GET, HEAD, POST, DELETE, OPTIONS'],
        ];
        for (const [method, path, allow] of cases) {
            const res = await a.api('alice', method, path, method === 'GET' ? undefined : {});
            expect(res.status, `${method} ${path}`).toBe(405);
            expect(res.headers.get('allow')).toBe(allow);
            expect(errorOf(res).code).toBe('method_not_allowed');
        }
    });
});

describe('compare-and-set', () => {
    it('answers 409 revision_conflict for a stale majorRevision, with the current majorRevision, and writes nothing', async () => {
        const current = await view('alice', 'metadata/user/me');
        const res = await a.api('alice', 'PUT', 'metadata/user/me', { majorRevision: current.majorRevision - 1, items: [{ key: 'phase', value: 'late' }] });
        expect(res.status).toBe(409);
        expect(errorOf(res)).toMatchObject({ code: 'revision_conflict', majorRevision: current.majorRevision });
        expect(itemOf(await view('alice', 'metadata/user/me'), 'phase')?.value).toBe('beta');
    });

    it('answers 409 with each conflicting item\'s current revision (0 where it does not exist)', async () => {
        const current = await view('alice', 'metadata/user/me');
        const phase = itemOf(current, 'phase')!;
        const res = await a.api('alice', 'PUT', 'metadata/user/me', {
            items: [{ key: 'phase', value: 'x', revision: phase.revision + 5 }, { key: 'brand_new', value: 1, revision: 3 }, { key: 'k1', value: 9, revision: 0 }],
        });
        expect(res.status).toBe(409);
        const error = errorOf(res);
        expect(error.majorRevision).toBe(current.majorRevision);
        expect(error.items).toEqual(expect.arrayContaining([
            { key: 'phase', revision: phase.revision },
            { key: 'brand_new', revision: 0 },
            { key: 'k1', revision: itemOf(current, 'k1')!.revision },
        ]));
        expect((await view('alice', 'metadata/user/me')).majorRevision).toBe(current.majorRevision);
    });

    it('writes when majorRevision and item revisions match, and -1 means no check', async () => {
        const current = await view('alice', 'metadata/user/me');
        const phase = itemOf(current, 'phase')!;
        const res = await a.api<MetadataView>('alice', 'PUT', 'metadata/user/me', { majorRevision: current.majorRevision, items: [{ key: 'phase', value: 'rc', revision: phase.revision }, { key: 'made', value: 1, revision: 0 }] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.majorRevision).toBe(current.majorRevision + 1);
        const unchecked = await a.api('alice', 'PUT', 'metadata/user/me', { majorRevision: -1, items: [{ key: 'phase', value: 'ga', revision: -1 }] });
        expect(unchecked.status).toBe(200);
    });

    it('checks revisions on DELETE and merge too', async () => {
        const current = await view('alice', 'metadata/user/me');
        const del = await a.api('alice', 'DELETE', 'metadata/user/me', { items: [{ key: 'k2', revision: 999 }] });
        expect(del.status).toBe(409);
        const merge = await a.api('alice', 'POST', 'metadata/user/me/merge', { patch: { k2: null }, majorRevision: current.majorRevision + 3 });
        expect(merge.status).toBe(409);
        expect(errorOf(merge).majorRevision).toBe(current.majorRevision);
        expect(itemOf(await view('alice', 'metadata/user/me'), 'k2')?.value).toBe(2);
    });
});

describe('limits', () => {
    it('answers 413 too_large for a value over 16 KiB, and writes nothing', async () => {
        const before = (await view('carol', 'metadata/user/me')).majorRevision;
        const res = await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'big', value: 'x'.repeat(16 * 1024 + 1) }] });
        expect(res.status).toBe(413);
        expect(errorOf(res).code).toBe('too_large');
        const after = await view('carol', 'metadata/user/me');
        expect(after.majorRevision).toBe(before);
        expect(itemOf(after, 'big')).toBeUndefined();
    });

    it('accepts a value just under 16 KiB', async () => {
        const res = await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'big', value: 'x'.repeat(16 * 1024 - 100) }] });
        expect(res.status).toBe(200);
    });

    it('answers 413 for more than 100 items in one request', async () => {
        const res = await a.api('carol', 'PUT', 'metadata/user/me', { items: Array.from({ length: 101 }, (_, i) => ({ key: `many${i}`, value: i })) });
        expect(res.status).toBe(413);
        expect(errorOf(res).code).toBe('too_large');
        expect(itemOf(await view('carol', 'metadata/user/me'), 'many0')).toBeUndefined();
    });

    it('answers 413 when the whole set would pass 64 KiB, and writes none of it', async () => {
        const chunk = 'y'.repeat(15 * 1024);
        const res = await a.api('bob', 'PUT', 'metadata/user/me', { items: Array.from({ length: 5 }, (_, i) => ({ key: `chunk${i}`, value: chunk })) });
        expect(res.status).toBe(413);
        expect(errorOf(res).code).toBe('too_large');
        expect(keysOf(await view('bob', 'metadata/user/me')).filter((k) => k.startsWith('chunk'))).toEqual([]);
    });

    it('answers 413 for a cause over 65,535 bytes', async () => {
        const res = await a.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'c', value: 1 }], cause: 'x'.repeat(65_536) });
        expect(res.status).toBe(413);
        expect(errorOf(res).code).toBe('too_large');
    });
});

describe('malformed input gets a 400, never a 500', () => {
    const bad: Array<[string, string, string, unknown, string]> = [
        ['an array body', 'PUT', 'metadata/user/me', [{ key: 'a', value: 1 }], 'invalid_request'],
        ['items that is not a list', 'PUT', 'metadata/user/me', { items: { key: 'a', value: 1 } }, 'invalid_request'],
        ['both items and document', 'PUT', 'metadata/user/me', { items: [], document: {} }, 'invalid_request'],
        ['an empty body', 'PUT', 'metadata/user/me', {}, 'invalid_request'],
        ['an unknown field', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1 }], extra: true }, 'invalid_request'],
        ['a null value', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: null }] }, 'invalid_value'],
        ['a missing value', 'PUT', 'metadata/user/me', { items: [{ key: 'a' }] }, 'invalid_request'],
        ['a key that is a number', 'PUT', 'metadata/user/me', { items: [{ key: 5, value: 1 }] }, 'invalid_request'],
        ['an empty key segment', 'PUT', 'metadata/user/me', { items: [{ key: 'a..b', value: 1 }] }, 'invalid_key'],
        ['a key with a space', 'PUT', 'metadata/user/me', { items: [{ key: 'a b', value: 1 }] }, 'invalid_key'],
        ['a key over 256 characters', 'PUT', 'metadata/user/me', { items: [{ key: 'k'.repeat(257), value: 1 }] }, 'invalid_key'],
        ['a __proto__ key', 'PUT', 'metadata/user/me', { items: [{ key: '__proto__', value: 1 }] }, 'invalid_key'],
        ['a constructor segment', 'PUT', 'metadata/user/me', { items: [{ key: 'a.constructor', value: 1 }] }, 'invalid_key'],
        ['a prototype segment', 'PATCH', 'metadata/user/me', { items: [{ key: 'prototype.x', value: 1 }] }, 'invalid_key'],
        ['an unknown visibility', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1, visibility: 'secret' }] }, 'invalid_request'],
        ['a text majorRevision', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1 }], majorRevision: 'x' }, 'invalid_request'],
        ['a revision below -1', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1, revision: -2 }] }, 'invalid_request'],
        ['a fractional revision', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1, revision: 1.5 }] }, 'invalid_request'],
        ['a cause that is a number', 'PUT', 'metadata/user/me', { items: [{ key: 'a', value: 1 }], cause: 42 }, 'invalid_request'],
        ['a document that is a list', 'PUT', 'metadata/user/me', { document: [1] }, 'invalid_request'],
        ['PATCH without items', 'PATCH', 'metadata/user/me', { document: { a: 1 } }, 'invalid_request'],
        ['merge without patch', 'POST', 'metadata/user/me/merge', { items: [] }, 'invalid_request'],
        ['a bad key in ?keys=', 'GET', 'metadata/user/me?keys=a..b', undefined, 'invalid_key'],
        ['a bad key in a DELETE body', 'DELETE', 'metadata/user/me', { items: [{ key: '' }] }, 'invalid_key'],
        ['keys in both the DELETE query and body', 'DELETE', 'metadata/user/me?keys=a', { items: ['a'] }, 'invalid_request'],
        ['a state op that is not add or remove', 'POST', 'metadata/user/me/state', { key: 's', op: 'toggle', value: 1 }, 'invalid_request'],
        ['a state type that does not exist', 'POST', 'metadata/user/me/state', { key: 's', type: 'counter', op: 'add', value: 1 }, 'invalid_request'],
        ['a state key that is not valid', 'POST', 'metadata/user/me/state', { key: 'a..b', op: 'add', value: 1 }, 'invalid_key'],
        ['a subscription without subject', 'POST', 'subscriptions', { roomId: TEAM }, 'invalid_request'],
        ['a subscription roomId that is a number', 'POST', 'subscriptions', { subject: 'user:alice', roomId: 7 }, 'invalid_request'],
    ];

    it.each(bad)('%s: 400 with the code saying what is wrong', async (_name, method, path, body, code) => {
        const res = await a.api(method === 'GET' ? 'alice' : 'carol', method, path, body);
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(errorOf(res).code).toBe(code);
        expect(errorOf(res).message).toEqual(expect.any(String));
    });

    it('a body that is not JSON is refused with 400 (by the server, before the app)', async () => {
        const res = await a.api('carol', 'PUT', 'metadata/user/me', '{"items": [');
        expect(res.status).toBe(400);
    });

    it('a body sent as text/plain reaches the app as {} and is refused with 400', async () => {
        const res = await a.rest('carol', 'PUT', `/api/apps/public/${host.appId}/metadata/user/me`, '{"items":[{"key":"a","value":1}]}', { 'Content-Type': 'text/plain' });
        expect(res.status).toBe(400);
        expect(errorOf(res).code).toBe('invalid_request');
    });

    // An own `__proto__` member in a JSON body (`{"document":{"__proto__":…}}`) never reaches the app: the engine's
    // Deno runtime refuses to decode such a message ("The key __proto__ is not allowed") and stops reading its
    // channel, so the app times out until the engine restarts its runtime. Not testable here without breaking the
    // shared host for the rest of the file; reported. What the app does see is tested below and in command.test.ts.
    it('a __proto__ key inside a key string or ?keys= is refused as invalid_key', async () => {
        for (const [method, path, body] of [
            ['PUT', 'metadata/user/me', { items: [{ key: 'a.__proto__.b', value: 1 }] }],
            ['GET', 'metadata/user/me?keys=__proto__', undefined],
            ['DELETE', 'metadata/user/me?keys=__proto__', undefined],
            ['POST', 'metadata/user/me/state', { key: '__proto__', op: 'add', value: 1 }],
        ] as const) {
            const res = await a.api('carol', method, path, body);
            expect(res.status, `${method} ${path}`).toBe(400);
            expect(errorOf(res).code).toBe('invalid_key');
        }
    });

    it('the app still answers normally after all of that', async () => {
        const res = await a.api<MetadataView>('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'alive', value: true }] });
        expect(res.status).toBe(200);
        expect(itemOf(res.body, 'alive')?.value).toBe(true);
        const log = await a.hostLog({ level: 'error' });
        expect(log.map((l) => l.text)).toEqual([]);
    });
});

describe('cause', () => {
    it('is accepted as a string or object and never appears in write answers or GET responses', async () => {
        const put = await a.api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'caused', value: 1 }], cause: { ticket: 42, note: 'cause-marker' } });
        expect(put.status).toBe(200);
        expect(JSON.stringify(put.body)).not.toContain('cause-marker');
        const merge = await a.api('alice', 'POST', 'metadata/user/me/merge', { patch: { caused: 2 }, cause: 'cause-marker-2' });
        expect(merge.status).toBe(200);
        const state = await a.api('alice', 'POST', 'metadata/user/me/state', { key: 'st', op: 'add', value: 1, cause: 'cause-marker-3' });
        expect(state.status).toBe(200);
        for (const who of ['alice', 'admin'] as const) {
            const get = await a.api(who, 'GET', 'metadata/user/alice');
            expect(get.status).toBe(200);
            expect(JSON.stringify(get.body)).not.toMatch(/"cause"|cause-marker/);
        }
    });
});

describe('rate limit', () => {
    it('answers 429 rate_limited beyond the writes-per-second setting, and writes nothing for those', async () => {
        await a.setAppSetting('limit_writes_per_second', 2);
        try {
            const before = (await view('bob', 'metadata/user/me')).majorRevision;
            const results = await Promise.all(Array.from({ length: 8 }, (_, i) => a.api('bob', 'PUT', 'metadata/user/me', { items: [{ key: `burst${i}`, value: i }] })));
            const limited = results.filter((r) => r.status === 429);
            const written = results.filter((r) => r.status === 200);
            expect(limited.length).toBeGreaterThan(0);
            expect(limited.every((r) => errorOf(r).code === 'rate_limited')).toBe(true);
            expect(written.length + limited.length).toBe(8);
            const after = await view('bob', 'metadata/user/me');
            expect(after.majorRevision).toBe(before + written.length);
            expect(keysOf(after).filter((k) => k.startsWith('burst'))).toHaveLength(written.length);
        } finally {
            await a.setAppSetting('limit_writes_per_second', 20);
        }
    });
});
