import { describe, expect, it } from 'vitest';
import { checkRequestItemCount, checkSetLimits, DEFAULT_LIMITS, setBytes, validateCause } from '../../src/core/limits';
import { expectError } from './helpers';

describe('limits', () => {
    it('has the documented defaults', () => {
        expect(DEFAULT_LIMITS).toEqual({
            valueBytes: 16384,
            setBytes: 65536,
            itemsPerSet: 1000,
            itemsPerRequest: 100,
            causeBytes: 65535,
            writesPerSecond: 20,
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
