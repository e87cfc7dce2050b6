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

function parseStrictJson(text: string): NullableJsonValue | undefined {
    try {
        // The reviver drops `__proto__` members: as own keys they break the engine's channel.
        const value = JSON.parse(text, (name, member) => (name === '__proto__' ? undefined : member)) as NullableJsonValue;
        return allFinite(value) ? value : undefined;
    } catch {
        return undefined;
    }
}

/** `1e999` parses as Infinity, which JSON cannot carry back out: such input is text. */
function allFinite(value: NullableJsonValue): boolean {
    if (typeof value === 'number') return Number.isFinite(value);
    if (Array.isArray(value)) return value.every(allFinite);
    if (isObject(value)) return Object.values(value).every(allFinite);
    return true;
}
