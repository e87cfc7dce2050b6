import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, validateValue } from '../../src/core/limits';
import { canonicalJson, jsonBytes, jsonEquals, nestingLevels, utf8Bytes } from '../../src/core/values';
import { expectError } from './helpers';

const limits = DEFAULT_LIMITS;

describe('values', () => {
    it.each([['text'], [0], [-1.5], [true], [false], [[1, 'two']], [{ a: { b: [] } }], [{}], [[]]])(
        'stores %j as it is',
        (value) => {
            expect(validateValue(value, limits, 'k')).toEqual(value);
        },
    );

    it('refuses null at the top and says to remove instead', () => {
        const error = expectError(() => validateValue(null, limits, 'state'), 'invalid_value');
        expect(error.message).toContain('"state"');
        expect(error.message).toContain('remove');
    });

    it('refuses a missing value', () => {
        expectError(() => validateValue(undefined, limits, 'k'), 'invalid_value');
    });

    it('refuses null inside an object or array, saying where', () => {
        expect(expectError(() => validateValue({ a: [1, null] }, limits, 'k'), 'invalid_value').message).toContain(
            '.a[1]',
        );
    });

    it.each([NaN, Infinity, -Infinity])('refuses the non-finite number %s', (value) => {
        expectError(() => validateValue({ n: value }, limits, 'k'), 'invalid_value');
    });

    it('refuses functions', () => {
        expectError(() => validateValue({ f: () => 1 }, limits, 'k'), 'invalid_value');
    });

    it('refuses undefined inside an array or object', () => {
        expectError(() => validateValue([undefined], limits, 'k'), 'invalid_value');
        expectError(() => validateValue({ a: undefined }, limits, 'k'), 'invalid_value');
    });

    it('refuses an array with an empty slot', () => {
        // eslint-disable-next-line no-sparse-arrays
        expectError(() => validateValue([1, , 3], limits, 'k'), 'invalid_value');
    });

    it('refuses objects that are not plain JSON objects', () => {
        expectError(() => validateValue(new Date(), limits, 'k'), 'invalid_value');
        expectError(() => validateValue({ m: new Map() }, limits, 'k'), 'invalid_value');
    });

    it('refuses a member named __proto__ and names the item key', () => {
        const value = JSON.parse('{"a":{"__proto__":{"x":1}}}');
        const error = expectError(() => validateValue(value, limits, 'profile'), 'invalid_value');
        expect(error.message).toContain('__proto__');
        expect(error.message).toContain('"profile"');
    });

    it('refuses values nested absurdly deep with the nesting limit, without overflowing the stack', () => {
        let value: unknown = 1;
        for (let i = 0; i < 100_000; i++) value = [value];
        expect(expectError(() => validateValue(value, limits, 'k'), 'too_large').message).toContain('100000 levels');
    });

    it.each([
        ['text', 0], [3, 0], [true, 0], [[], 1], [{}, 1], [{ a: 1 }, 1], [{ a: [1] }, 2], [[[], [[{}]]], 4], [{ a: 'x', b: { c: { d: 1 } } }, 3],
    ])('counts %j as %i levels of nesting', (value, levels) => {
        expect(nestingLevels(value)).toBe(levels);
    });

    it('counts the levels of a value nested 1,000,000 deep without recursion', () => {
        let value: unknown = 'leaf';
        for (let i = 0; i < 1_000_000; i++) value = { a: value };
        expect(nestingLevels(value)).toBe(1_000_000);
    });

    it('returns a copy the caller cannot change afterwards', () => {
        const value = { a: [1] };
        const stored = validateValue(value, limits, 'k');
        value.a.push(2);
        expect(stored).toEqual({ a: [1] });
    });

    it('accepts a value of exactly the size limit and refuses one byte more, with the limit and size', () => {
        const fits = 'x'.repeat(limits.valueBytes - 2);
        expect(validateValue(fits, limits, 'k')).toBe(fits);
        const error = expectError(() => validateValue(`${fits}x`, limits, 'k'), 'too_large');
        expect(error.details).toEqual({ limit: limits.valueBytes, size: limits.valueBytes + 1 });
    });

    it('counts the size in UTF-8 bytes', () => {
        expect(utf8Bytes('aé€😀')).toBe(1 + 2 + 3 + 4);
        expect(jsonBytes('é')).toBe(4);
        expect(jsonBytes({ a: 1 })).toBe(7);
    });

    it('writes canonical JSON with object keys sorted at every level', () => {
        expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe(
            '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}',
        );
    });

    it('calls values equal whatever the order of their object keys', () => {
        expect(jsonEquals({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
        expect(jsonEquals([1, 2], [2, 1])).toBe(false);
        expect(jsonEquals('1', 1)).toBe(false);
    });
});
