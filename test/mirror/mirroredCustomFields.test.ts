import { describe, expect, it } from 'vitest';
import { isUsableFieldName, mirroredCustomFields } from '../../src/surfaces/mirror/mirroredCustomFields';
import { item } from '../support/changes';

describe('the customFields a mirror writes', () => {
    it('writes nothing new when there were no customFields and nothing is public', () => {
        expect(mirroredCustomFields(undefined, 'metadata', [item('a', 1, 'private')])).toBeUndefined();
    });

    it('never carries an own __proto__ field over from what was there', () => {
        const existing = JSON.parse('{"__proto__":{"x":1},"keep":1}');
        const fields = mirroredCustomFields(existing, 'metadata', [item('a', 1, 'public')])!;
        expect(Object.keys(fields)).toEqual(['keep', 'metadata']);
    });

    it('accepts ordinary field names and refuses dotted, $-prefixed and prototype names', () => {
        expect(['metadata', 'app_meta'].map(isUsableFieldName)).toEqual([true, true]);
        expect(['', 'a.b', '$set', '__proto__', 'constructor', 'prototype'].map(isUsableFieldName)).toEqual([false, false, false, false, false, false]);
    });
});
