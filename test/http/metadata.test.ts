import { describe, expect, it } from 'vitest';

import { httpHarness, me } from './httpHarness';

const PATH = 'metadata/:ns/:id';

describe('GET metadata/:ns/:id', () => {
    it('answers 200 with the subject\'s metadata as JSON', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'get', { params: me });
        expect(response).toEqual({
            status: 200,
            headers: { 'content-type': 'application/json' },
            content: { subject: { namespace: 'user', id: 'u-alice', name: 'alice' }, majorRevision: 0, items: [], document: {}, state: {} },
        });
    });

    it('?keys= selects items', async () => {
        const { call } = httpHarness();
        await call(PATH, 'put', { params: me, content: { items: [{ key: 'a.b', value: 1 }, { key: 'c', value: 2 }] } });
        const response = await call(PATH, 'get', { params: me, query: { keys: 'a' } });
        expect(response.content.document).toEqual({ a: { b: 1 } });
    });

    it('an invalid key in ?keys= is 400', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'get', { params: me, query: { keys: 'a..b' } });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_key']);
    });

    it('an unknown subject is 404 with the error body', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'get', { params: { ns: 'user', id: 'nobody' } });
        expect(response.status).toBe(404);
        expect(response.content.error).toMatchObject({ code: 'subject_not_found', message: expect.stringContaining('nobody') });
    });

    it('an unknown namespace is 400 invalid_request', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'get', { params: { ns: 'team', id: 'x' } });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
    });

    it('a private group the caller is not in is 403', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'get', { as: 'bob', params: { ns: 'room', id: 'secret' } });
        expect([response.status, response.content.error.code]).toEqual([403, 'forbidden']);
    });
});

describe('PUT metadata/:ns/:id (set)', () => {
    it('sets items and answers with the set after the write', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'put', { params: me, content: { items: [{ key: 'contact.first_name', value: 'Grace' }] } });
        expect(response.status).toBe(200);
        expect(response.content).toMatchObject({ majorRevision: 1, document: { contact: { first_name: 'Grace' } } });
    });

    it('sets a document', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'put', { params: me, content: { document: { contact: { first_name: 'Grace', last_name: 'Hopper' }, state: 'open' } } });
        expect(response.content.items.map((i: { key: string }) => i.key)).toEqual(['contact.first_name', 'contact.last_name', 'state']);
    });

    it('a revision conflict is 409 with the current revisions', async () => {
        const { call } = httpHarness();
        await call(PATH, 'put', { params: me, content: { items: [{ key: 'a', value: 1 }] } });
        const response = await call(PATH, 'put', { params: me, content: { items: [{ key: 'a', value: 2, revision: 0 }] } });
        expect(response.status).toBe(409);
        expect(response.content.error).toMatchObject({ code: 'revision_conflict', majorRevision: 1, items: [{ key: 'a', revision: 1 }] });
    });

    it('a body that is not an object is 400', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'put', { params: me, content: 'a=1' });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
    });

    it('the cause is not in the answer', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'put', { params: me, content: { items: [{ key: 'a', value: 1 }], cause: 'nightly-sync' } });
        expect(JSON.stringify(response.content)).not.toContain('nightly-sync');
    });

    it('more items than the admin allows per request is 413', async () => {
        const { call } = httpHarness();
        const items = Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: i }));
        const response = await call(PATH, 'put', { params: me, content: { items } });
        expect([response.status, response.content.error.code]).toEqual([413, 'too_large']);
    });

    it('someone else\'s metadata is 403', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'put', { as: 'bob', params: { ns: 'user', id: 'alice' }, content: { items: [{ key: 'a', value: 1 }] } });
        expect([response.status, response.content.error.code]).toEqual([403, 'forbidden']);
    });
});

describe('PATCH metadata/:ns/:id (update)', () => {
    it('updates existing items', async () => {
        const { call } = httpHarness();
        await call(PATH, 'put', { params: me, content: { items: [{ key: 'a', value: 1 }] } });
        const response = await call(PATH, 'patch', { params: me, content: { items: [{ key: 'a', value: 2 }] } });
        expect([response.status, response.content.document]).toEqual([200, { a: 2 }]);
    });

    it('a missing item is 404 item_not_found', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'patch', { params: me, content: { items: [{ key: 'nope', value: 2 }] } });
        expect([response.status, response.content.error.code]).toEqual([404, 'item_not_found']);
    });
});

describe('DELETE metadata/:ns/:id (remove)', () => {
    async function withItems() {
        const h = httpHarness();
        await h.call(PATH, 'put', { params: me, content: { items: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }, { key: 'c', value: 3 }] } });
        return h;
    }

    it('removes the items listed in the body', async () => {
        const { call } = await withItems();
        const response = await call(PATH, 'delete', { params: me, content: { items: [{ key: 'a' }] } });
        expect(response.content.document).toEqual({ b: 2, c: 3 });
    });

    it('removes the items listed in ?keys=', async () => {
        const { call } = await withItems();
        const response = await call(PATH, 'delete', { params: me, query: { keys: 'a,b' } });
        expect(response.content.document).toEqual({ c: 3 });
    });

    it('?keys= with a majorRevision check in the body', async () => {
        const { call } = await withItems();
        const response = await call(PATH, 'delete', { params: me, query: { keys: 'a' }, content: { majorRevision: 0 } });
        expect([response.status, response.content.error.code]).toEqual([409, 'revision_conflict']);
    });

    it('keys in both the query and the body is 400', async () => {
        const { call } = await withItems();
        const response = await call(PATH, 'delete', { params: me, query: { keys: 'a' }, content: { items: [{ key: 'b' }] } });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
    });

    it('no body and no keys removes the whole set, and the revision goes on', async () => {
        const { call } = await withItems();
        const response = await call(PATH, 'delete', { params: me });
        expect([response.content.items, response.content.majorRevision]).toEqual([[], 2]);
    });
});

describe('POST metadata/:ns/:id/merge', () => {
    it('applies a merge patch to the document', async () => {
        const { call } = httpHarness();
        await call(PATH, 'put', { params: me, content: { document: { contact: { first: 'Grace', phone: '1' } } } });
        const response = await call('metadata/:ns/:id/merge', 'post', { params: me, content: { patch: { contact: { last: 'Hopper', phone: null } } } });
        expect(response.content.document).toEqual({ contact: { first: 'Grace', last: 'Hopper' } });
    });

    it('a patch that is not an object is 400', async () => {
        const { call } = httpHarness();
        const response = await call('metadata/:ns/:id/merge', 'post', { params: me, content: { patch: [1] } });
        expect(response.status).toBe(400);
    });
});

describe('POST metadata/:ns/:id/state', () => {
    it('changes the caller\'s own state entry', async () => {
        const { call } = httpHarness();
        const response = await call('metadata/:ns/:id/state', 'post', { as: 'bob', params: { ns: 'user', id: 'alice' }, content: { key: 'likes', op: 'add', value: 'tea' } });
        expect(response.content.state.likes.byUser).toEqual({ 'u-bob': ['tea'] });
    });

    it('an unknown op is 400', async () => {
        const { call } = httpHarness();
        const response = await call('metadata/:ns/:id/state', 'post', { params: me, content: { key: 'likes', op: 'toggle', value: 1 } });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
    });
});
