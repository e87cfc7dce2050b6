import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import {
    FIRST_RETRY_MS, MAX_RETRY_MS, RETRY_FOR_MS, followsSubject, givesUp, nextAttemptAt, parseWebhookRegistration, webhookView,
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
