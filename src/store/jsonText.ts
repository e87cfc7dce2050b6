import { JsonValue } from '../core/json';

// An own `__proto__` key breaks the engine's channel to the app runtime and turns into a prototype
// when copied naively; dropping it here keeps it out of storage and out of what a read hands back.
const dropProto = (key: string, value: unknown): unknown => (key === '__proto__' ? undefined : value);

/**
 * Values are stored as JSON text rather than as nested documents: an item value is user-shaped, and
 * its object keys would otherwise become MongoDB field names (`$`-prefixed, dotted, `__proto__`).
 */
export function toJsonText(value: JsonValue): string {
    const text = JSON.stringify(value, dropProto);
    if (text === undefined) throw new Error('a value to store is not JSON');
    return text;
}

/** undefined when `text` is not JSON text of a storable value. */
export function fromJsonText(text: unknown): JsonValue | undefined {
    if (typeof text !== 'string') return undefined;
    try {
        const value: unknown = JSON.parse(text, dropProto);
        return value === null || value === undefined ? undefined : (value as JsonValue);
    } catch {
        return undefined;
    }
}

/** A clean copy of a value an older layout stored as a document. */
export function fromLegacyValue(value: unknown): JsonValue | undefined {
    if (value === null || value === undefined) return undefined;
    try {
        return fromJsonText(JSON.stringify(value, dropProto));
    } catch {
        return undefined;
    }
}
