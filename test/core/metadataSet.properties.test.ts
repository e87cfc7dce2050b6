import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePatch, toDocument } from '../../src/core/document';
import { MetadataError } from '../../src/core/errors';
import { JsonObject, JsonValue, NullableJsonValue } from '../../src/core/json';
import { overlaps } from '../../src/core/keys';
import { applyMerge, applyRemove, applySet, applyUpdate, emptySet, WriteContext } from '../../src/core/metadataSet';
import { MetadataSet, WriteOutcome } from '../../src/core/types';
import { jsonEquals } from '../../src/core/values';
import { key, metadataSet, patch, value, visibility } from './arbitraries';
import { context, thrown } from './helpers';
import { propertyRuns } from '../support/propertyRuns';

const ctx = context({ actorId: 'bob', at: '2024-06-01T00:00:00.000Z' });

function expectWellFormed(set: MetadataSet): void {
    const keys = set.items.map((item) => item.key);
    expect(keys).toEqual([...keys].sort());
    for (const a of keys) for (const b of keys) if (a !== b) expect(overlaps(a, b)).toBe(false);
}

describe('merge properties', () => {
    it('the document after a merge is exactly the RFC 7396 merge of the document before, empty objects included', () => {
        fc.assert(
            fc.property(metadataSet, patch, (before, patchValue) => {
                const after = applyMerge(before, { patch: patchValue as JsonObject }, ctx).set;
                const expected = mergePatch(toDocument(before.items) as NullableJsonValue, patchValue);
                expect(toDocument(after.items)).toEqual(expected);
                expectWellFormed(after);
            }),
            { numRuns: propertyRuns(400) },
        );
    });

    it('applying the same patch twice changes nothing the second time', () => {
        fc.assert(
            fc.property(metadataSet, patch, (before, patchValue) => {
                const once = applyMerge(before, { patch: patchValue as JsonObject }, ctx);
                const twice = applyMerge(once.set, { patch: patchValue as JsonObject }, ctx);
                expect(twice.wrote).toBe(false);
                expect(twice.set).toBe(once.set);
            }),
            { numRuns: propertyRuns(300) },
        );
    });
});

/*
 * SPEC §3, written out here and nowhere else in the tests: the expected answer of a check never comes
 * from the code under test.
 *   request majorRevision: absent or -1 = no check; N >= 0 = the subject's majorRevision must be N.
 *   item revision: absent or -1 = no check; 0 = the item must not exist yet; N > 0 = it must exist with revision N.
 */
function specMajorCheckHolds(check: number | undefined, current: number): boolean {
    if (check === undefined || check === -1) return true;
    return check === current;
}

function specItemCheckHolds(check: number | undefined, current: number | undefined): boolean {
    if (check === undefined || check === -1) return true;
    if (check === 0) return current === undefined;
    return current === check;
}

describe('compare-and-set: the table of SPEC §3', () => {
    // Three writes: `b`, then `a`, then `b` again. The subject is at majorRevision 3, `a` at revision 2,
    // `b` at revision 3, and `c` does not exist.
    const subject = [{ b: 0 }, { a: 0 }, { b: 1 }].reduce<MetadataSet>(
        (set, values) => applySet(set, { items: Object.entries(values).map(([name, v]) => ({ key: name, value: v })) }, ctx).set,
        emptySet(),
    );

    it('starts from the subject the table assumes', () => {
        expect(subject.majorRevision).toBe(3);
        expect(Object.fromEntries(subject.items.map((item) => [item.key, item.revision]))).toEqual({ a: 2, b: 3 });
    });

    it.each([
        // [item revision check, key, written?]
        [undefined, 'a', true], // absent: no check
        [-1, 'a', true], // -1: no check
        [-1, 'c', true],
        [0, 'c', true], // 0: the item must not exist yet (create-only)
        [0, 'a', false],
        [2, 'a', true], // N > 0: it must exist with revision N
        [3, 'a', false],
        [1, 'a', false],
        [2, 'c', false], // ... and exist
    ] as const)('item revision %s on %s: written = %s', (revision, key, written) => {
        const request = { items: [{ key, value: 'new', ...(revision === undefined ? {} : { revision }) }] };
        if (written) {
            expect(applySet(subject, request, ctx).set.items.find((item) => item.key === key)?.value).toBe('new');
            return;
        }
        const error = thrown(() => applySet(subject, request, ctx));
        expect(error.code).toBe('revision_conflict');
        // The conflict carries the current majorRevision and each conflicting item's revision, 0 where it does not exist.
        expect(error.details).toEqual({ majorRevision: 3, items: [{ key, revision: key === 'a' ? 2 : 0 }] });
    });

    it.each([
        [undefined, true], // absent: no check
        [-1, true], // -1: no check
        [3, true], // N >= 0: must be the current majorRevision
        [2, false],
        [0, false],
        [4, false],
    ] as const)('request majorRevision %s on a subject at 3: written = %s', (majorRevision, written) => {
        const request = { items: [{ key: 'c', value: 'new' }], ...(majorRevision === undefined ? {} : { majorRevision }) };
        if (written) {
            expect(applySet(subject, request, ctx).set.majorRevision).toBe(4);
            return;
        }
        const error = thrown(() => applySet(subject, request, ctx));
        expect(error.code).toBe('revision_conflict');
        expect(error.details).toEqual({ majorRevision: 3, items: [] });
    });

    it('majorRevision 0 is a check too: it holds only before the first write', () => {
        expect(applySet(emptySet(), { majorRevision: 0, items: [{ key: 'a', value: 1 }] }, ctx).set.majorRevision).toBe(1);
    });
});

describe('compare-and-set properties', () => {
    const revisionCheck = fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined });
    const request = fc.record({
        majorRevision: revisionCheck,
        items: fc.uniqueArray(fc.record({ key, value, revision: revisionCheck, visibility: fc.option(visibility, { nil: undefined }) }), {
            maxLength: 3,
            comparator: (a, b) => overlaps(a.key, b.key),
        }),
    });

    it('all-or-nothing per request: a request with any check failing SPEC §3 is refused whole with the current revisions, and one with none is written whole', () => {
        fc.assert(
            fc.property(metadataSet, request, (before, req) => {
                const snapshot = structuredClone(before);
                const current = new Map(before.items.map((item) => [item.key, item.revision]));
                const majorOk = specMajorCheckHolds(req.majorRevision, before.majorRevision);
                const failing = req.items.filter((item) => !specItemCheckHolds(item.revision, current.get(item.key)));
                let outcome: WriteOutcome | undefined;
                let error: MetadataError | undefined;
                try {
                    outcome = applySet(before, req, ctx);
                } catch (caught) {
                    error = caught as MetadataError;
                }
                expect(before).toEqual(snapshot);
                if (majorOk && failing.length === 0) {
                    expect(error).toBeUndefined();
                    for (const item of req.items) {
                        const stored = outcome!.set.items.find((candidate) => candidate.key === item.key);
                        expect(stored && jsonEquals(stored.value, item.value)).toBe(true);
                    }
                } else {
                    expect(outcome).toBeUndefined();
                    expect(error?.code).toBe('revision_conflict');
                    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
                    const details = error?.details as { majorRevision: number; items: { key: string; revision: number }[] };
                    expect(details.majorRevision).toBe(before.majorRevision);
                    // Each conflicting item with its current revision, 0 where it does not exist.
                    expect([...details.items].sort(byKey)).toEqual(
                        failing.map((item) => ({ key: item.key, revision: current.get(item.key) ?? 0 })).sort(byKey),
                    );
                }
            }),
            { numRuns: propertyRuns(400) },
        );
    });
});

describe('revision properties', () => {
    type Operation =
        | { kind: 'set' | 'update'; items: { key: string; value: JsonValue }[] }
        | { kind: 'remove'; keys: string[] }
        | { kind: 'merge'; patch: { [key: string]: NullableJsonValue } };
    const operation: fc.Arbitrary<Operation> = fc.oneof(
        fc.record({ kind: fc.constant('set' as const), items: fc.array(fc.record({ key, value }), { maxLength: 2 }) }),
        fc.record({ kind: fc.constant('update' as const), items: fc.array(fc.record({ key, value }), { maxLength: 2 }) }),
        fc.record({ kind: fc.constant('remove' as const), keys: fc.array(key, { maxLength: 2 }) }),
        fc.record({ kind: fc.constant('merge' as const), patch }),
    );

    function apply(set: MetadataSet, op: Operation, write: WriteContext): WriteOutcome {
        switch (op.kind) {
            case 'set':
                return applySet(set, { items: op.items }, write);
            case 'update':
                return applyUpdate(set, { items: op.items }, write);
            case 'remove':
                return applyRemove(set, { items: op.keys.map((removed) => ({ key: removed })) }, write);
            case 'merge':
                return applyMerge(set, { patch: op.patch as JsonObject }, write);
        }
    }

    it('majorRevision never decreases and rises by exactly one per write that changes something', () => {
        fc.assert(
            fc.property(metadataSet, fc.array(operation, { maxLength: 8 }), (start, ops) => {
                let set = start;
                for (const op of ops) {
                    let outcome: WriteOutcome;
                    try {
                        outcome = apply(set, op, ctx);
                    } catch (error) {
                        expect(error).toBeInstanceOf(MetadataError);
                        continue;
                    }
                    if (outcome.wrote) {
                        expect(outcome.set.majorRevision).toBe(set.majorRevision + 1);
                        for (const changedKey of outcome.changed) {
                            expect(outcome.set.items.find((item) => item.key === changedKey)?.revision).toBe(outcome.set.majorRevision);
                        }
                    } else {
                        expect(outcome.set).toBe(set);
                    }
                    for (const removedKey of outcome.removed) {
                        expect(outcome.set.items.some((item) => item.key === removedKey)).toBe(false);
                    }
                    expectWellFormed(outcome.set);
                    set = outcome.set;
                }
                expect(set.majorRevision).toBeGreaterThanOrEqual(start.majorRevision);
            }),
            { numRuns: propertyRuns(300) },
        );
    });
});
