import { describe, expect, it } from 'vitest';

import { httpHarness } from './httpHarness';

const PATH = 'subscriptions';

describe('subscriptions over HTTP', () => {
    it('POST subscribes and answers with the subscription', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'post', { as: 'bob', content: { subject: 'user:alice', roomId: 'r-general' } });
        expect([response.status, response.content]).toEqual([200, {
            subject: { namespace: 'user', id: 'u-alice', name: 'alice' }, roomId: 'r-general', createdAt: '2024-05-01T12:00:00.000Z',
        }]);
    });

    it('POST without roomId delivers to the direct room with the app\'s bot', async () => {
        const { call, engine } = httpHarness();
        const response = await call(PATH, 'post', { as: 'bob', content: { subject: 'room:general' } });
        expect(engine.rooms.get(response.content.roomId)?.type).toBe('d');
    });

    it('GET lists the caller\'s subscriptions', async () => {
        const { call } = httpHarness();
        await call(PATH, 'post', { as: 'bob', content: { subject: 'user:alice', roomId: 'r-general' } });
        const response = await call(PATH, 'get', { as: 'bob' });
        expect(response.content.subscriptions.map((s: { subject: { name: string } }) => s.subject.name)).toEqual(['alice']);
    });

    it('DELETE with a body unsubscribes', async () => {
        const { call } = httpHarness();
        await call(PATH, 'post', { as: 'bob', content: { subject: 'user:alice', roomId: 'r-general' } });
        const response = await call(PATH, 'delete', { as: 'bob', content: { subject: 'user:alice' } });
        expect(response.status).toBe(200);
        expect((await call(PATH, 'get', { as: 'bob' })).content.subscriptions).toEqual([]);
    });

    it('DELETE with ?subject= unsubscribes', async () => {
        const { call } = httpHarness();
        await call(PATH, 'post', { as: 'bob', content: { subject: 'user:alice', roomId: 'r-general' } });
        await call(PATH, 'delete', { as: 'bob', query: { subject: 'user:alice' } });
        expect((await call(PATH, 'get', { as: 'bob' })).content.subscriptions).toEqual([]);
    });

    it.each<[unknown, string]>([
        [{}, 'no subject'],
        [{ subject: 'alice' }, 'no namespace'],
        [{ subject: 'team:x' }, 'an unknown namespace'],
        [{ subject: 'user:' }, 'an empty name'],
        [{ subject: 'user:alice', roomId: 7 }, 'a roomId that is no string'],
        [{ subject: 'user:alice', extra: 1 }, 'an unknown field'],
        [['user:alice'], 'a body that is no object'],
    ])('%j (%s) is 400 invalid_request', async (content) => {
        const { call } = httpHarness();
        const response = await call(PATH, 'post', { as: 'bob', content });
        expect([response.status, response.content.error.code]).toEqual([400, 'invalid_request']);
    });

    it('subscribing to a private group one is not in is 403', async () => {
        const { call } = httpHarness();
        const response = await call(PATH, 'post', { as: 'bob', content: { subject: 'room:secret', roomId: 'r-general' } });
        expect([response.status, response.content.error.code]).toEqual([403, 'forbidden']);
    });
});
