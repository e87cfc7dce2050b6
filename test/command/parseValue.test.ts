import { describe, expect, it } from 'vitest';
import { parseCause, parseValue } from '../../src/surfaces/command/parseValue';
import { parseRelaxedJson } from '../../src/surfaces/command/relaxedJson';

describe('reading a VALUE', () => {
    it('reads JSON numbers, booleans and strings as JSON', () => {
        expect([parseValue('5'), parseValue('-1.5'), parseValue('false'), parseValue('"5"')]).toEqual([5, -1.5, false, '5']);
    });

    it('reads anything that is not JSON as text', () => {
        expect(parseValue('dark mode')).toBe('dark mode');
    });

    it('reads a number JSON cannot carry (1e999) as text', () => {
        expect(parseValue('1e999')).toBe('1e999');
    });

    it('reads a brace text that is neither JSON nor the relaxed form as text', () => {
        expect(parseValue('{a:1')).toBe('{a:1');
    });

    it('returns null for null, for the caller to refuse or keep', () => {
        expect(parseValue('null')).toBeNull();
    });
});

describe('the object form the server leaves after stripping quotes', () => {
    it('reads bare keys and bare words', () => {
        expect(parseRelaxedJson('{name:Grace Hopper,born:1906,alive:false}')).toEqual({ name: 'Grace Hopper', born: 1906, alive: false });
    });

    it('reads nested objects and arrays', () => {
        expect(parseRelaxedJson('{a:{b:[1,x,{c:null}]}}')).toEqual({ a: { b: [1, 'x', { c: null }] } });
    });

    it('reads quoted strings that survived, with escapes', () => {
        expect(parseRelaxedJson(`{'a b':'it\\'s', c:"x,y"}`)).toEqual({ 'a b': "it's", c: 'x,y' });
    });

    it('reads empty objects and arrays', () => {
        expect(parseRelaxedJson('{a:{},b:[]}')).toEqual({ a: {}, b: [] });
    });

    it('keeps a URL with colons as one word', () => {
        expect(parseRelaxedJson('{url:https://example.com:8443/x}')).toEqual({ url: 'https://example.com:8443/x' });
    });

    it('gives up on a member without a value', () => {
        expect(parseRelaxedJson('{a:}')).toBeUndefined();
    });

    it('gives up on text after the closing brace', () => {
        expect(parseRelaxedJson('{a:1} tail')).toBeUndefined();
    });

    it('leaves out __proto__ members', () => {
        const value = parseRelaxedJson('{__proto__:{polluted:1},a:1}') as object;
        expect(Object.keys(value)).toEqual(['a']);
        expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    });
});

describe('reading a --cause', () => {
    it('keeps text as text', () => {
        expect(parseCause('weekly sync')).toBe('weekly sync');
    });

    it('reads a JSON object as an object', () => {
        expect(parseCause('{"ticket":"OPS-1"}')).toEqual({ ticket: 'OPS-1' });
    });
});
