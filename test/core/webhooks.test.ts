import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import {
    DELIVERY_TIMEOUT_MS, FIRST_RETRY_MS, LOG_KEPT, MAX_RETRY_MS, MAX_WEBHOOK_SUBJECTS, RETRY_FOR_MS, compareDeliveryOrder, followsSubject, givesUp,
    nextAttemptAt, parseWebhookRegistration, sortDeliveries, webhookView,
} from '../../src/core/webhooks';

function refusal(body: unknown): string {
    try {
        parseWebhookRegistration(body);
    } catch (error) {
        expect(error).toBeInstanceOf(MetadataError);
        return `${(error as MetadataError).code}: ${(error as MetadataError).message}`;
    }
    throw new Error('not refused');
}

describe('registering a webhook', () => {
    it('takes a URL, subject patterns, an optional secret and includePrivate (default false)', () => {
        expect(parseWebhookRegistration({ url: 'https://example.com/hook', subjects: ['user:*', 'room:GENERAL'] }))
            .toEqual({ url: 'https://example.com/hook', subjects: ['user:*', 'room:GENERAL'], includePrivate: false });
        expect(parseWebhookRegistration({ url: 'http://127.0.0.1:9/x', subjects: ['room:*'], secret: 's3', includePrivate: true }))
            .toEqual({ url: 'http://127.0.0.1:9/x', subjects: ['room:*'], secret: 's3', includePrivate: true });
    });

    it.each([
        [undefined, 'a JSON object'],
        [{ url: 'ftp://example.com', subjects: ['user:*'] }, 'http or https, not ftp'],
        [{ url: 'not a url', subjects: ['user:*'] }, 'not a URL'],
        [{ url: 'https://example.com', subjects: [] }, '"subjects" must be a list of 1 to 100'],
        [{ url: 'https://example.com', subjects: ['users:*'] }, '"users:*" is not a subject pattern'],
        [{ url: 'https://example.com', subjects: ['user:a*'] }, 'is not a subject pattern'],
        [{ url: 'https://example.com', subjects: ['user:*'], secret: '' }, '"secret" must be text'],
        [{ url: 'https://example.com', subjects: ['user:*'], includePrivate: 'yes' }, '"includePrivate" must be true or false'],
        [{ url: 'https://example.com', subjects: ['user:*'], events: ['x'] }, 'Unknown field "events"'],
    ])('refuses %j with a 400 that says what is wrong', (body, says) => {
        expect(refusal(body)).toMatch(new RegExp(`^invalid_request: .*${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    });

    it('never shows the secret once registered, only that there is one', () => {
        const view = webhookView({ id: 'w1', url: 'https://e.com', secret: 'hush', subjects: ['user:*'], includePrivate: false, createdAt: 't', createdBy: 'u' });
        expect([JSON.stringify(view).includes('hush'), view.hasSecret]).toEqual([false, true]);
    });
});

describe('which subjects a webhook follows', () => {
    const webhook = { subjects: ['user:*', 'room:GENERAL'] };

    it('follows every subject of a namespace with *, and one subject by id', () => {
        expect([
            followsSubject(webhook, { namespace: 'user', id: 'alice' }),
            followsSubject(webhook, { namespace: 'room', id: 'GENERAL' }),
            followsSubject(webhook, { namespace: 'room', id: 'other' }),
        ]).toEqual([true, true, false]);
    });
});

describe('retrying a failed delivery', () => {
    it('tries the first time at once', () => {
        expect(nextAttemptAt('d', 0, 1000)).toBe(1000);
    });

    it('waits about twice as long after each failure, within ±50% jitter, up to an hour', () => {
        for (let failures = 1; failures <= 20; failures++) {
            const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
            const wait = nextAttemptAt(`delivery-${failures}`, failures, 0);
            expect(wait).toBeGreaterThanOrEqual(base * 0.5);
            expect(wait).toBeLessThanOrEqual(base * 1.5);
        }
    });

    it('gives every instance the same due time for the same delivery and attempt', () => {
        expect(nextAttemptAt('abc', 3, 5000)).toBe(nextAttemptAt('abc', 3, 5000));
    });

    it('spreads deliveries that failed together (the jitter differs by delivery)', () => {
        const waits = new Set(Array.from({ length: 20 }, (_, i) => nextAttemptAt(`d${i}`, 4, 0)));
        expect(waits.size).toBeGreaterThan(15);
    });

    it('keeps retrying for 24 hours after the change, then gives up at the next failure', () => {
        expect([givesUp(0, RETRY_FOR_MS - 1), givesUp(0, RETRY_FOR_MS)]).toEqual([false, true]);
    });
});

describe('what a refused registration says, exactly', () => {
    it.each([
        [[1], 'Send a JSON object: {"url": "https://…", "subjects": ["user:*"], "secret": "…", "includePrivate": false}.'],
        [null, 'Send a JSON object: {"url": "https://…", "subjects": ["user:*"], "secret": "…", "includePrivate": false}.'],
        [{ url: 5, subjects: ['user:*'] }, '"url" must be an http or https URL of at most 2048 characters.'],
        [{ url: `https://e.com/${'x'.repeat(2035)}`, subjects: ['user:*'] }, '"url" must be an http or https URL of at most 2048 characters.'],
        [{ url: 'nope', subjects: ['user:*'] }, '"url" is not a URL: "nope".'],
        [{ url: 'mailto:a@b.c', subjects: ['user:*'] }, '"url" must use http or https, not mailto.'],
        [{ url: 'https://e.com', subjects: ['user:*'], secret: 'x'.repeat(257) }, '"secret" must be text of 1 to 256 characters (or left out for unsigned deliveries).'],
        [{ url: 'https://e.com', subjects: ['user:*'], secret: 7 }, '"secret" must be text of 1 to 256 characters (or left out for unsigned deliveries).'],
        [{ url: 'https://e.com', subjects: 'user:*' }, '"subjects" must be a list of 1 to 100 patterns: "user:*", "room:*", "message:*", or "<namespace>:<id>".'],
        [{ url: 'https://e.com', subjects: Array.from({ length: 101 }, (_, i) => `user:u${i}`) }, '"subjects" must be a list of 1 to 100 patterns: "user:*", "room:*", "message:*", or "<namespace>:<id>".'],
        [{ url: 'https://e.com', subjects: [3] }, '3 is not a subject pattern: use "user:*", "room:*", "message:*", or "<namespace>:<id>" (namespace user, room or message).'],
        [{ url: 'https://e.com', subjects: ['user:a b'] }, '"user:a b" is not a subject pattern: use "user:*", "room:*", "message:*", or "<namespace>:<id>" (namespace user, room or message).'],
        [{ url: 'https://e.com', subjects: [`room:${'r'.repeat(257)}`] }, `"room:${'r'.repeat(257)}" is not a subject pattern: use "user:*", "room:*", "message:*", or "<namespace>:<id>" (namespace user, room or message).`],
        [{ url: 'https://e.com', subjects: ['xroom:1'] }, '"xroom:1" is not a subject pattern: use "user:*", "room:*", "message:*", or "<namespace>:<id>" (namespace user, room or message).'],
        [{ url: 'https://e.com', subjects: ['room:1x '] }, '"room:1x " is not a subject pattern: use "user:*", "room:*", "message:*", or "<namespace>:<id>" (namespace user, room or message).'],
        [{ url: 'https://e.com', subjects: ['user:*'], includePrivate: 1 }, '"includePrivate" must be true or false.'],
        [{ url: 'https://e.com', subjects: ['user:*'], x: 1, y: 2 }, 'Unknown field "x": a webhook has url, subjects, secret and includePrivate.'],
    ])('%j: %s', (body, says) => {
        expect(refusal(body)).toBe(`invalid_request: ${says}`);
    });

    it('accepts the limits themselves: a 2048-character URL, a 256-character secret, 100 subjects, a 256-character id', () => {
        const url = `https://e.com/${'x'.repeat(2034)}`;
        const subjects = [...Array.from({ length: 99 }, (_, i) => `user:u${i}`), `room:${'r'.repeat(256)}`];
        expect(parseWebhookRegistration({ url, subjects, secret: 's'.repeat(256), includePrivate: false })).toEqual({ url, subjects, secret: 's'.repeat(256), includePrivate: false });
    });

    it('a subject named twice is kept once', () => {
        expect(parseWebhookRegistration({ url: 'https://e.com', subjects: ['user:*', 'room:1', 'user:*'] }).subjects).toEqual(['user:*', 'room:1']);
    });

    it('a view of a webhook without a secret says so, and keeps everything else', () => {
        const webhook = { id: 'w1', url: 'https://e.com', subjects: ['user:*'], includePrivate: true, createdAt: 't', createdBy: 'u' };
        expect(webhookView(webhook)).toEqual({ ...webhook, hasSecret: false });
    });
});

describe('the order in which a subject\u2019s deliveries are sent', () => {
    const order = (majorRevision: number, kind: 0 | 1, at = 0, tie = '') => ({ majorRevision, kind, at, tie });

    it('by majorRevision; an item change before the state changes made at its revision; state changes by time, then op id; then delivery id', () => {
        const queue = [
            { id: 'g', order: order(3, 0) },
            { id: 'f', order: order(2, 1, 50, 'b') },
            { id: 'e', order: order(2, 1, 50, 'a') },
            { id: 'd2', order: order(2, 1, 10, 'z') },
            { id: 'd1', order: order(2, 1, 10, 'z') },
            { id: 'c', order: order(2, 0) },
            { id: 'b', order: order(1, 1, 99, 'q') },
            { id: 'a', order: order(1, 0) },
        ];
        expect(sortDeliveries(queue).map((d) => d.id)).toEqual(['a', 'b', 'c', 'd1', 'd2', 'e', 'f', 'g']);
        expect(queue[0].id).toBe('g');
    });

    it('two deliveries of one order and one id are equal', () => {
        expect(compareDeliveryOrder(order(2, 1, 5, 't'), order(2, 1, 5, 't'))).toBe(0);
        expect(compareDeliveryOrder(order(2, 1, 5, 'u'), order(2, 1, 5, 't'))).toBeGreaterThan(0);
    });
});

describe('retry timing, in numbers', () => {
    it('waits 5 s, 10 s, 20 s, … (±50%) and never more than an hour (±50%), however many failures', () => {
        expect([DELIVERY_TIMEOUT_MS, FIRST_RETRY_MS, MAX_RETRY_MS, RETRY_FOR_MS, LOG_KEPT, MAX_WEBHOOK_SUBJECTS]).toEqual([10_000, 5_000, 3_600_000, 86_400_000, 100, 100]);
        const wait1 = nextAttemptAt('x', 1, 1000) - 1000;
        expect(wait1).toBeGreaterThanOrEqual(2500);
        expect(wait1).toBeLessThan(7500);
        for (const failures of [40, 1000]) {
            const wait = nextAttemptAt('x', failures, 0);
            expect(wait).toBeGreaterThanOrEqual(1_800_000);
            expect(wait).toBeLessThan(5_400_000);
        }
    });

    it('the jitter spreads over the whole ±50% band', () => {
        const waits = Array.from({ length: 200 }, (_, i) => nextAttemptAt(`d${i}`, 1, 0));
        expect(Math.min(...waits)).toBeLessThan(3000);
        expect(Math.max(...waits)).toBeGreaterThan(7000);
        for (const wait of waits) expect(Number.isInteger(wait), `${wait} is whole milliseconds`).toBe(true);
    });
});
