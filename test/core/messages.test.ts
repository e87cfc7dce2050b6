import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, MetadataError } from '../../src/core/errors';
import { applyRemove, applySet, applyUpdate } from '../../src/core/metadataSet';
import { planStateOp } from '../../src/core/state';
import { MetadataSet, StateOp, StateRequest } from '../../src/core/types';
import { context, expectError } from './helpers';
import { stateContext } from './state/helpers';

// What a caller is told when a request is refused: the code, its HTTP status (SPEC §7) and the sentence, written out
// here by hand. The sentences are what a user of /meta or the HTTP API reads to fix their request.

const stamp = { updatedAt: '2024-05-01T12:00:00.000Z', updatedBy: 'alice', visibility: 'private' as const };
const SUBJECT: MetadataSet = { majorRevision: 3, items: [{ key: 'a', value: 'A', revision: 2, ...stamp }] };
const ctx = context();

describe('error codes and their HTTP status (SPEC §7)', () => {
    it.each([
        ['invalid_request', 400], ['invalid_key', 400], ['invalid_value', 400], ['type_mismatch', 400], ['operation_not_allowed', 400],
        ['forbidden', 403], ['subject_not_found', 404], ['item_not_found', 404], ['revision_conflict', 409],
        ['history_compacted', 410], ['too_large', 413], ['rate_limited', 429], ['try_again', 503],
    ] as const)('%s is %i', (code, status) => {
        expect(ERROR_STATUS[code]).toBe(status);
        expect(new MetadataError(code, 'm').status).toBe(status);
    });

    it('an error body carries the code, the sentence and the details', () => {
        const error = new MetadataError('revision_conflict', 'stale', { majorRevision: 3, items: [] });
        expect(error.name).toBe('MetadataError');
        expect(error.toJSON()).toEqual({ code: 'revision_conflict', message: 'stale', majorRevision: 3, items: [] });
        expect(new MetadataError('forbidden', 'no').toJSON()).toEqual({ code: 'forbidden', message: 'no' });
    });
});

describe('a revision conflict says what the subject and each item are at', () => {
    const tail = '. Read the current revisions and retry.';
    const head = 'revision conflict, nothing was written: ';

    it('a stale majorRevision', () => {
        expect(expectError(() => applySet(SUBJECT, { majorRevision: 2, items: [{ key: 'a', value: 1 }] }, ctx), 'revision_conflict').message)
            .toBe(`${head}the subject is at majorRevision 3, not 2${tail}`);
    });

    it('create-only on an existing item, an item at another revision, a missing item: all at once', () => {
        const items = [
            { key: 'a', value: 1, revision: 0 },
            { key: 'b', value: 1, revision: 4 },
        ];
        expect(expectError(() => applySet(SUBJECT, { items }, ctx), 'revision_conflict').message).toBe(
            `${head}"a" already exists (revision 2); revision 0 means create-only; "b" does not exist, you expected revision 4${tail}`,
        );
        expect(expectError(() => applySet(SUBJECT, { majorRevision: 1, items: [{ key: 'a', value: 1, revision: 1 }] }, ctx), 'revision_conflict').message)
            .toBe(`${head}the subject is at majorRevision 3, not 1; "a" is at revision 2, not 1${tail}`);
    });

    it('a revision that is not an integer >= -1', () => {
        expect(expectError(() => applySet(SUBJECT, { items: [{ key: 'a', value: 1, revision: -2 }] }, ctx), 'invalid_request').message)
            .toBe('items[0].revision must be an integer >= -1 (-1 or absent: no check), not -2');
        const majorRevision = 'x' as unknown as number;
        expect(expectError(() => applySet(SUBJECT, { majorRevision, items: [] }, ctx), 'invalid_request').message)
            .toBe('majorRevision must be an integer >= -1 (-1 or absent: no check), not "x"');
    });
});

describe('a write that names items wrongly says which', () => {
    it('update of missing items names them all, and nothing is written', () => {
        const error = expectError(() => applyUpdate(SUBJECT, { items: [{ key: 'x', value: 1 }, { key: 'a', value: 1 }, { key: 'y', value: 1 }] }, ctx), 'item_not_found');
        expect(error.message).toBe('no item "x", "y"; update changes only existing items (use set to create items), nothing was written');
        expect(error.details).toEqual({ items: ['x', 'y'] });
    });

    it('an update without items', () => {
        expect(expectError(() => applyUpdate(SUBJECT, {} as never, ctx), 'invalid_request').message).toBe('an update request needs "items" (a list of {key, value})');
    });

    it('remove of a missing item names it, and nothing is removed', () => {
        const error = expectError(() => applyRemove(SUBJECT, { items: [{ key: 'a' }, { key: 'gone' }] }, ctx), 'item_not_found');
        expect(error.message).toBe('no item "gone" to remove, nothing was removed');
        expect(error.details).toEqual({ items: ['gone'] });
    });

    it('one key twice, or a key with a key under it, in one request', () => {
        expect(expectError(() => applySet(SUBJECT, { items: [{ key: 'k', value: 1 }, { key: 'k', value: 2 }] }, ctx), 'invalid_request').message)
            .toBe('key "k" appears more than once in the request');
        expect(expectError(() => applyRemove(SUBJECT, { items: [{ key: 'p.q.r' }, { key: 'p' }] }, ctx), 'invalid_request').message)
            .toBe('keys "p" and "p.q.r" overlap in one request; give one or the other');
    });

    it('a request, an item list or an item of the wrong shape', () => {
        expect(expectError(() => applySet(SUBJECT, [] as never, ctx), 'invalid_request').message).toBe('the set request must be a JSON object, not an array');
        expect(expectError(() => applySet(SUBJECT, { items: 'a=1' as never }, ctx), 'invalid_request').message)
            .toBe('items must be an array of {key, value, revision?, visibility?}, not a string');
        expect(expectError(() => applySet(SUBJECT, { items: [7 as never] }, ctx), 'invalid_request').message)
            .toBe('items[0] must be an object {key, value, revision?, visibility?}, not a number');
        expect(expectError(() => applyRemove(SUBJECT, { items: [null as never] }, ctx), 'invalid_request').message)
            .toBe('items[0] must be an object {key, revision?}, not null');
        expect(expectError(() => applySet(SUBJECT, { items: [{ key: 'a', value: 1, visibility: 'secret' as never }] }, ctx), 'invalid_request').message)
            .toBe('items[0].visibility must be "public" or "private", not "secret"');
    });
});

describe('a refused state operation says why (SPEC §5)', () => {
    function refusal(log: StateOp[], userId: string, request: StateRequest): MetadataError {
        try {
            planStateOp(log, request, stateContext(userId));
        } catch (error) {
            return error as MetadataError;
        }
        throw new Error('not refused');
    }
    const op = (fields: Partial<StateOp>): StateOp => ({ id: 'o1', key: 'k', type: 'lww', op: 'add', userId: 'alice', at: 1, value: 'v', ...fields });

    it('a type other than the key\u2019s', () => {
        const error = refusal([op({ type: 'lww' })], 'bob', { key: 'k', type: 'set', op: 'add', value: 1 });
        expect([error.code, error.message, error.details]).toEqual([
            'type_mismatch', 'state "k" is of type "lww", not "set"; a key\'s type is fixed by its first operation', { type: 'lww' },
        ]);
    });

    it('an unknown type or op', () => {
        expect(refusal([], 'bob', { key: 'k', type: 'bag' as never, op: 'add', value: 1 }).message).toBe('type must be one of "set", "fww", "lww", "lwwn", not "bag"');
        expect(refusal([], 'bob', { key: 'k', op: 'toggle' as never, value: 1 }).message).toBe('op must be "add" or "remove", not "toggle"');
    });

    it('fww: no remove, and no second add', () => {
        expect(refusal([], 'alice', { key: 'k', type: 'fww', op: 'remove' }).message).toBe('"k" is first-writer-wins: a value once set cannot be removed');
        const second = refusal([op({ type: 'fww' })], 'alice', { key: 'k', op: 'add', value: 'w' });
        expect([second.code, second.message]).toEqual(['operation_not_allowed', 'first writer wins: your value for "k" is already set and cannot change']);
    });

    it('lww: no remove', () => {
        const error = refusal([op({})], 'alice', { key: 'k', op: 'remove' });
        expect([error.code, error.message]).toEqual(['operation_not_allowed', '"k" is last-writer-wins without unset: add a new value instead of removing']);
    });

    it('lwwn: removing a value you do not hold', () => {
        const error = refusal([op({ type: 'lwwn', userId: 'bob' })], 'alice', { key: 'k', op: 'remove' });
        expect([error.code, error.message]).toEqual(['item_not_found', 'you have no value for "k"; nothing to remove']);
    });

    it('set: removing an element you do not hold, shown cut at 64 characters', () => {
        expect(refusal([], 'alice', { key: 'k', op: 'remove', value: 'zz' }).message).toBe('your set "k" does not hold "zz"; nothing to remove');
        const long = 'x'.repeat(70);
        expect(refusal([], 'alice', { key: 'k', op: 'remove', value: long }).message).toBe(`your set "k" does not hold "${'x'.repeat(63)}…; nothing to remove`);
        expect(refusal([], 'alice', { key: 'k', op: 'remove', value: 'x'.repeat(62) }).message).toBe(`your set "k" does not hold "${'x'.repeat(62)}"; nothing to remove`);
    });

    it('a missing value', () => {
        const add = refusal([], 'alice', { key: 'k', op: 'add' });
        expect([add.code, add.message]).toEqual(['invalid_value', 'the value to add to "k" is missing: name it']);
        expect(refusal([], 'alice', { key: 'k', op: 'remove' }).message).toBe('the value to take out of your set "k" is missing: name it');
    });
});
