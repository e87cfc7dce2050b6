// SPEC §7 "The app describes its own API": the packaged app in the real engine serves its OpenAPI 3.1 document at
// GET openapi.json without login, and its real answers — a success of every operation and every error it can be
// made to answer here — match the document's schemas for that path, method and status (test/http/openapiCheck.ts).
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openApiDocument } from '../../../src/surfaces/http/openapi';
import { OpenApiChecker, type OperationRef } from '../../http/openapiCheck';
import { APP_ID, startHost, type Host, type HostInstance, type HttpResult, type UserName } from '../../support/host';
import { ID, TEAM } from './helpers';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { version: string };

let host: Host;
let a: HostInstance;
let checker: OpenApiChecker;

const M = '/metadata/{ns}/{id}';

beforeAll(async () => {
    host = await startHost();
    a = host.first;
    const res = await a.api(null, 'GET', 'openapi.json');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    checker = OpenApiChecker.create(res.body);
});

afterAll(async () => {
    await host?.stop();
});

/** Calls the app and checks its answer against the document; `op.path` is the document's path template. */
async function call(as: UserName | null | Record<string, string>, method: string, url: string, op: string, body?: unknown, status?: number): Promise<HttpResult> {
    const res = await a.api(as, method, url, body);
    const ref: OperationRef = { path: op, method };
    if (status !== undefined) expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
    expect(await checker.answerProblems(ref, res)).toEqual([]);
    if (res.status === 200 && body !== undefined && typeof body !== 'string') expect(await checker.requestProblems(ref, body)).toEqual([]);
    return res;
}

const codeOf = (res: HttpResult) => (res.body as { error?: { code?: string } }).error?.code;

describe('GET openapi.json', () => {
    it('answers the document without login: valid OpenAPI 3.1, the same as docs/openapi.json', async () => {
        const res = await call(null, 'GET', 'openapi.json', '/openapi.json', undefined, 200);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(res.body).toEqual(openApiDocument(APP_ID, manifest.version));
        expect(res.body).toEqual(JSON.parse(fs.readFileSync(path.join(root, 'docs', 'openapi.json'), 'utf8')));
        expect(await checker.documentProblems()).toEqual([]);
    });

    it('answers HEAD and OPTIONS without login too, and 405 for the rest', async () => {
        await call(null, 'HEAD', 'openapi.json', '/openapi.json', undefined, 200);
        const options = await call(null, 'OPTIONS', 'openapi.json', '/openapi.json', undefined, 204);
        expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
        await call(null, 'POST', 'openapi.json', '/openapi.json', { a: 1 }, 405);
        await call('alice', 'DELETE', 'openapi.json', '/openapi.json', undefined, 405);
    });
});

describe('a success of every operation matches the document', () => {
    it('items, document, merge, state, history and repair', async () => {
        await call('alice', 'PUT', 'metadata/user/me', M, { items: [{ key: 'contact.first_name', value: 'Grace', visibility: 'public' }, { key: 'n', value: 1, revision: 0 }] }, 200);
        await call('alice', 'PUT', 'metadata/user/me', M, { document: { tags: ['a', 'b'], empty: {} }, majorRevision: 1, cause: { ticket: 42 } }, 200);
        await call('bob', 'GET', 'metadata/user/alice', M, undefined, 200);
        await call('alice', 'GET', 'metadata/user/me?keys=contact,n', M, undefined, 200);
        await call('alice', 'HEAD', 'metadata/user/me', M, undefined, 200);
        await call('alice', 'PATCH', 'metadata/user/me', M, { items: [{ key: 'n', value: { deep: [1, true, 'x'] }, revision: 1 }], cause: 'because' }, 200);
        await call('alice', 'DELETE', 'metadata/user/me?keys=empty', M, undefined, 200);
        await call('alice', 'DELETE', 'metadata/user/me', M, { items: ['tags', { key: 'n', revision: -1 }] }, 200);
        await call('alice', 'POST', 'metadata/user/me/merge', `${M}/merge`, { patch: { contact: { last_name: 'Hopper', first_name: null } } }, 200);
        await call('alice', 'POST', `metadata/room/${TEAM}/state`, `${M}/state`, { key: 'votes', type: 'set', op: 'add', value: 'pizza' }, 200);
        await call('bob', 'POST', 'metadata/room/team/state', `${M}/state`, { key: 'votes', op: 'add', value: { any: 'json' } }, 200);
        await call('alice', 'GET', `metadata/room/${TEAM}`, M, undefined, 200);
        await call('alice', 'GET', 'metadata/user/me/history?since=1&limit=3', `${M}/history`, undefined, 200);
        await call('bob', 'GET', 'metadata/user/alice/history', `${M}/history`, undefined, 200);
        await call('alice', 'HEAD', 'metadata/user/me/history', `${M}/history`, undefined, 200);
        await call('admin', 'POST', `metadata/user/${ID.alice}/repair`, `${M}/repair`, { items: ['contact.last_name'], state: [{ key: 'votes', userId: ID.bob }] }, 200);
        await call('admin', 'POST', 'metadata/room/team/repair', `${M}/repair`, { items: 'all', state: 'all' }, 200);
        await call('alice', 'DELETE', 'metadata/user/me', M, undefined, 200);
    });

    it('subscriptions', async () => {
        await call('bob', 'POST', 'subscriptions', '/subscriptions', { subject: 'user:alice', roomId: TEAM }, 200);
        await call('bob', 'POST', 'subscriptions', '/subscriptions', { subject: 'room:team' }, 200);
        await call('bob', 'GET', 'subscriptions', '/subscriptions', undefined, 200);
        await call('bob', 'HEAD', 'subscriptions', '/subscriptions', undefined, 200);
        await call('bob', 'DELETE', 'subscriptions', '/subscriptions', { subject: 'user:alice' }, 200);
        await call('bob', 'DELETE', 'subscriptions?subject=room:team', '/subscriptions', undefined, 200);
    });

    it('webhooks', async () => {
        const created = await call('admin', 'POST', 'webhooks', '/webhooks', { url: 'http://127.0.0.1:9/hook', subjects: ['user:nobody'], secret: 's' }, 200);
        const id = (created.body as { id: string }).id;
        await call('admin', 'GET', 'webhooks', '/webhooks', undefined, 200);
        await call('admin', 'GET', `webhooks/${id}`, '/webhooks/{webhookId}', undefined, 200);
        await call('admin', 'GET', `webhooks/${id}/deliveries`, '/webhooks/{webhookId}/deliveries', undefined, 200);
        await call('admin', 'DELETE', `webhooks/${id}`, '/webhooks/{webhookId}', undefined, 200);
        await call('alice', 'GET', 'webhooks', '/webhooks', undefined, 403);
        await call('admin', 'GET', `webhooks/${id}`, '/webhooks/{webhookId}', undefined, 404);
        await call('admin', 'POST', 'webhooks', '/webhooks', { url: 'ftp://x', subjects: ['user:*'] }, 400);
    });

    it('the sweep (admin/reconcile): a batch, its errors', async () => {
        const first = await call('admin', 'POST', 'admin/reconcile', '/admin/reconcile', { limit: 1 }, 200);
        const next = (first.body as { next: string | null }).next;
        if (next) await call('admin', 'POST', 'admin/reconcile', '/admin/reconcile', { cursor: next }, 200);
        await call('admin', 'POST', 'admin/reconcile', '/admin/reconcile', { cursor: 'nowhere' }, 400);
        await call('alice', 'POST', 'admin/reconcile', '/admin/reconcile', {}, 403);
        await call('alice', 'GET', 'admin/reconcile', '/admin/reconcile', undefined, 405);
    });

    it('administration (admin/export, admin/import, admin/subjects): a page, a report, their errors', async () => {
        await call('alice', 'PUT', 'metadata/user/me', M, { items: [{ key: 'exported', value: 1 }] }, 200);
        const page = await call('admin', 'GET', 'admin/export?limit=1', '/admin/export', undefined, 200);
        const next = page.headers.get('x-next-cursor');
        if (next) await call('admin', 'GET', `admin/export?cursor=${encodeURIComponent(next)}`, '/admin/export', undefined, 200);
        await call('admin', 'GET', 'admin/export?cursor=nowhere', '/admin/export', undefined, 400);
        await call('alice', 'GET', 'admin/export', '/admin/export', undefined, 403);
        const line = { format: 1, subject: { namespace: 'user', id: ID.carol }, majorRevision: 2, items: [], state: [], subscriptions: [] };
        await call('admin', 'POST', 'admin/import', '/admin/import', { ndjson: `${JSON.stringify(line)}\n` }, 200);
        await call('admin', 'POST', 'admin/import', '/admin/import', { ndjson: '{"format":1}' }, 400);
        await call('alice', 'POST', 'admin/import', '/admin/import', { ndjson: '' }, 403);
        await call('admin', 'GET', 'admin/subjects?namespace=user', '/admin/subjects', undefined, 200);
        await call('admin', 'GET', 'admin/subjects?namespace=team', '/admin/subjects', undefined, 400);
        await call('alice', 'GET', 'admin/subjects', '/admin/subjects', undefined, 403);
    });

    it('OPTIONS on every path', async () => {
        for (const [url, op] of [['metadata/user/me', M], ['metadata/user/me/merge', `${M}/merge`], ['metadata/user/me/state', `${M}/state`],
            ['metadata/user/me/history', `${M}/history`], ['metadata/user/me/repair', `${M}/repair`], ['subscriptions', '/subscriptions'],
            ['admin/reconcile', '/admin/reconcile'], ['admin/export', '/admin/export'], ['admin/import', '/admin/import'], ['admin/subjects', '/admin/subjects']]) {
            await call('alice', 'OPTIONS', url, op, undefined, 204);
        }
    });
});

describe('every error the app can be made to answer matches the document', () => {
    it('400: invalid_request, invalid_key, invalid_value, type_mismatch, operation_not_allowed', async () => {
        const codes = [
            await call('alice', 'PUT', 'metadata/user/me', M, {}, 400),
            await call('alice', 'GET', 'metadata/team/x', M, undefined, 400),
            await call('alice', 'GET', 'metadata/user/me/history?since=-1', `${M}/history`, undefined, 400),
            await call('alice', 'POST', 'subscriptions', '/subscriptions', { subject: 'alice' }, 400),
            await call('alice', 'PUT', 'metadata/user/me', M, { items: [{ key: 'a..b', value: 1 }] }, 400),
            await call('alice', 'PUT', 'metadata/user/me', M, { items: [{ key: 'a', value: null }] }, 400),
            await call('alice', 'POST', 'metadata/user/me/state', `${M}/state`, { key: 'kind', type: 'set', op: 'add', value: 1 }, 200),
            await call('alice', 'POST', 'metadata/user/me/state', `${M}/state`, { key: 'kind', type: 'lww', op: 'add', value: 1 }, 400),
            await call('alice', 'POST', 'metadata/user/me/state', `${M}/state`, { key: 'score', type: 'lww', op: 'add', value: 1 }, 200),
            await call('alice', 'POST', 'metadata/user/me/state', `${M}/state`, { key: 'score', op: 'remove' }, 400),
        ].map(codeOf);
        expect(codes).toEqual(['invalid_request', 'invalid_request', 'invalid_request', 'invalid_request', 'invalid_key', 'invalid_value', undefined, 'type_mismatch', undefined, 'operation_not_allowed']);
    });

    it('401 (answered by the server), 403, 404, 405, 409, 413', async () => {
        const server401 = await call(null, 'GET', 'metadata/user/me', M, undefined, 401);
        expect(server401.body).toEqual({ status: 'error', message: expect.any(String) });
        await call({ 'X-User-Id': ID.bob, 'X-Auth-Token': 'not-a-token' }, 'PUT', 'metadata/user/me', M, { items: [] }, 401);
        await call(null, 'POST', 'metadata/user/me/merge', `${M}/merge`, { patch: {} }, 401);
        const codes = [
            await call('bob', 'PUT', 'metadata/user/alice', M, { items: [{ key: 'x', value: 1 }] }, 403),
            await call('bob', 'POST', 'metadata/user/alice/repair', `${M}/repair`, { items: 'all' }, 403),
            await call('alice', 'GET', 'metadata/user/nobody', M, undefined, 404),
            await call('alice', 'PATCH', 'metadata/user/me', M, { items: [{ key: 'missing', value: 1 }] }, 404),
            await call('alice', 'POST', 'metadata/user/me', M, { items: [] }, 405),
            await call('alice', 'GET', 'metadata/user/me/merge', `${M}/merge`, undefined, 405),
            await call('alice', 'PUT', 'subscriptions', '/subscriptions', { subject: 'user:bob' }, 405),
            await call('alice', 'PUT', 'metadata/user/me', M, { majorRevision: 0, items: [{ key: 'x', value: 1 }] }, 409),
            await call('alice', 'PUT', 'metadata/user/me', M, { items: [{ key: 'big', value: 'x'.repeat(17_000) }] }, 413),
        ].map(codeOf);
        expect(codes).toEqual(['forbidden', 'forbidden', 'subject_not_found', 'item_not_found', 'method_not_allowed', 'method_not_allowed', 'method_not_allowed', 'revision_conflict', 'too_large']);
        const headOfPost = await call('alice', 'HEAD', 'metadata/user/me/merge', `${M}/merge`, undefined, 405);
        expect(headOfPost.headers.get('allow')).toBe('POST, OPTIONS');
    });

    it('410 history_compacted below the history retention (setting history_revisions)', async () => {
        for (let i = 0; i < 3; i += 1) await call('carol', 'PUT', 'metadata/user/me', M, { items: [{ key: 'step', value: i }] }, 200);
        await a.setAppSetting('history_revisions', 1);
        try {
            const res = await call('carol', 'GET', 'metadata/user/me/history?since=0', `${M}/history`, undefined, 410);
            expect(codeOf(res)).toBe('history_compacted');
        } finally {
            await a.setAppSetting('history_revisions', 1000);
        }
    });

    it('429 rate_limited with Retry-After beyond the writes-per-second setting (limit_writes_per_second)', async () => {
        await a.setAppSetting('limit_writes_per_second', 1);
        try {
            const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => a.api('bob', 'PUT', 'metadata/user/me', { items: [{ key: `burst${i}`, value: i }] })));
            const limited = burst.filter((res) => res.status === 429);
            expect(limited.length).toBeGreaterThan(0);
            for (const res of burst) expect(await checker.answerProblems({ path: M, method: 'PUT' }, res)).toEqual([]);
            expect(limited.map(codeOf)).toEqual(limited.map(() => 'rate_limited'));
            expect(limited.every((res) => /^\d+$/.test(res.headers.get('retry-after') ?? ''))).toBe(true);
        } finally {
            await a.setAppSetting('limit_writes_per_second', 20);
        }
    });

    it('the server\'s own answers before the app (a body that is not JSON, a body over 100 kB) are documented too', async () => {
        const malformed = await call('alice', 'PUT', 'metadata/user/me', M, '{"items": [', 400);
        expect(typeof malformed.body).toBe('string');
        const oversized = await call('alice', 'PUT', 'metadata/user/me', M, { items: [{ key: 'huge', value: 'x'.repeat(120_000) }] }, 413);
        expect(typeof oversized.body).toBe('string');
    });
});
