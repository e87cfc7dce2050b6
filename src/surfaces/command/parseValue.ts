import { JsonObject, NullableJsonValue } from '../../core/json';
import { Cause } from '../../core/types';
import { parseRelaxedJson } from './relaxedJson';

/**
 * A VALUE as typed after `KEY=`: JSON when it parses as JSON, else the object/array form the server
 * leaves after stripping quotes (`{a:1}`), else the text itself. `null` comes back as null: the caller
 * decides whether that is allowed.
 */
export function parseValue(text: string): NullableJsonValue {
    const json = parseStrictJson(text);
    if (json !== undefined) return json;
    if (/^\s*[[{]/.test(text) && /[\]}]\s*$/.test(text)) {
        const relaxed = parseRelaxedJson(text);
        if (relaxed !== undefined && allFinite(relaxed)) return relaxed;
    }
    return text;
}

/** `--cause`: a JSON object when it reads as one, else the text as typed. */
export function parseCause(text: string): Cause {
    const value = parseValue(text);
    return isObject(value) ? (value as JsonObject) : text;
}

export function isObject(value: NullableJsonValue): value is { [key: string]: NullableJsonValue } {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON.parse reads any depth without recursion (a reviver would recurse) and keeps a `__proto__` member
 * as an own member, which the value rules then refuse by name.
 */
function parseStrictJson(text: string): NullableJsonValue | undefined {
    let value: NullableJsonValue;
    try {
        value = JSON.parse(text) as NullableJsonValue;
    } catch {
        return undefined;
    }
    return allFinite(value) ? value : undefined;
}

/** `1e999` parses as Infinity, which JSON cannot carry back out: such input is text. Iterative. */
function allFinite(value: NullableJsonValue): boolean {
    const pending: NullableJsonValue[] = [value];
    while (pending.length > 0) {
        const node = pending.pop() as NullableJsonValue;
        if (typeof node === 'number' && !Number.isFinite(node)) return false;
        const members = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
        for (const member of members) pending.push(member); // not push(...members): a wide array would overflow the stack
    }
    return true;
}
