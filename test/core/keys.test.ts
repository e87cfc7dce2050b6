import { describe, expect, it } from 'vitest';
import { ancestorKeys, isDescendantKey, isReservedName, memberKey, overlaps, validateKey } from '../../src/core/keys';
import { expectError } from './helpers';

describe('keys', () => {
    it('accepts dot-separated segments of letters, digits, "_" and "-"', () => {
        expect(validateKey('contact.first_name')).toBe('contact.first_name');
        expect(validateKey('A-1.b_2.C')).toBe('A-1.b_2.C');
    });

    it('accepts a key of exactly 256 characters', () => {
        expect(validateKey('a'.repeat(256))).toHaveLength(256);
    });

    it('refuses a key longer than 256 characters and says how long it is', () => {
        const error = expectError(() => validateKey('a'.repeat(257)), 'invalid_key');
        expect(error.message).toContain('257');
        expect(error.message).toContain('256');
    });

    it('refuses an empty key', () => {
        expectError(() => validateKey(''), 'invalid_key');
    });

    it.each(['a..b', '.a', 'a.'])('refuses an empty segment in %s', (key) => {
        expect(expectError(() => validateKey(key), 'invalid_key').message).toContain('empty segment');
    });

    it.each(['__proto__', 'a.prototype', 'constructor.b'])('refuses the reserved segment in %s', (key) => {
        expect(expectError(() => validateKey(key), 'invalid_key').message).toContain('reserved');
    });

    it.each(['a b', 'a/b', 'é', 'a:b', 'a$'])('refuses other characters, as in %s', (key) => {
        expectError(() => validateKey(key), 'invalid_key');
    });

    it('quotes the offending key, truncated, in the message', () => {
        const key = `${'x'.repeat(100)} y`;
        const message = expectError(() => validateKey(key), 'invalid_key').message;
        expect(message).toContain(`"${'x'.repeat(64)}…"`);
        expect(message.length).toBeLessThan(300);
    });

    it('refuses a key that is not a string', () => {
        expect(expectError(() => validateKey(42), 'invalid_key').message).toContain('a number');
    });

    it('knows `a.b.c` lies under `a` but `a.bc` does not lie under `a.b`', () => {
        expect(isDescendantKey('a.b.c', 'a')).toBe(true);
        expect(isDescendantKey('a.bc', 'a.b')).toBe(false);
        expect(isDescendantKey('a', 'a')).toBe(false);
    });

    it('knows a key overlaps itself, its ancestors and its descendants only', () => {
        expect(overlaps('a', 'a')).toBe(true);
        expect(overlaps('a', 'a.b')).toBe(true);
        expect(overlaps('a.b', 'a')).toBe(true);
        expect(overlaps('a-b', 'a')).toBe(false);
        expect(overlaps('a.b', 'a.c')).toBe(false);
    });

    it('lists the ancestors of a key from the top', () => {
        expect(ancestorKeys('a.b.c')).toEqual(['a', 'a.b']);
        expect(ancestorKeys('a')).toEqual([]);
    });

    it('a member of a nested document or merge patch is one key segment, named with where it stands', () => {
        expect(memberKey('contact', 'first_name', 'document property')).toBe('contact.first_name');
        const error = expectError(() => memberKey('contact', 'first.name', 'patch member'), 'invalid_key');
        expect(error.message).toContain('patch member "first.name" under "contact" is not a valid key segment');
        expect(expectError(() => memberKey('', 'a b', 'document property'), 'invalid_key').message).toContain('at the top');
    });

    it('reserved names (they reach object prototypes) are no key segment', () => {
        for (const name of ['__proto__', 'prototype', 'constructor']) {
            expect(isReservedName(name)).toBe(true);
            expectError(() => validateKey(`a.${name}`), 'invalid_key');
        }
        expect(isReservedName('proto')).toBe(false);
    });
});
