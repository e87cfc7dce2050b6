import { isPlainObject } from 'lodash';
import { JsonObject, JsonValue } from './json';
import { describeType } from './keys';

/**
 * A guard for copyJson's recursion only. The nesting rule is limits.ts's (far lower), and it is
 * checked, without recursion, before anything is copied.
 */
const MAX_COPY_DEPTH = 100;
/** Walks stop here: no JSON input nests this deep, and a cyclic in-process object cannot loop forever. */
const MAX_COUNTED_LEVELS = 1_000_000;

/**
 * lodash's check also accepts objects from another realm (the engine may hand over bodies built in a
 * sandbox), which a prototype comparison would refuse.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
    return isPlainObject(value);
}

/** UTF-8 length without TextEncoder or Buffer, neither of which the core may count on. */
export function utf8Bytes(text: string): number {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        if (unit < 0x80) bytes += 1;
        else if (unit < 0x800) bytes += 2;
        else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
            bytes += 4;
            i++;
        } else bytes += 3;
    }
    return bytes;
}

/** Serialized size as the limits count it; 0 for what JSON cannot represent. */
export function jsonBytes(value: unknown): number {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : utf8Bytes(text);
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: JsonValue): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        const members = Object.keys(value)
            .sort()
            .map((name) => `${JSON.stringify(name)}:${canonicalJson(value[name])}`);
        return `{${members.join(',')}}`;
    }
    return JSON.stringify(value);
}

export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
    return a === b || canonicalJson(a) === canonicalJson(b);
}

/**
 * How many levels `value` nests: 0 for a string, number or boolean, 1 for `[]`, `{}` or `{"a":1}`, 2 for
 * `{"a":[1]}`. Iterative, so a value nested 100,000 levels deep is measured, not a stack overflow.
 */
export function nestingLevels(value: unknown): number {
    let deepest = 0;
    const pending: Array<{ node: unknown; levels: number }> = [{ node: value, levels: 0 }];
    while (pending.length > 0) {
        const { node, levels } = pending.pop() as { node: unknown; levels: number };
        if (typeof node !== 'object' || node === null) continue;
        const inside = levels + 1;
        if (inside > deepest) deepest = inside;
        if (deepest >= MAX_COUNTED_LEVELS) return deepest;
        const members = Array.isArray(node) ? node : Object.values(node);
        for (const member of members) pending.push({ node: member, levels: inside });
    }
    return deepest;
}

/**
 * A clean copy of `value` as JSON, or the first reason it is not storable (with where it sits, e.g.
 * ` at .contact.emails[2]`). The copy drops anything JSON.stringify would silently lose or twist.
 */
export function copyJson(value: unknown): { value: JsonValue } | { problem: string } {
    try {
        return { value: copy(value, '', 0) };
    } catch (error) {
        if (error instanceof JsonProblem) return { problem: error.message };
        throw error;
    }
}

class JsonProblem extends Error {}

function copy(value: unknown, path: string, depth: number): JsonValue {
    const where = path === '' ? '' : ` at ${path}`;
    if (depth > MAX_COPY_DEPTH) throw new JsonProblem(`is nested deeper than ${MAX_COPY_DEPTH} levels${where}`);
    switch (typeof value) {
        case 'string':
        case 'boolean':
            return value;
        case 'number':
            if (!Number.isFinite(value)) throw new JsonProblem(`holds ${value}, which JSON cannot represent${where}`);
            return value === 0 ? 0 : value; // -0 serializes as 0; store what will be read back
        case 'undefined':
            throw new JsonProblem(path === '' ? 'is missing' : `holds undefined${where}, which is not JSON`);
        case 'object':
            if (value === null) {
                throw new JsonProblem(path === '' ? 'is null' : `holds null${where}; null cannot be stored`);
            }
            if (Array.isArray(value)) {
                const out: JsonValue[] = [];
                for (let i = 0; i < value.length; i++) {
                    if (!(i in value)) throw new JsonProblem(`has an empty array slot at ${path}[${i}]`);
                    out.push(copy(value[i], `${path}[${i}]`, depth + 1));
                }
                return out;
            }
            if (isPlainRecord(value)) {
                const out: JsonObject = {};
                for (const name of Object.keys(value)) {
                    const memberPath = `${path}.${name}`;
                    if (name === '__proto__') throw new JsonProblem(`has a member named "__proto__"${where}, which cannot be stored: rename it`);
                    out[name] = copy(value[name], memberPath, depth + 1);
                }
                return out;
            }
            throw new JsonProblem(`holds a ${value.constructor?.name ?? 'non-plain'} object${where}; only plain JSON objects can be stored`);
        default:
            throw new JsonProblem(`holds ${describeType(value)}${where}, which is not JSON`);
    }
}
