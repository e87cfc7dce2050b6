import { describe, expect, it } from 'vitest';
import { flattenDocument, mergePatch, toDocument } from '../../src/core/document';
import { APPENDIX_A } from '../support/rfc7396';
import { expectError } from './helpers';

describe('document view', () => {
    it('reads dot keys as a nested document', () => {
        const items = [
            { key: 'contact.first_name', value: 'Grace' },
            { key: 'contact.last_name', value: 'Hopper' },
            { key: 'state', value: 'open' },
        ];
        expect(toDocument(items)).toEqual({ contact: { first_name: 'Grace', last_name: 'Hopper' }, state: 'open' });
    });

    it('reads no items as an empty document', () => {
        expect(toDocument([])).toEqual({});
    });

    it('keeps an object-valued item and a deeper item both when they overlap, without changing the items', () => {
        const items = [
            { key: 'a', value: { x: 1 } },
            { key: 'a.y', value: 2 },
        ];
        expect(toDocument(items)).toEqual({ a: { x: 1, y: 2 } });
        expect(items[0].value).toEqual({ x: 1 });
    });

    it('lets a deeper item win over an overlapping scalar item', () => {
        expect(toDocument([{ key: 'a.b', value: 2 }, { key: 'a', value: 1 }])).toEqual({ a: { b: 2 } });
    });

    it('flattens a document to its leaf items', () => {
        expect(flattenDocument({ contact: { first_name: 'Grace', last_name: 'Hopper' }, state: 'open' })).toEqual([
            { key: 'contact.first_name', value: 'Grace' },
            { key: 'contact.last_name', value: 'Hopper' },
            { key: 'state', value: 'open' },
        ]);
    });

    it('keeps arrays and empty objects as leaves', () => {
        expect(flattenDocument({ tags: [{ a: 1 }], empty: {}, deep: { none: {} } })).toEqual([
            { key: 'tags', value: [{ a: 1 }] },
            { key: 'empty', value: {} },
            { key: 'deep.none', value: {} },
        ]);
    });

    it('refuses a property name with a dot', () => {
        expect(expectError(() => flattenDocument({ a: { 'b.c': 1 } }), 'invalid_key').message).toContain('"b.c"');
    });

    it('refuses a property name with illegal characters or reserved names', () => {
        expectError(() => flattenDocument({ 'a b': 1 }), 'invalid_key');
        expectError(() => flattenDocument(JSON.parse('{"__proto__":1}')), 'invalid_key');
        expectError(() => flattenDocument({ '': 1 }), 'invalid_key');
    });

    it('refuses a document whose keys grow past 256 characters', () => {
        expectError(() => flattenDocument({ ['a'.repeat(200)]: { ['b'.repeat(60)]: 1 } }), 'invalid_key');
    });
});

describe('RFC 7396 merge patch', () => {

    it.each(APPENDIX_A.map((row) => [...row]))('Appendix A: %j patched with %j gives %j', (target, patch, result) => {
        expect(mergePatch(target, patch)).toEqual(result);
    });

    it('gives the result of the RFC 7396 section 3 example', () => {
        const target = {
            title: 'Goodbye!',
            author: { givenName: 'John', familyName: 'Doe' },
            tags: ['example', 'sample'],
            content: 'This will be unchanged',
        };
        const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
        expect(mergePatch(target, patch)).toEqual({
            title: 'Hello!',
            author: { givenName: 'John' },
            tags: ['example'],
            content: 'This will be unchanged',
            phoneNumber: '+01-123-456-7890',
        });
    });

    it('treats an absent target like a non-object', () => {
        expect(mergePatch(undefined, { a: { b: null, c: 1 } })).toEqual({ a: { c: 1 } });
    });

    it('never changes the target or the patch', () => {
        const target = { a: { b: 1 } };
        const patch = { a: { b: null, c: 2 } };
        mergePatch(target, patch);
        expect(target).toEqual({ a: { b: 1 } });
        expect(patch).toEqual({ a: { b: null, c: 2 } });
    });

    it('does not mistake inherited properties for members of the target', () => {
        expect(mergePatch({}, { toString: { a: 1 } })).toEqual({ toString: { a: 1 } });
    });

    it('refuses a patch member named __proto__ rather than replace a prototype', () => {
        expectError(() => mergePatch({}, JSON.parse('{"__proto__":{"x":1}}')), 'invalid_value');
    });
});
