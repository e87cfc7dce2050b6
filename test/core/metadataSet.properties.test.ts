import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePatch, toDocument } from '../../src/core/document';
import { MetadataError } from '../../src/core/errors';
import { JsonObject, JsonValue, NullableJsonValue } from '../../src/core/json';
import { overlaps } from '../../src/core/keys';
import { applyMerge, applyRemove, applySet, applyUpdate, WriteContext } from '../../src/core/metadataSet';
import { revisionMatches } from '../../src/core/revisions';
import { MetadataSet, WriteOutcome } from '../../src/core/types';
import { jsonEquals } from '../../src/core/values';
import { key, metadataSet, patch, value, visibility } from './arbitraries';
import { context } from './helpers';

const ctx = context({ actorId: 'bob', now: '2024-06-01T00:00:00.000Z' });

/** Empty objects are invisible in the item view (`{a: {}}` over items under `a` is a no-op), so compare without them. */
function prune(value: NullableJsonValue | undefined): NullableJsonValue | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: { [key: string]: NullableJsonValue } = {};
    for (const [name, member] of Object.entries(value)) {
        const pruned = prune(member);
        if (pruned !== undefined) out[name] = pruned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
}

function expectWellFormed(set: MetadataSet): void {
    const keys = set.items.map((item) => item.key);
    expect(keys).toEqual([...keys].sort());
    for (const a of keys) for (const b of keys) if (a !== b) expect(overlaps(a, b)).toBe(false);
}

describe('merge properties', () => {
    it('the document after a merge is the RFC 7396 merge of the document before', () => {
        fc.assert(
            fc.property(metadataSet, patch, (before, patchValue) => {
                const after = applyMerge(before, { patch: patchValue as JsonObject }, ctx).set;
                const expected = mergePatch(toDocument(before.items) as NullableJsonValue, patchValue);
                expect(prune(toDocument(after.items))).toEqual(prune(expected));
                expectWellFormed(after);
            }),
            { numRuns: 400 },
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
            { numRuns: 300 },
        );
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

    it('a request with any failing check is refused whole, and one with none is written whole', () => {
        fc.assert(
            fc.property(metadataSet, request, (before, req) => {
                const snapshot = structuredClone(before);
                const current = new Map(before.items.map((item) => [item.key, item.revision]));
                const majorOk =
                    req.majorRevision === undefined || req.majorRevision === -1 || req.majorRevision === before.majorRevision;
                const itemsOk = req.items.every((item) => revisionMatches(item.revision, current.get(item.key)));
                let outcome: WriteOutcome | undefined;
                try {
                    outcome = applySet(before, req, ctx);
                } catch (error) {
                    expect((error as MetadataError).code).toBe('revision_conflict');
                }
                expect(before).toEqual(snapshot);
                if (majorOk && itemsOk) {
                    expect(outcome).toBeDefined();
                    for (const item of req.items) {
                        const stored = outcome!.set.items.find((candidate) => candidate.key === item.key);
                        expect(stored && jsonEquals(stored.value, item.value)).toBe(true);
                    }
                } else {
                    expect(outcome).toBeUndefined();
                }
            }),
            { numRuns: 400 },
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
            { numRuns: 300 },
        );
    });
});
