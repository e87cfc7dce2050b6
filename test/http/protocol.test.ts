import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { describe, expect, it } from 'vitest';

import { MetadataService } from '../../src/service/types';
import { httpHarness, Method, me } from './httpHarness';

import { METHODS as NODE_METHODS } from 'node:http';

/** Every method Node's HTTP server passes on (CONNECT never reaches a route). */
const METHODS = NODE_METHODS.filter((m) => m !== 'CONNECT').map((m) => m.toLowerCase()) as Method[];

describe('the HTTP API as the server sees it', () => {
    it('is public, leaves authentication to the server, and every endpoint but the API description requires a logged-in user', () => {
        const { api } = httpHarness();
        expect([api.visibility, api.security]).toEqual([ApiVisibility.PUBLIC, ApiSecurity.UNSECURE]);
        expect(api.endpoints.map((e) => [e.path, e.authRequired])).toEqual([
            ['metadata/:ns/:id', true],
            ['metadata/:ns/:id/merge', true],
            ['metadata/:ns/:id/state', true],
            ['metadata/:ns/:id/choices', true],
            ['metadata/:ns/:id/pick', true],
            ['metadata/:ns/:id/history', true],
            ['metadata/:ns/:id/locks', true],
            ['metadata/:ns/:id/locks/:name', true],
            ['metadata/:ns/:id/repair', true],
            ['subscriptions', true],
            ['webhooks', true],
            ['webhooks/:webhookId', true],
            ['webhooks/:webhookId/deliveries', true],
            ['openapi.json', false],
            ['admin/reconcile', true],
            ['admin/export', true],
            ['admin/import', true],
            ['admin/subjects', true],
        ]);
    });

    it('every endpoint implements every method the server routes to it, so the engine never answers 500 for one', () => {
        const { api } = httpHarness();
        expect(METHODS).toEqual(expect.arrayContaining(['get', 'head', 'options', 'trace', 'propfind', 'm-search']));
        for (const endpoint of api.endpoints) {
            const missing = METHODS.filter((m) => typeof (endpoint as unknown as Record<string, unknown>)[m] !== 'function');
            expect(missing, endpoint.path).toEqual([]);
        }
    });

    it('every endpoint shows examples in the admin UI', () => {
        const { api } = httpHarness();
        expect(api.endpoints.every((e) => Object.keys(e.examples ?? {}).length > 0)).toBe(true);
    });

    it.each([
        ['metadata/:ns/:id', 'post', 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
        ['metadata/:ns/:id/merge', 'get', 'POST, OPTIONS'],
        ['metadata/:ns/:id/state', 'put', 'POST, OPTIONS'],
        ['subscriptions', 'patch', 'GET, HEAD, POST, DELETE, OPTIONS'],
        ['subscriptions', 'trace', 'GET, HEAD, POST, DELETE, OPTIONS'],
        ['metadata/:ns/:id', 'm-search', 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
    ] as const)('%s answers %s with 405 and the methods it takes', async (path, method, allowed) => {
        const { call } = httpHarness();
        const response = await call(path, method, { params: me });
        expect([response.status, response.headers?.allow, response.content.error.code]).toEqual([405, allowed, 'method_not_allowed']);
    });

    it.each([
        ['metadata/:ns/:id', 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
        ['metadata/:ns/:id/merge', 'POST, OPTIONS'],
        ['metadata/:ns/:id/state', 'POST, OPTIONS'],
        ['subscriptions', 'GET, HEAD, POST, DELETE, OPTIONS'],
    ])('OPTIONS on %s answers 204 with Allow and no body', async (path, allowed) => {
        const { call } = httpHarness();
        const response = await call(path, 'options', { params: me });
        expect(response).toEqual({ status: 204, headers: { allow: allowed } });
    });

    it('HEAD answers as GET, without a body', async () => {
        const h = httpHarness();
        await h.call('metadata/:ns/:id', 'put', { params: me, content: { items: [{ key: 'k', value: 1 }] } });
        const get = await h.call('metadata/:ns/:id', 'get', { params: me });
        const head = await h.call('metadata/:ns/:id', 'head', { params: me });
        expect(head).toEqual({ status: get.status, headers: get.headers });
        const missing = await h.call('metadata/:ns/:id', 'head', { params: { ns: 'user', id: 'nobody' } });
        expect([missing.status, missing.content]).toEqual([404, undefined]);
        expect((await h.call('subscriptions', 'head')).status).toBe(200);
    });

    it('HEAD where GET is not taken answers 405 without a body', async () => {
        const { call } = httpHarness();
        const response = await call('metadata/:ns/:id/merge', 'head', { params: me });
        expect(response).toEqual({ status: 405, headers: { 'content-type': 'application/json', allow: 'POST, OPTIONS' } });
    });

    it('a request without a user is 401', async () => {
        const { call } = httpHarness();
        const response = await call('metadata/:ns/:id', 'get', { as: null, params: me });
        expect([response.status, response.content.error.code]).toEqual([401, 'unauthorized']);
    });

    it('a bug of ours is 500 with a generic message: no stack, no internals; the details go to the log', async () => {
        const h = httpHarness();
        h.useService({ get: async () => { throw new TypeError('secret internals at line 42'); } } as unknown as MetadataService);
        const response = await h.call('metadata/:ns/:id', 'get', { params: me });
        expect(response.status).toBe(500);
        expect(response.content.error.code).toBe('internal_error');
        expect(JSON.stringify(response.content)).not.toContain('internals');
        expect(JSON.stringify(h.logged)).toContain('secret internals');
    });
});
