import { MetadataError } from './errors';
import { JsonObject, JsonValue, NullableJsonValue } from './json';
import { compareKeys, memberKey } from './keys';
import { isPlainRecord } from './values';

export interface KeyValue {
    key: string;
    value: JsonValue;
}

/**
 * Items read as one nested document by their dot keys. Items never overlap, but if they did the
 * deeper item is merged into (or replaces) the shallower one, so nothing is silently dropped.
 */
export function toDocument(items: ReadonlyArray<KeyValue>): JsonObject {
    const document: JsonObject = {};
    // Objects built here may be written into; item values are shared with the caller and must be copied first.
    const owned = new Set<JsonObject>([document]);
    const sorted = [...items].sort((a, b) => compareKeys(a.key, b.key));
    for (const { key, value } of sorted) {
        const segments = key.split('.');
        if (segments.includes('__proto__')) continue;
        let node = document;
        for (const segment of segments.slice(0, -1)) {
            const child = hasOwn(node, segment) ? node[segment] : undefined;
            if (!isPlainRecord(child)) {
                node = node[segment] = own(owned, {});
            } else if (!owned.has(child as JsonObject)) {
                node = node[segment] = own(owned, { ...(child as JsonObject) });
            } else {
                node = child as JsonObject;
            }
        }
        node[segments[segments.length - 1]] = value;
    }
    return document;
}

function hasOwn(object: object, name: string): boolean {
    return Object.prototype.hasOwnProperty.call(object, name);
}

function own(owned: Set<JsonObject>, object: JsonObject): JsonObject {
    owned.add(object);
    return object;
}

/**
 * The leaf items of a document: non-empty objects recurse, everything else (arrays and `{}` included)
 * is one item. Every property name must be a valid key segment.
 */
export function flattenDocument(doc: JsonObject): KeyValue[] {
    const items: KeyValue[] = [];
    flattenInto(doc, '', items);
    return items;
}

function flattenInto(node: JsonObject, prefix: string, items: KeyValue[]): void {
    for (const name of Object.keys(node)) {
        const key = memberKey(prefix, name, 'document property');
        const value = node[name];
        if (isPlainRecord(value) && Object.keys(value).length > 0) flattenInto(value as JsonObject, key, items);
        else items.push({ key, value });
    }
}

/**
 * RFC 7396 JSON Merge Patch, without touching `target`. `undefined` is an absent target; a `null`
 * patch yields `null` as the RFC says (callers treat a null member as "remove" before calling).
 */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue | undefined;
export function mergePatch(
    target: NullableJsonValue | undefined,
    patch: NullableJsonValue,
): NullableJsonValue | undefined;
export function mergePatch(
    target: NullableJsonValue | undefined,
    patch: NullableJsonValue,
): NullableJsonValue | undefined {
    if (!isPlainRecord(patch)) return patch;
    const result: { [key: string]: NullableJsonValue } = isPlainRecord(target)
        ? { ...(target as { [key: string]: NullableJsonValue }) }
        : {};
    for (const name of Object.keys(patch)) {
        // Assigning this name would replace the result's prototype instead of adding a member.
        if (name === '__proto__') {
            throw new MetadataError('invalid_value', 'a merge patch must not have a member named "__proto__"');
        }
        const member = (patch as { [key: string]: NullableJsonValue })[name];
        if (member === null) delete result[name];
        else result[name] = mergePatch(hasOwn(result, name) ? result[name] : undefined, member) as NullableJsonValue;
    }
    return result;
}
