import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { describe, expect, it } from 'vitest';

import { MetadataService } from '../../src/service/types';
import { httpHarness, Method, me } from './httpHarness';

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

describe('the HTTP API as the server sees it', () => {
    it('is public, leaves authentication to the server, and every endpoint requires a logged-in user', () => {
        const { api } = httpHarness();
        expect([api.visibility, api.security]).toEqual([ApiVisibility.PUBLIC, ApiSecurity.UNSECURE]);
        expect(api.endpoints.map((e) => [e.path, e.authRequired])).toEqual([
            ['metadata/:ns/:id', true],
            ['metadata/:ns/:id/merge', true],
            ['metadata/:ns/:id/state', true],
            ['subscriptions', true],
        ]);
    });

    it('every endpoint implements every method, so the engine never answers 500 for one', () => {
        const { api } = httpHarness();
        for (const endpoint of api.endpoints) {
            expect(METHODS.filter((m) => typeof endpoint[m] !== 'function'), endpoint.path).toEqual([]);
        }
    });

    it('every endpoint shows examples in the admin UI', () => {
        const { api } = httpHarness();
        expect(api.endpoints.every((e) => Object.keys(e.examples ?? {}).length > 0)).toBe(true);
    });

    it.each([
        ['metadata/:ns/:id', 'post', 'GET, PUT, PATCH, DELETE'],
        ['metadata/:ns/:id/merge', 'get', 'POST'],
        ['metadata/:ns/:id/state', 'put', 'POST'],
        ['subscriptions', 'patch', 'GET, POST, DELETE'],
    ] as const)('%s answers %s with 405 and the methods it takes', async (path, method, allowed) => {
        const { call } = httpHarness();
        const response = await call(path, method, { params: me });
        expect([response.status, response.headers?.allow, response.content.error.code]).toEqual([405, allowed, 'method_not_allowed']);
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
