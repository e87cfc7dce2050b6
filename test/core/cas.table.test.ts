import { describe, expect, it } from 'vitest';
import { applyMerge, applyRemove, applySet, applyUpdate, emptySet } from '../../src/core/metadataSet';
import { Item, MetadataSet } from '../../src/core/types';
import { context, expectError } from './helpers';

/*
 * The compare-and-set table of SPEC §3, written out row by row. The expected answers come from the
 * SPEC text, not from the code:
 *
 *   request majorRevision: absent or -1 = no check; N >= 0 = the subject's current majorRevision must be N.
 *   item revision: absent or -1 = no check; 0 = the item must not exist yet (create-only);
 *                  N > 0 = the item must exist with revision N.
 *   Any mismatch: 409 revision_conflict, nothing written; the error carries majorRevision (current) and
 *   items: [{key, revision}] with the current revision of each conflicting item (0 where it does not exist).
 *   A successful write raises majorRevision by one, and every item it writes takes that revision.
 *
 * The subject below is written by hand: majorRevision 3, item "a" last changed by write 2, item "b" by write 3.
 */

const stamp = { updatedAt: '2024-05-01T12:00:00.000Z', updatedBy: 'alice', visibility: 'private' as const };
const SUBJECT: MetadataSet = {
    majorRevision: 3,
    items: [
        { key: 'a', value: 'A', revision: 2, ...stamp },
        { key: 'b', value: 'B', revision: 3, ...stamp },
    ],
};
const writer = context({ actorId: 'bob', at: '2024-05-02T08:00:00.000Z' });

type Expected = 'written' | { conflict: Array<{ key: string; revision: number }> };

/** request majorRevision | the subject's majorRevision | answer */
const MAJOR_REVISION_TABLE: Array<[string, number | undefined, Expected]> = [
    ['absent: no check', undefined, 'written'],
    ['-1: no check', -1, 'written'],
    ['N equal to the current majorRevision (3)', 3, 'written'],
    ['N below the current majorRevision', 2, { conflict: [] }],
    ['N above the current majorRevision', 4, { conflict: [] }],
    ['0 on a subject that was written before', 0, { conflict: [] }],
];

/** item revision | the item as it is now | answer (with the revision reported for a conflict) */
const ITEM_REVISION_TABLE: Array<[string, string, number | undefined, Expected]> = [
    ['absent, item exists: no check', 'a', undefined, 'written'],
    ['absent, item missing: no check', 'new', undefined, 'written'],
    ['-1, item exists: no check', 'a', -1, 'written'],
    ['-1, item missing: no check', 'new', -1, 'written'],
    ['0, item missing: create-only succeeds', 'new', 0, 'written'],
    ['0, item exists at revision 2: create-only refused, reports 2', 'a', 0, { conflict: [{ key: 'a', revision: 2 }] }],
    ['2, item at revision 2', 'a', 2, 'written'],
    ['1, item at revision 2: reports 2', 'a', 1, { conflict: [{ key: 'a', revision: 2 }] }],
    ['3, item at revision 2 (3 is the subject\u2019s, not the item\u2019s): reports 2', 'a', 3, { conflict: [{ key: 'a', revision: 2 }] }],
    ['3, item at revision 3', 'b', 3, 'written'],
    ['1, item missing: reports 0', 'new', 1, { conflict: [{ key: 'new', revision: 0 }] }],
];

function expectAnswer(action: () => { set: MetadataSet; changed: string[] }, expected: Expected, writtenKeys: string[]): void {
    const before = structuredClone(SUBJECT);
    if (expected === 'written') {
        const outcome = action();
        expect(outcome.set.majorRevision).toBe(4);
        for (const key of writtenKeys) expect(outcome.set.items.find((item) => item.key === key)?.revision, key).toBe(4);
        return;
    }
    const error = expectError(action, 'revision_conflict');
    expect(error.details).toEqual({ majorRevision: 3, items: expected.conflict });
    expect(SUBJECT).toEqual(before);
}

describe('CAS table (SPEC §3): the request majorRevision', () => {
    it.each(MAJOR_REVISION_TABLE)('set, %s', (_row, majorRevision, expected) => {
        expectAnswer(() => applySet(SUBJECT, { majorRevision, items: [{ key: 'a', value: 'A2' }] }, writer), expected, ['a']);
    });

    it.each(MAJOR_REVISION_TABLE)('update, %s', (_row, majorRevision, expected) => {
        expectAnswer(() => applyUpdate(SUBJECT, { majorRevision, items: [{ key: 'b', value: 'B2' }] }, writer), expected, []);
    });

    it.each(MAJOR_REVISION_TABLE)('remove of one item, %s', (_row, majorRevision, expected) => {
        expectAnswer(() => applyRemove(SUBJECT, { majorRevision, items: [{ key: 'a' }] }, writer), expected, []);
    });

    it.each(MAJOR_REVISION_TABLE)('remove of the whole set, %s', (_row, majorRevision, expected) => {
        expectAnswer(() => applyRemove(SUBJECT, { majorRevision }, writer), expected, []);
    });

    it.each(MAJOR_REVISION_TABLE)('merge, %s', (_row, majorRevision, expected) => {
        expectAnswer(() => applyMerge(SUBJECT, { majorRevision, patch: { a: 'A2' } }, writer), expected, ['a']);
    });

    it('0 is the majorRevision of a subject never written: the first write may require it', () => {
        const outcome = applySet(emptySet(), { majorRevision: 0, items: [{ key: 'a', value: 1 }] }, writer);
        expect(outcome.set.majorRevision).toBe(1);
        expect(outcome.set.items).toEqual([{ key: 'a', value: 1, revision: 1, updatedAt: writer.at, updatedBy: 'bob', visibility: 'private' }]);
    });
});

describe('CAS table (SPEC §3): the item revision', () => {
    it.each(ITEM_REVISION_TABLE)('set, %s', (_row, key, revision, expected) => {
        expectAnswer(() => applySet(SUBJECT, { items: [{ key, value: 'changed', revision }] }, writer), expected, [key]);
    });

    it.each(ITEM_REVISION_TABLE.filter(([, key]) => key !== 'new'))('update, %s', (_row, key, revision, expected) => {
        expectAnswer(() => applyUpdate(SUBJECT, { items: [{ key, value: 'changed', revision }] }, writer), expected, [key]);
    });

    it.each(ITEM_REVISION_TABLE.filter(([, key]) => key !== 'new'))('remove, %s', (_row, key, revision, expected) => {
        expectAnswer(() => applyRemove(SUBJECT, { items: [{ key, revision }] }, writer), expected, []);
    });
});

describe('CAS is all-or-nothing per request (SPEC §3)', () => {
    it('one failing check among passing ones writes nothing and reports only the failing item', () => {
        expectAnswer(
            () =>
                applySet(
                    SUBJECT,
                    {
                        majorRevision: 3,
                        items: [
                            { key: 'a', value: 1, revision: 2 },
                            { key: 'b', value: 1, revision: 2 },
                            { key: 'c', value: 1, revision: 0 },
                        ],
                    },
                    writer,
                ),
            { conflict: [{ key: 'b', revision: 3 }] },
            [],
        );
    });

    it('every failing check is reported at once, in request order, with the stale majorRevision too', () => {
        expectAnswer(
            () =>
                applySet(
                    SUBJECT,
                    {
                        majorRevision: 1,
                        items: [
                            { key: 'new', value: 1, revision: 4 },
                            { key: 'b', value: 1, revision: 0 },
                            { key: 'a', value: 1, revision: 1 },
                        ],
                    },
                    writer,
                ),
            {
                conflict: [
                    { key: 'new', revision: 0 },
                    { key: 'b', revision: 3 },
                    { key: 'a', revision: 2 },
                ],
            },
            [],
        );
    });

    it('a passing request writes every item at the new majorRevision and leaves the others as they were', () => {
        const outcome = applySet(SUBJECT, { majorRevision: 3, items: [{ key: 'a', value: 'A2', revision: 2 }, { key: 'c', value: 'C', revision: 0 }] }, writer);
        const byKey = Object.fromEntries(outcome.set.items.map((item: Item) => [item.key, [item.value, item.revision, item.updatedBy]]));
        expect(byKey).toEqual({ a: ['A2', 4, 'bob'], b: ['B', 3, 'alice'], c: ['C', 4, 'bob'] });
    });
});
