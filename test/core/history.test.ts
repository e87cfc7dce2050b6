import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, historyCompacted, isKept, lowestKeptByCount, MAX_HISTORY_LIMIT, parseHistoryQuery } from '../../src/core/history';
import { expectError } from './helpers';

// SPEC §14: a subject keeps the change of each of its newest revisions, up to a count and an age; the history
// query takes `since` and `limit`. The expected answers are worked out by hand from those rules.

const NOW = Date.parse('2024-06-10T12:00:00.000Z');
const RECENT = '2024-06-10T11:00:00.000Z';
const keepThree = { revisions: 3, days: 2 };

describe('which revisions history keeps', () => {
    it('out of the box: the newest 1000 revisions, none older than 30 days, at most 100 per answer', () => {
        expect(DEFAULT_RETENTION).toEqual({ revisions: 1000, days: 30 });
        expect(MAX_HISTORY_LIMIT).toBe(100);
    });

    it('keeps the newest N revisions and drops the one before them', () => {
        // newest 10, keep 3: revisions 8, 9 and 10
        expect([6, 7, 8, 9, 10].map((revision) => isKept({ revision, at: RECENT }, 10, NOW, keepThree))).toEqual([false, false, true, true, true]);
    });

    it('keeps a change exactly as old as the age limit, and drops one a millisecond older', () => {
        expect(isKept({ revision: 10, at: '2024-06-08T12:00:00.000Z' }, 10, NOW, keepThree)).toBe(true);
        expect(isKept({ revision: 10, at: '2024-06-08T11:59:59.999Z' }, 10, NOW, keepThree)).toBe(false);
    });

    it('counts days of 24 hours', () => {
        const oneDay = { revisions: 3, days: 1 };
        expect(isKept({ revision: 10, at: '2024-06-09T12:00:00.000Z' }, 10, NOW, oneDay)).toBe(true);
        expect(isKept({ revision: 10, at: '2024-06-09T11:59:59.999Z' }, 10, NOW, oneDay)).toBe(false);
    });

    it('a change whose time cannot be read is judged by the count alone', () => {
        expect(isKept({ revision: 10, at: 'not a time' }, 10, NOW, keepThree)).toBe(true);
        expect(isKept({ revision: 7, at: 'not a time' }, 10, NOW, keepThree)).toBe(false);
    });

    it('the lowest revision the count keeps is newest - N + 1, and never below revision 1', () => {
        expect(lowestKeptByCount(10, keepThree)).toBe(8);
        expect(lowestKeptByCount(3, keepThree)).toBe(1);
        expect(lowestKeptByCount(2, keepThree)).toBe(1);
        expect(lowestKeptByCount(0, keepThree)).toBe(1);
    });
});

describe('the history query', () => {
    it('without since or limit: from the start, 100 changes', () => {
        expect(parseHistoryQuery(undefined, undefined)).toEqual({ since: 0, limit: 100 });
        expect(parseHistoryQuery('', '')).toEqual({ since: 0, limit: 100 });
    });

    it('takes whole numbers as text (a query string) or as numbers, spaces around them ignored', () => {
        expect(parseHistoryQuery('12', '5')).toEqual({ since: 12, limit: 5 });
        expect(parseHistoryQuery(' 12 ', ' 5 ')).toEqual({ since: 12, limit: 5 });
        expect(parseHistoryQuery(7, 1)).toEqual({ since: 7, limit: 1 });
        expect(parseHistoryQuery('0', '100')).toEqual({ since: 0, limit: 100 });
    });

    it('since is any whole number from 0 up to the largest safe integer', () => {
        expect(parseHistoryQuery('9007199254740991', undefined).since).toBe(9007199254740991);
        for (const since of ['-1', '9007199254740992', '1.5', '1e3', 'abc', '12abc', 'abc12', -1, 1.5, true]) {
            expectError(() => parseHistoryQuery(since, undefined), 'invalid_request');
        }
    });

    it('limit is a whole number from 1 to 100', () => {
        for (const limit of ['0', '101', '-5', 'ten', 0, 101]) expectError(() => parseHistoryQuery(undefined, limit), 'invalid_request');
    });

    it('says which parameter is wrong, its range, and what was given', () => {
        expect(expectError(() => parseHistoryQuery(undefined, '0'), 'invalid_request').message).toBe('"limit" must be a whole number from 1 to 100, not "0".');
        expect(expectError(() => parseHistoryQuery('x', undefined), 'invalid_request').message).toBe(
            '"since" must be a whole number from 0 to 9007199254740991, not "x".',
        );
    });
});

describe('history that is no longer kept', () => {
    it('is a history_compacted error naming the oldest kept revision, and what to do', () => {
        const error = historyCompacted(5, 9);
        expect(error.code).toBe('history_compacted');
        expect(error.details).toEqual({ oldestKept: 9 });
        expect(error.message).toBe(
            'History after revision 5 is no longer kept: the oldest kept revision is 9. Read the metadata as it is now, then follow the history from its majorRevision.',
        );
    });
});
