import { describe, expect, it } from 'vitest';
import {
    checkRequestItemCount, checkSetLimits, DEFAULT_LIMITS, KEY_SEGMENTS_SETTING, NESTING_DEPTH_SETTING, setBytes, validateCause,
} from '../../src/core/limits';
import { applyMerge, applySet, applyUpdate, emptySet } from '../../src/core/metadataSet';
import { planStateOp } from '../../src/core/state';
import { JsonObject, JsonValue } from '../../src/core/json';
import enLabels from '../../i18n/en.json';
import { context, expectError, setWith } from './helpers';
import { stateContext } from './state/helpers';

describe('limits', () => {
    it('has the documented defaults', () => {
        expect(DEFAULT_LIMITS).toEqual({
            valueBytes: 16384,
            setBytes: 65536,
            itemsPerSet: 1000,
            itemsPerRequest: 100,
            causeBytes: 65535,
            writesPerSecond: 20,
            nestingDepth: 32,
            keySegments: 32,
        });
    });

    it('leaves an absent cause absent', () => {
        expect(validateCause(undefined, DEFAULT_LIMITS)).toBeUndefined();
    });

    it('accepts a text or a JSON object as cause', () => {
        expect(validateCause('because', DEFAULT_LIMITS)).toBe('because');
        expect(validateCause({ ticket: 42, tags: ['a'] }, DEFAULT_LIMITS)).toEqual({ ticket: 42, tags: ['a'] });
    });

    it.each([42, true, null, ['a']])('refuses %j as cause', (cause) => {
        expect(expectError(() => validateCause(cause, DEFAULT_LIMITS), 'invalid_request').message).toContain('cause');
    });

    it('refuses a cause object that is not JSON', () => {
        expectError(() => validateCause({ a: NaN }, DEFAULT_LIMITS), 'invalid_request');
    });

    it('refuses a cause over 65,535 bytes serialized', () => {
        const fits = 'x'.repeat(DEFAULT_LIMITS.causeBytes - 2);
        expect(validateCause(fits, DEFAULT_LIMITS)).toBe(fits);
        const error = expectError(() => validateCause(`${fits}x`, DEFAULT_LIMITS), 'too_large');
        expect(error.details).toEqual({ limit: 65535, size: 65536 });
    });

    it('weighs a set as the bytes of its keys plus the bytes of its serialized values', () => {
        expect(setBytes([{ key: 'ab', value: 'c' }, { key: 'é', value: 1 }])).toBe(2 + 3 + 2 + 1);
    });

    it('refuses a request with more items than allowed, saying which limit', () => {
        checkRequestItemCount(100, DEFAULT_LIMITS);
        const error = expectError(() => checkRequestItemCount(101, DEFAULT_LIMITS), 'too_large');
        expect(error.details).toEqual({ limit: 100, size: 101 });
        expect(error.message).toContain('per request');
    });

    it('refuses a set with more items than allowed', () => {
        const items = Array.from({ length: 3 }, (_, i) => ({ key: `k${i}`, value: i }));
        const error = expectError(() => checkSetLimits(items, [], { ...DEFAULT_LIMITS, itemsPerSet: 2 }), 'too_large');
        expect(error.details).toEqual({ limit: 2, size: 3 });
        expect(error.message).toContain('per set');
    });

    it('refuses a set bigger than the whole-set limit', () => {
        const items = [{ key: 'k', value: 'x'.repeat(20) }];
        const error = expectError(() => checkSetLimits(items, [], { ...DEFAULT_LIMITS, setBytes: 10 }), 'too_large');
        expect(error.details).toEqual({ limit: 10, size: 23 });
        expect(error.message).toContain('whole set');
    });

    it('lets a write through that shrinks a set already over a lowered limit', () => {
        const before = [{ key: 'k', value: 'x'.repeat(30) }];
        const after = [{ key: 'k', value: 'x'.repeat(20) }];
        expect(() => checkSetLimits(after, before, { ...DEFAULT_LIMITS, setBytes: 10 })).not.toThrow();
    });
});

/** A value nesting `levels` levels: [[…["leaf"]…]]. */
function nested(levels: number, leaf: JsonValue = 'leaf'): JsonValue {
    let value = leaf;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
}

function keyOf(segments: number): string {
    return Array.from({ length: segments }, (_, i) => `s${i}`).join('.');
}

/** An object patch or document nesting `levels` levels: {"a":{"a":…{"a":1}}}. */
function nestedObject(levels: number): Record<string, JsonValue> {
    let value: JsonValue = 1;
    for (let i = 0; i < levels; i++) value = { a: value };
    return value as Record<string, JsonValue>;
}

describe("the nesting rule: a key's segments plus its value's levels are at most the nesting depth", () => {
    const ctx = context();
    const limit = DEFAULT_LIMITS.nestingDepth;

    it('accepts an item at exactly the limit and refuses one level more, naming the limit and its setting', () => {
        expect(applySet(emptySet(), { items: [{ key: keyOf(2), value: nested(limit - 2) }] }, ctx).wrote).toBe(true);
        const error = expectError(() => applySet(emptySet(), { items: [{ key: keyOf(2), value: nested(limit - 1) }] }, ctx), 'too_large');
        expect(error.details).toEqual({ limit, size: limit + 1 });
        expect(error.message).toContain(`over the limit of ${limit} levels`);
        expect(error.message).toContain(`"${NESTING_DEPTH_SETTING}"`);
        expect(error.message).toContain('document view');
    });

    it('refuses an update that nests too deep, and a value 5,000 levels deep without overflowing the stack', () => {
        const set = setWith({ k: 1 });
        expectError(() => applyUpdate(set, { items: [{ key: 'k', value: nested(limit) }] }, ctx), 'too_large');
        expectError(() => applySet(emptySet(), { items: [{ key: 'k', value: nested(5000) }] }, ctx), 'too_large');
    });

    it('holds a document to the limit: it nests as deep as its deepest item', () => {
        expect(applySet(emptySet(), { document: nestedObject(limit) }, ctx).wrote).toBe(true);
        const error = expectError(() => applySet(emptySet(), { document: nestedObject(limit + 1) }, ctx), 'too_large');
        expect(error.message).toContain('the document nests 33 levels');
        expectError(() => applySet(emptySet(), { document: nestedObject(5000) }, ctx), 'too_large');
    });

    it('holds a merge patch to the limit, and the value a merge leaves in an existing item', () => {
        expect(applyMerge(emptySet(), { patch: nestedObject(limit) }, ctx).wrote).toBe(true);
        expect(expectError(() => applyMerge(emptySet(), { patch: nestedObject(limit + 1) }, ctx), 'too_large').message)
            .toContain('the merge patch nests 33 levels');
        expectError(() => applyMerge(emptySet(), { patch: nestedObject(5000) }, ctx), 'too_large');
        // A merge never nests deeper than the item and the patch did, but an item stored under a higher
        // limit is held to the limit of today when a merge writes it again.
        const set = setWith({ k: nestedObject(limit - 2) });
        expect(applyMerge(set, { patch: { k: { b: nested(limit - 2) } } }, ctx).wrote).toBe(true);
        expectError(() => applyMerge(set, { patch: { k: { b: 1 } } }, context({ limits: { nestingDepth: 20 } })), 'too_large');
    });

    it('holds a cause to the limit', () => {
        expect(validateCause(nestedObject(limit), DEFAULT_LIMITS)).toEqual(nestedObject(limit));
        expect(expectError(() => validateCause(nestedObject(limit + 1), DEFAULT_LIMITS), 'too_large').message).toContain('the cause nests 33 levels');
        expectError(() => validateCause(nestedObject(5000), DEFAULT_LIMITS), 'too_large');
    });

    it("holds a state value to the limit, counting its key's segments, but never a remove", () => {
        expect(planStateOp([], { key: 'votes', op: 'add', value: nested(limit - 1) }, stateContext('alice')).value).toEqual(nested(limit - 1));
        expectError(() => planStateOp([], { key: 'votes', op: 'add', value: nested(limit) }, stateContext('alice')), 'too_large');
        expectError(() => planStateOp([], { key: 'a.b', type: 'lww', op: 'add', value: nested(limit - 1) }, stateContext('alice')), 'too_large');
        // Stored while the admin allowed more, it can still be taken out.
        const raised = { ...stateContext('alice'), limits: { ...DEFAULT_LIMITS, nestingDepth: 64 } };
        const log = [planStateOp([], { key: 'votes', op: 'add', value: nested(40) }, raised)];
        const lowered = { ...stateContext('alice'), limits: { ...DEFAULT_LIMITS, nestingDepth: 10 } };
        expectError(() => planStateOp(log, { key: 'votes', op: 'add', value: nested(40) }, lowered), 'too_large');
        expect(planStateOp(log, { key: 'votes', op: 'remove', value: nested(40) }, lowered).op).toBe('remove');
    });

    it('follows the setting', () => {
        const low = context({ limits: { nestingDepth: 3 } });
        expect(applySet(emptySet(), { items: [{ key: 'a', value: { b: [1] } }] }, low).wrote).toBe(true);
        expectError(() => applySet(emptySet(), { items: [{ key: 'a.b', value: { b: [1] } }] }, low), 'too_large');
    });
});

describe('the key segment rule: a written key has at most the allowed segments', () => {
    const limits = { ...DEFAULT_LIMITS, keySegments: 4 };
    const ctx = context({ limits: { keySegments: 4 } });

    it('refuses a longer item key, naming the limit and its setting', () => {
        expect(applySet(emptySet(), { items: [{ key: keyOf(4), value: 1 }] }, ctx).wrote).toBe(true);
        const error = expectError(() => applySet(emptySet(), { items: [{ key: keyOf(5), value: 1 }] }, ctx), 'invalid_key');
        expect(error.details).toEqual({ limit: 4, size: 5 });
        expect(error.message).toContain(`"${KEY_SEGMENTS_SETTING}"`);
    });

    it('holds document leaves, merge writes and state keys to it', () => {
        expectError(() => applySet(emptySet(), { document: { a: { b: { c: { d: { e: 1 } } } } } }, ctx), 'invalid_key');
        expectError(() => applyMerge(emptySet(), { patch: { a: { b: { c: { d: { e: 1 } } } } } }, ctx), 'invalid_key');
        expectError(() => planStateOp([], { key: keyOf(5), op: 'add', value: 1 }, { ...stateContext('alice'), limits }), 'invalid_key');
    });

    it('never limits removing: a merge may remove a key longer than the limit allows now', () => {
        const set = setWith({ [keyOf(6)]: 1 });
        expect(applyMerge(set, { patch: { s0: null } as unknown as JsonObject }, ctx).removed).toEqual([keyOf(6)]);
    });
});

describe('the limits name their settings as the admin sees them', () => {
    it('by their English labels', () => {
        expect(enLabels.limit_nesting_depth_Label).toBe(NESTING_DEPTH_SETTING);
        expect(enLabels.limit_key_segments_Label).toBe(KEY_SEGMENTS_SETTING);
    });
});
