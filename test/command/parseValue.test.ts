import { describe, expect, it } from 'vitest';
import { CommandSyntaxError } from '../../src/surfaces/command/CommandSyntaxError';
import { closeBrackets, parseCause, parseValue, readValue } from '../../src/surfaces/command/parseValue';
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

    it('refuses a brace text that is neither JSON nor the object form, instead of storing it as text', () => {
        expect(() => parseValue('{a:1')).toThrow(CommandSyntaxError);
    });

    it('reads deep and wide JSON without recursion', () => {
        expect(Array.isArray(parseValue(`${'['.repeat(100_000)}1${']'.repeat(100_000)}`))).toBe(true);
        expect((parseValue(`[${'1,'.repeat(300_000)}1]`) as unknown[]).length).toBe(300_001);
        // 1e999 is no JSON number: the relaxed form keeps it as the word "1e999".
        let value = parseValue(`${'['.repeat(50_000)}1e999${']'.repeat(50_000)}`);
        for (let i = 0; i < 50_000; i++) value = (value as unknown[])[0] as typeof value;
        expect(value).toBe('1e999');
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

    it('keeps __proto__ members as own members, never as the prototype', () => {
        const value = parseRelaxedJson('{__proto__:{polluted:1},a:1}') as Record<string, unknown>;
        expect(Object.keys(value)).toEqual(['__proto__', 'a']);
        expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('accepts a trailing comma and refuses an empty member', () => {
        expect(parseRelaxedJson('{a:[1,2,],}')).toEqual({ a: [1, 2] });
        expect(parseRelaxedJson('[1,,2]')).toBeUndefined();
        expect(parseRelaxedJson('{,}')).toBeUndefined();
        expect(parseRelaxedJson('[[1],[2,[3]]]')).toEqual([[1], [2, [3]]]);
    });

    it('reads 100,000 levels of nesting without recursion', () => {
        const depth = 100_000;
        let value = parseRelaxedJson(`${'{a:'.repeat(depth)}x${'}'.repeat(depth)}`);
        for (let i = 0; i < depth; i++) value = (value as Record<string, unknown>).a as typeof value;
        expect(value).toBe('x');
        expect(parseRelaxedJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toBeDefined();
        expect(parseRelaxedJson(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`)).toBeUndefined();
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

describe('what the value of a damaged line would have been', () => {
    it('closes the string and the brackets an unfinished JSON text left open', () => {
        expect(closeBrackets('{"a":{"b":[1,2')).toBe('{"a":{"b":[1,2]}}');
        expect(closeBrackets('{"a":"x')).toBe('{"a":"x"}');
    });

    it('has nothing to add to finished or crossed brackets', () => {
        expect(closeBrackets('{"a":1}')).toBeUndefined();
        expect(closeBrackets('{"a":1]')).toBeUndefined();
    });

    it('suggests no fix for an absurdly deep text, and reads it without recursion', () => {
        expect(closeBrackets('['.repeat(100_000))).toBeUndefined();
        expect(readValue('['.repeat(100_000))).toMatchObject({ ok: false, problem: 'not_json' });
    });
});
