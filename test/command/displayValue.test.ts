import { describe, expect, it } from 'vitest';
import { displayValue, truncate } from '../../src/surfaces/command/displayValue';

describe('showing a value', () => {
    it('shows text as typed', () => {
        expect(displayValue('dark', 40)).toBe('dark');
    });

    it('quotes text that would read back as something else', () => {
        expect(displayValue('42', 40)).toBe('"42"');
    });

    it('shows objects as JSON', () => {
        expect(displayValue({ a: [1, true] }, 40)).toBe('{"a":[1,true]}');
    });

    it('keeps a value on one line', () => {
        expect(displayValue('line one\nline two', 40)).toBe('line one⏎line two');
    });

    it('cuts a long value and marks the cut', () => {
        expect(displayValue('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    });

    it('never splits an emoji when cutting', () => {
        expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    });
});
