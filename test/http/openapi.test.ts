// The OpenAPI 3.1 document of the HTTP API (SPEC §7): the repo copy is the module's output, the document is valid
// OpenAPI 3.1, it names every endpoint the app registers and every error code the app has, and the answers of the
// endpoints (over the service harness) match it. test/e2e/surfaces/openapi.test.ts checks the packaged app.
import fs from 'node:fs';
import path from 'node:path';

import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { beforeAll, describe, expect, it } from 'vitest';

import { ERROR_STATUS, ErrorCode, MetadataError } from '../../src/core/errors';
import { validateKey } from '../../src/core/keys';
import { AdminService, createAdminService } from '../../src/service/admin';
import { createLifecycleService, LifecycleService } from '../../src/service/lifecycle';
import { MetadataStore } from '../../src/store/MetadataStore';
import { INDEX_SHARDS } from '../../src/store/records';
import { MetadataService } from '../../src/service/types';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { JsonEndpoint } from '../../src/surfaces/http/JsonEndpoint';
import { metadataApi } from '../../src/surfaces/http/metadataApi';
import { openApiDocument } from '../../src/surfaces/http/openapi';
import { SURFACE_ERROR_STATUS } from '../../src/surfaces/http/respond';
import { harness } from '../service/harness';
import { OpenApiChecker } from './openapiCheck';

const root = path.resolve(__dirname, '../..');
const COPY = path.join(root, 'docs', 'openapi.json');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { id: string; version: string };
const OPENAPI_METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'] as const;

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const generated = openApiDocument(manifest.id, manifest.version) as Node;
let checker: OpenApiChecker;

beforeAll(() => {
    checker = OpenApiChecker.create(generated);
});

/** `metadata/:ns/:id` → `/metadata/{ns}/{id}` */
const docPath = (endpointPath: string) => `/${endpointPath.replace(/:(\w+)/g, '{$1}')}`;

function allRefs(node: unknown, found: string[] = []): string[] {
    if (Array.isArray(node)) node.forEach((child) => allRefs(child, found));
    else if (node && typeof node === 'object') {
        for (const [name, child] of Object.entries(node)) {
            if (name === '$ref' && typeof child === 'string') found.push(child);
            else allRefs(child, found);
        }
    }
    return found;
}

/** The endpoints as the engine calls them, over the service harness (with an app that has an id and version). */
function api(service?: MetadataService) {
    const h = harness();
    const logger = { error: () => undefined } as unknown as ILogger;
    const app = { getLogger: () => logger, getID: () => manifest.id, getVersion: () => manifest.version } as unknown as IApp;
    // The sweep over a store whose index holds one subject that still exists (the failing proxy stands in for it too).
    const lifecycle = createLifecycleService({
        store: {
            purge: async () => ({ removed: 0, complete: true }),
            holdsAnything: async () => false,
            indexedSubjects: async (namespace, shard) => (namespace === 'room' && shard === 0 ? [{ namespace: 'room', id: 'r-general' }] : []),
            endSubscriptions: async () => [],
        },
        existence: { exists: async () => true },
        settings: async () => ({ ...DEFAULT_SETTINGS, adminRoles: ['admin'] }),
        log: logger,
        shards: 2,
    });
    // Export, import and the list of subjects over the harness's persistence (every subject exists).
    const connection = h.db.connect();
    const admin = createAdminService({
        store: new MetadataStore(connection.read, connection.persistence),
        existence: { exists: async () => true },
        settings: async () => ({ ...DEFAULT_SETTINGS, adminRoles: ['admin'] }),
        clock: { now: () => Date.now() },
        log: logger,
        shards: INDEX_SHARDS,
        newId: () => 'hold-1',
    });
    const built = metadataApi(
        app,
        () => service ?? h.service,
        () => (service as unknown as LifecycleService | undefined) ?? lifecycle,
        () => (service as unknown as AdminService | undefined) ?? admin,
    );
    const call = async (endpointPath: string, method: string, parts: { as?: string | null; params?: Record<string, string>; query?: Record<string, unknown>; content?: unknown } = {}) => {
        const endpoint = built.endpoints.find((e) => e.path === endpointPath) as IApiEndpoint;
        const as = parts.as === undefined ? 'alice' : parts.as;
        const request = {
            method, headers: {}, query: parts.query ?? {}, params: parts.params ?? {},
            content: parts.content ?? (method === 'get' || method === 'head' ? {} : undefined),
            user: as === null ? undefined : ({ ...h.caller(as) } as unknown as IUser),
        } as unknown as IApiRequest;
        const handler = (endpoint as unknown as Record<string, (...args: unknown[]) => Promise<IApiResponse>>)[method];
        return handler.call(endpoint, request, {} as IApiEndpointInfo, h.engine.read as IRead, h.engine.modify as IModify, {} as IHttp, {} as IPersistence);
    };
    return { api: built, call };
}

async function expectDocumented(op: { path: string; method: string }, response: IApiResponse): Promise<void> {
    const problems = await checker.answerProblems(op, { status: response.status, headers: (response.headers ?? {}) as Record<string, string>, body: response.content });
    expect(problems, JSON.stringify(response)).toEqual([]);
}

describe('the OpenAPI document', () => {
    it('docs/openapi.json is the output of src/surfaces/http/openapi.ts (UPDATE_OPENAPI=1 writes it anew)', () => {
        const text = `${JSON.stringify(generated, null, 2)}\n`;
        if (process.env.UPDATE_OPENAPI === '1') fs.writeFileSync(COPY, text);
        expect(fs.existsSync(COPY), 'docs/openapi.json is missing: run UPDATE_OPENAPI=1 npx vitest run test/http/openapi.test.ts').toBe(true);
        expect(JSON.parse(fs.readFileSync(COPY, 'utf8')), 'docs/openapi.json is stale: run UPDATE_OPENAPI=1 npx vitest run test/http/openapi.test.ts').toEqual(generated);
    });

    it('is valid OpenAPI 3.1 by the official schema (every schema in it by the OAS 3.1 dialect)', async () => {
        expect(generated.openapi).toBe('3.1.0');
        expect(await checker.documentProblems()).toEqual([]);
    });

    it('the validator refuses a broken document (so the check above means something)', async () => {
        const broken = structuredClone(generated);
        broken.components.schemas.Item.properties.revision.type = 'whole number';
        delete broken.info.version;
        const problems = await OpenApiChecker.create(broken).documentProblems();
        expect(problems.join('\n')).toMatch(/#\/info/);
        expect(problems.join('\n')).toMatch(/#\/components\/schemas\/Item\/properties\/revision\/type/);
    });

    it('the check refuses answers the document does not describe (so the checks below mean something)', async () => {
        const get = { path: '/metadata/{ns}/{id}', method: 'get' };
        const json = { 'content-type': 'application/json' };
        const view = { subject: { namespace: 'user', id: 'u1', name: 'alice' }, majorRevision: 1, document: { a: 1 }, state: {} };
        const item = { key: 'a', value: 1, revision: 1, updatedAt: '2024-05-01T12:00:00.000Z', updatedBy: 'u1', visibility: 'public' };
        expect(await checker.answerProblems(get, { status: 200, headers: json, body: { ...view, items: [item] } })).toEqual([]);
        const refused = [
            await checker.answerProblems(get, { status: 418, headers: json, body: {} }),
            await checker.answerProblems(get, { status: 200, headers: json, body: { ...view, items: [{ ...item, updatedAt: 'yesterday' }] } }),
            await checker.answerProblems(get, { status: 200, headers: json, body: { ...view, items: [item], extra: true } }),
            await checker.answerProblems(get, { status: 200, headers: { 'content-type': 'text/html' }, body: 'hello' }),
            await checker.answerProblems(get, { status: 404, headers: json, body: { error: { code: 'item_missing', message: 'x' } } }),
            await checker.answerProblems(get, { status: 409, headers: json, body: { error: { code: 'revision_conflict', message: 'x' } } }),
            await checker.answerProblems({ ...get, method: 'post' }, { status: 405, headers: json, body: { error: { code: 'method_not_allowed', message: 'x' } } }),
            await checker.answerProblems({ ...get, method: 'put' }, { status: 429, headers: json, body: { error: { code: 'rate_limited', message: 'x', retryAfter: 1 } } }),
            await checker.answerProblems({ ...get, method: 'head' }, { status: 200, headers: json, body: { ...view, items: [] } }),
        ];
        expect(refused.map((problems) => problems.length > 0)).toEqual(refused.map(() => true));
    });

    it('every $ref resolves, every path parameter is declared, operation ids are unique', () => {
        for (const ref of allRefs(generated)) {
            expect(ref.startsWith('#/'), ref).toBe(true);
            const target = ref.slice(2).split('/').reduce<Node | undefined>((at, token) => at?.[token.replace(/~1/g, '/').replace(/~0/g, '~')], generated);
            expect(target, ref).toBeDefined();
        }
        const ids: string[] = [];
        for (const [template, item] of Object.entries(generated.paths as Node)) {
            const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
            for (const method of OPENAPI_METHODS) {
                const op = item[method] as Node | undefined;
                expect(op, `${method} ${template}`).toBeDefined();
                const declared = [...(item.parameters ?? []), ...(op!.parameters ?? [])]
                    .map((p: Node) => checker.resolve(p.$ref.slice(2).split('/')).node!)
                    .filter((p: Node) => p.in === 'path').map((p: Node) => p.name).sort();
                expect(declared, `${method} ${template}`).toEqual(inTemplate);
                if (op!.operationId) ids.push(op!.operationId);
            }
        }
        expect(new Set(ids).size).toBe(ids.length);
    });

    it('names every error code of the app under its status, from core/errors.ts and respond.ts', () => {
        const documented: Record<string, number> = {};
        for (const [name, schema] of Object.entries(generated.components.schemas as Node)) {
            const status = /^Error(\d+)$/.exec(name)?.[1];
            if (!status) continue;
            const error = schema.properties.error;
            for (const variant of error.oneOf ?? [error]) documented[variant.properties.code.const] = Number(status);
        }
        expect(documented).toEqual({ ...ERROR_STATUS, ...SURFACE_ERROR_STATUS });
    });

    it('describes exactly the endpoints the app registers, with the methods each takes, and only openapi.json without login', () => {
        const { api: registered } = api();
        expect(Object.keys(generated.paths).sort()).toEqual(registered.endpoints.map((e) => docPath(e.path)).sort());
        for (const endpoint of registered.endpoints) {
            const item = generated.paths[docPath(endpoint.path)] as Node;
            const taken = OPENAPI_METHODS.filter((m) => !('405' in item[m].responses)).map((m) => m.toUpperCase());
            expect(taken.join(', '), endpoint.path).toBe((endpoint as JsonEndpoint).allowHeader);
            const open = OPENAPI_METHODS.every((m) => Array.isArray(item[m].security) && item[m].security.length === 0);
            const login = OPENAPI_METHODS.every((m) => item[m].security === undefined && '401' in item[m].responses);
            expect([endpoint.authRequired, open, login], endpoint.path).toEqual(endpoint.path === 'openapi.json' ? [false, true, false] : [true, false, true]);
        }
        expect(generated.security).toEqual([{ userId: [], authToken: [] }]);
        expect(generated.servers[0].url).toBe(`/api/apps/public/${manifest.id}`);
    });

    it('its Key schema takes the keys the app takes', async () => {
        const keys = ['a', 'contact.first_name', 'A-b_9.x', 'k'.repeat(256), 'k'.repeat(257), '', 'a..b', '.a', 'a.', 'a b', 'ä', '__proto__', 'a.prototype', 'constructor.x', 'a.__proto__x'];
        for (const key of keys) {
            let valid = true;
            try {
                validateKey(key);
            } catch {
                valid = false;
            }
            const problems = await checker.requestProblems({ path: '/metadata/{ns}/{id}', method: 'PATCH' }, { items: [{ key, value: 1 }] });
            expect(problems.length === 0, key).toBe(valid);
        }
    });
});

describe('the answers of the endpoints match the document', () => {
    const subject = { ns: 'user', id: 'me', name: 'seat' };
    /** one line of an export, as admin/import takes it */
    const IMPORTED = {
        format: 1, subject: { namespace: 'user', id: 'u-carol' }, majorRevision: 1,
        items: [{ key: 'team', value: 'blue', revision: 1, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u-carol', visibility: 'public' }],
        state: [{ id: 'op-1', key: 'votes', type: 'set', op: 'add', userId: 'u-carol', at: 1, value: 'pizza' }],
        subscriptions: [],
    };

    it('the answer to every method on every path, logged in and (for openapi.json) not', async () => {
        const { api: registered, call } = api();
        for (const endpoint of registered.endpoints) {
            for (const method of [...OPENAPI_METHODS, 'propfind']) {
                const response = await call(endpoint.path, method, { params: subject, as: endpoint.authRequired ? 'alice' : null });
                if (method === 'propfind') expect(response.status).toBe(405); // OpenAPI 3.1 cannot name it: the same 405
                else await expectDocumented({ path: docPath(endpoint.path), method }, response);
            }
        }
    });

    it('successes and real errors of every operation', async () => {
        const { call } = api();
        const cases: Array<[string, string, Parameters<typeof call>[2], number]> = [
            ['metadata/:ns/:id', 'put', { params: subject, content: { items: [{ key: 'contact.first_name', value: 'Grace', visibility: 'public' }, { key: 'n', value: 1 }] } }, 200],
            ['metadata/:ns/:id', 'put', { params: subject, content: { document: { a: { b: [1] } }, majorRevision: 1, cause: { ticket: 1 } } }, 200],
            ['metadata/:ns/:id', 'get', { params: subject, query: { keys: 'contact' } }, 200],
            ['metadata/:ns/:id', 'head', { params: subject }, 200],
            ['metadata/:ns/:id', 'patch', { params: subject, content: { items: [{ key: 'n', value: 2, revision: 1 }] } }, 200],
            ['metadata/:ns/:id', 'delete', { params: subject, query: { keys: 'n' } }, 200],
            ['metadata/:ns/:id/merge', 'post', { params: subject, content: { patch: { a: null, m: { x: 1 } } } }, 200],
            ['metadata/:ns/:id/state', 'post', { params: subject, content: { key: 'votes', type: 'set', op: 'add', value: 'pizza' } }, 200],
            ['metadata/:ns/:id/history', 'get', { params: subject, query: { since: '1', limit: '2' } }, 200],
            ['metadata/:ns/:id/repair', 'post', { as: 'root', params: { ns: 'user', id: 'alice' }, content: { items: ['m'], state: 'all' } }, 200],
            ['subscriptions', 'post', { content: { subject: 'room:general', roomId: 'r-general' } }, 200],
            ['subscriptions', 'get', {}, 200],
            ['subscriptions', 'delete', { query: { subject: 'room:general' } }, 200],
            ['metadata/:ns/:id', 'get', { params: { ns: 'team', id: 'x' } }, 400],
            ['metadata/:ns/:id', 'put', { params: subject, content: { items: [{ key: 'a..b', value: 1 }] } }, 400],
            ['metadata/:ns/:id', 'put', { params: subject, content: { items: [{ key: 'a', value: null }] } }, 400],
            ['metadata/:ns/:id/state', 'post', { params: subject, content: { key: 'tags', type: 'set', op: 'add', value: 'a' } }, 200],
            ['metadata/:ns/:id/state', 'post', { params: subject, content: { key: 'tags', type: 'lww', op: 'add', value: 1 } }, 400],
            ['metadata/:ns/:id/state', 'post', { params: subject, content: { key: 'score', type: 'lww', op: 'add', value: 1 } }, 200],
            ['metadata/:ns/:id/state', 'post', { params: subject, content: { key: 'score', op: 'remove' } }, 400],
            ['metadata/:ns/:id', 'put', { params: { ns: 'user', id: 'bob' }, content: { items: [{ key: 'a', value: 1 }] } }, 403],
            ['metadata/:ns/:id/repair', 'post', { params: subject, content: { items: 'all' } }, 403],
            ['metadata/:ns/:id', 'get', { params: { ns: 'user', id: 'nobody' } }, 404],
            ['metadata/:ns/:id', 'head', { params: { ns: 'user', id: 'nobody' } }, 404],
            ['metadata/:ns/:id', 'patch', { params: subject, content: { items: [{ key: 'missing', value: 1 }] } }, 404],
            ['metadata/:ns/:id', 'put', { params: subject, content: { majorRevision: 0, items: [{ key: 'a', value: 1 }] } }, 409],
            ['metadata/:ns/:id', 'put', { params: subject, content: { items: [{ key: 'big', value: 'x'.repeat(17_000) }] } }, 413],
            ['subscriptions', 'post', { content: { subject: 'room:secret', roomId: 'nowhere' } }, 400],
            ['admin/reconcile', 'post', { as: 'root', content: {} }, 200],
            ['admin/reconcile', 'post', { as: 'root', content: { cursor: '1', limit: 10 } }, 200],
            ['admin/reconcile', 'post', { as: 'root', content: { cursor: 'nonsense' } }, 400],
            ['admin/reconcile', 'post', { as: 'root', content: { limit: 0 } }, 400],
            ['admin/reconcile', 'post', { content: {} }, 403],
            ['subscriptions', 'delete', {}, 400],
            ['admin/import', 'post', { as: 'root', content: { ndjson: `${JSON.stringify(IMPORTED)}\n` } }, 200],
            ['admin/import', 'post', { as: 'root', content: { ndjson: '{"format":1}\n{' } }, 400],
            ['admin/import', 'post', { as: 'root', content: { lines: [] } }, 400],
            ['admin/import', 'post', { content: { ndjson: '' } }, 403],
            ['admin/export', 'get', { as: 'root' }, 200],
            ['admin/export', 'get', { as: 'root', query: { limit: '1' } }, 200],
            ['admin/export', 'head', { as: 'root' }, 200],
            ['admin/export', 'get', { as: 'root', query: { cursor: 'nonsense' } }, 400],
            ['admin/export', 'get', { as: 'root', query: { limit: '0' } }, 400],
            ['admin/export', 'get', {}, 403],
            ['admin/subjects', 'get', { as: 'root' }, 200],
            ['admin/subjects', 'get', { as: 'root', query: { namespace: 'user', limit: '5', cursor: '64' } }, 200],
            ['admin/subjects', 'get', { as: 'root', query: { namespace: 'team' } }, 400],
            ['admin/subjects', 'get', {}, 403],
        ];
        for (const [endpointPath, method, parts, status] of cases) {
            const response = await call(endpointPath, method, parts);
            expect(response.status, `${method} ${endpointPath} ${JSON.stringify(response.content)}`).toBe(status);
            const op = { path: docPath(endpointPath), method };
            await expectDocumented(op, response);
            if (parts?.content !== undefined && status === 200) expect(await checker.requestProblems(op, parts.content), JSON.stringify(parts.content)).toEqual([]);
        }
    });

    /** The fields the app adds to each code (as core/ and the store throw them). */
    const DETAILS: Record<ErrorCode, Record<string, unknown>> = {
        invalid_request: {}, invalid_key: { limit: 64, size: 65 }, invalid_value: {}, type_mismatch: { type: 'set' }, operation_not_allowed: {},
        forbidden: {}, subject_not_found: { namespace: 'user', ref: 'nobody' }, item_not_found: { items: ['a'] },
        lock_not_found: { lock: 'seat' }, locked: { lock: 'seat', holder: 'u2', expiresAt: '2026-12-02T00:00:10.000Z' },
        revision_conflict: { majorRevision: 3, items: [{ key: 'a', revision: 0 }] }, history_compacted: { oldestKept: 7 },
        too_large: { limit: 16384, size: 20000 }, rate_limited: { limit: 20, retryAfter: 1 }, try_again: { retryAfter: 1 },
    };

    /** A body each operation parses, so that the request reaches the service. */
    const BODIES: Record<string, unknown> = {
        'put metadata/:ns/:id': { items: [{ key: 'a', value: 1 }] },
        'patch metadata/:ns/:id': { items: [{ key: 'a', value: 1 }] },
        'post metadata/:ns/:id/merge': { patch: { a: 1 } },
        'post metadata/:ns/:id/state': { key: 'k', op: 'add', value: 1 },
        'post metadata/:ns/:id/repair': { items: 'all' },
        'post subscriptions': { subject: 'user:bob' },
        'post admin/reconcile': {},
        'post metadata/:ns/:id/locks': { name: 'seat' },
        'post admin/import': { ndjson: '' },
        'post metadata/:ns/:id/pick': { choice: 'pizza' },
    };

    it.each(Object.keys(ERROR_STATUS) as ErrorCode[])('%s as every operation that may answer its status answers it', async (code) => {
        const failing = new Proxy({}, { get: () => async () => { throw new MetadataError(code, `a ${code}`, DETAILS[code]); } }) as MetadataService;
        const { api: registered, call } = api(failing);
        let documented = 0;
        for (const endpoint of registered.endpoints) {
            for (const method of OPENAPI_METHODS) {
                const op = { path: docPath(endpoint.path), method };
                const responses = generated.paths[op.path][method].responses as Node;
                if (!(String(ERROR_STATUS[code]) in responses)) continue;
                documented += 1;
                const response = await call(endpoint.path, method, { params: subject, query: { subject: 'user:bob' }, content: BODIES[`${method} ${endpoint.path}`] });
                expect(response.status).toBe(ERROR_STATUS[code]);
                await expectDocumented(op, response);
            }
        }
        expect(documented).toBeGreaterThan(0);
    });

    it('a failure of the app itself (500 internal_error)', async () => {
        const failing = new Proxy({}, { get: () => async () => { throw new Error('bug'); } }) as MetadataService;
        const { call } = api(failing);
        const response = await call('metadata/:ns/:id', 'get', { params: subject });
        expect(response.status).toBe(500);
        await expectDocumented({ path: '/metadata/{ns}/{id}', method: 'get' }, response);
    });

    it('the app\'s own 401 (a request the server let through without a user)', async () => {
        const { call } = api();
        const response = await call('metadata/:ns/:id', 'get', { params: subject, as: null });
        expect(response.status).toBe(401);
        await expectDocumented({ path: '/metadata/{ns}/{id}', method: 'get' }, response);
    });

    it('openapi.json answers the document without login', async () => {
        const { call } = api();
        const response = await call('openapi.json', 'get', { as: null });
        expect([response.status, response.content]).toEqual([200, generated]);
    });
});
