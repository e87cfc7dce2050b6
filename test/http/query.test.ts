// Query parameters as Express hands them over: a repeated parameter is an array, a bracketed one an object.
import { describe, expect, it } from 'vitest';

import { httpHarness, me } from './httpHarness';

describe('a list parameter (?keys=) merges its repeats', () => {
    it('GET ?keys=a&keys=b,c reads as ?keys=a,b,c', async () => {
        const h = httpHarness();
        await h.call('metadata/:ns/:id', 'put', { params: me, content: { items: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }, { key: 'c', value: 3 }, { key: 'd', value: 4 }] } });
        const response = await h.call('metadata/:ns/:id', 'get', { params: me, query: { keys: ['a', 'b,c'] } });
        expect(response.status).toBe(200);
        expect(Object.keys(response.content.document)).toEqual(['a', 'b', 'c']);
    });

    it('DELETE ?keys=a&keys=b removes both', async () => {
        const h = httpHarness();
        await h.call('metadata/:ns/:id', 'put', { params: me, content: { items: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }, { key: 'c', value: 3 }] } });
        const response = await h.call('metadata/:ns/:id', 'delete', { params: me, query: { keys: ['a', 'b'] } });
        expect(response.status).toBe(200);
        expect(response.content.document).toEqual({ c: 3 });
    });

    it.each([[{ x: 'a' }], [[['a']]], [['a', { b: 1 }]]])('answers 400 naming the parameter for ?keys as %j', async (keys) => {
        const h = httpHarness();
        for (const method of ['get', 'delete'] as const) {
            const response = await h.call('metadata/:ns/:id', method, { params: me, query: { keys } });
            expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
            expect(response.content.error.message).toContain('query parameter "keys"');
        }
    });
});

describe('a parameter that names one thing (?subject=) must be given once', () => {
    it('DELETE subscriptions?subject=a&subject=b answers 400 naming the parameter', async () => {
        const h = httpHarness();
        const response = await h.call('subscriptions', 'delete', { query: { subject: ['user:bob', 'user:carol'] } });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
        expect(response.content.error.message).toBe('query parameter "subject" is given 2 times; give it once, e.g. ?subject=user:alice');
    });

    it('and bracketed parts are refused the same way', async () => {
        const h = httpHarness();
        const response = await h.call('subscriptions', 'delete', { query: { subject: { user: 'bob' } } });
        expect(response.status).toBe(400);
        expect(response.content.error.message).toContain('query parameter "subject" must be plain text');
    });
});
