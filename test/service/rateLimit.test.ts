import { describe, expect, it } from 'vitest';

import { WriteRateLimiter } from '../../src/service/rateLimiter';
import { SETTING } from '../../src/settings';
import { failure, harness } from './harness';

const me = { namespace: 'user', ref: 'me' } as const;

describe('write rate limit', () => {
    it('20 writes in one second pass, the 21st is 429 rate_limited', async () => {
        const { service, caller } = harness();
        for (let i = 0; i < 20; i++) await service.set(caller('alice'), me, { items: [{ key: 'n', value: i }] });
        const error = await failure(service.set(caller('alice'), me, { items: [{ key: 'n', value: 99 }] }));
        expect([error.status, error.code]).toEqual([429, 'rate_limited']);
    });

    it('a rate-limited write stores nothing', async () => {
        const { service, caller } = harness();
        for (let i = 0; i < 20; i++) await service.set(caller('alice'), me, { items: [{ key: 'n', value: i }] });
        await failure(service.set(caller('alice'), me, { items: [{ key: 'n', value: 99 }] }));
        expect((await service.get(caller('alice'), me)).document).toEqual({ n: 19 });
    });

    it('the limit holds across invocations on one instance', async () => {
        const h = harness();
        for (let i = 0; i < 20; i++) await h.again().set(h.caller('alice'), me, { items: [{ key: 'n', value: i }] });
        expect((await failure(h.again().set(h.caller('alice'), me, { items: [{ key: 'n', value: 99 }] }))).code).toBe('rate_limited');
    });

    it('writes are allowed again as time passes', async () => {
        const { service, caller, clock } = harness();
        for (let i = 0; i < 20; i++) await service.set(caller('alice'), me, { items: [{ key: 'n', value: i }] });
        clock.advance(50); // one token at 20 per second
        await service.set(caller('alice'), me, { items: [{ key: 'n', value: 20 }] });
        expect((await failure(service.set(caller('alice'), me, { items: [{ key: 'n', value: 21 }] }))).code).toBe('rate_limited');
    });

    it('each user has their own allowance', async () => {
        const { service, caller } = harness();
        for (let i = 0; i < 20; i++) await service.set(caller('alice'), me, { items: [{ key: 'n', value: i }] });
        expect((await service.set(caller('bob'), me, { items: [{ key: 'n', value: 1 }] })).majorRevision).toBe(1);
    });

    it('state operations count as writes', async () => {
        const { service, caller } = harness();
        for (let i = 0; i < 20; i++) await service.state(caller('alice'), me, { key: 'seen', op: 'add', value: i });
        expect((await failure(service.state(caller('alice'), me, { key: 'seen', op: 'add', value: 99 }))).code).toBe('rate_limited');
    });

    it('reads are not limited', async () => {
        const { service, caller } = harness();
        for (let i = 0; i < 30; i++) await service.get(caller('alice'), me);
        expect((await service.get(caller('alice'), me)).majorRevision).toBe(0);
    });

    it('the admin sets the rate', async () => {
        const h = harness();
        h.engine.settings[SETTING.writesPerSecond] = 2;
        await h.service.set(h.caller('alice'), me, { items: [{ key: 'n', value: 1 }] });
        await h.service.set(h.caller('alice'), me, { items: [{ key: 'n', value: 2 }] });
        expect((await failure(h.service.set(h.caller('alice'), me, { items: [{ key: 'n', value: 3 }] }))).code).toBe('rate_limited');
    });

    it('a rate of 0 means no limit', () => {
        const limiter = new WriteRateLimiter();
        expect(Array.from({ length: 100 }, () => limiter.take('u', 0, 0)).every(Boolean)).toBe(true);
    });

    it('the bucket refills continuously, up to the rate and no further', () => {
        const limiter = new WriteRateLimiter();
        for (let i = 0; i < 5; i++) limiter.take('u', 5, 0);
        expect(limiter.take('u', 5, 0)).toBe(false);
        // 10 s idle refills to 5, not 50
        const results = Array.from({ length: 6 }, () => limiter.take('u', 5, 10_000));
        expect(results).toEqual([true, true, true, true, true, false]);
    });

    it('many idle users do not pile up', () => {
        const limiter = new WriteRateLimiter();
        for (let i = 0; i < 3000; i++) limiter.take(`u${i}`, 5, i * 1000);
        expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThan(1100);
    });
});
