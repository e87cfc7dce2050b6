import { MetadataError } from './errors';
import { JsonValue } from './json';
import { Cause, Limits } from './types';
import { copyJson, isPlainRecord, jsonBytes, nestingLevels, utf8Bytes } from './values';
import { describeType, quoteKey } from './keys';

/*
 * NESTING DEPTH AND KEY SEGMENTS — why 32 and 32 (SPEC §12: whatever a write is acknowledged for can be
 * read back, on every surface).
 *
 * The engine talks to the app's runtime over msgpack with its default maxDepth of 100, the message's own
 * frame counting as level 1: anything more than 99 levels below the frame cannot be sent at all, in either
 * direction ("Too deep objects in depth 101"). A stored value that deep makes every answer, event and mirror
 * update that carries it fail, for every reader, and the app cannot send it out again. So what the app
 * accepts must stay within 99 levels below the frame of the deepest envelope the app ever puts it in.
 *
 * Levels: a string, number or boolean is 0 levels; `[]`, `{}` and `{"a":1}` are 1; `{"a":[1]}` is 2.
 * An item `a.b.c` sits 3 levels down in the document view (`{"a":{"b":{"c":…}}}`), so:
 *
 *   THE RULE. An item's or state key's segments plus its value's levels are at most `nestingDepth`
 *   (default 32); a document, a merge patch and a cause nest at most `nestingDepth` levels (a document
 *   nests exactly as deep as its deepest item's segments plus levels, so both rules agree); a written
 *   key has at most `keySegments` segments (default 32).
 *
 * Envelopes, as levels below the JSON-RPC frame where a value's root sits (the frame is level 0 here;
 * test/core/nestingLimit.readBack.test.ts builds each with the app's own code and encodes it with the
 * engine's msgpack):
 *
 *   HTTP answer   result.value.content.items[i].value                     item value at 6, document 4 + segments,
 *                                                                         state values 8 (a set's element in its array)
 *   HTTP request  params[0].content.items[i].value                        6; document, patch, cause at 4
 *   event         params[1].customFields.metadataEvent.items[i].value     item value 7, document 5 + segments,
 *                                                                         state values 9, cause 5; the message's
 *                                                                         room holds the mirror at 5 + segments
 *   mirror        room doUpdate params[0].customFields.<key>…             4 + segments; a user's: 4 + segments
 *   planned       webhooks' body (SPEC §15) as the HTTP answer; history (SPEC §14) item value at 8;
 *                 UIKit views (SPEC §17) show values as text, which nests nothing
 *
 * With segments ≥ 1, the deepest leaf is a state value in an event: 9 + (limit − 1) = limit + 8. At 32
 * that is 40 levels of the 99: 59 to spare for whatever a future surface or engine version wraps around it.
 * An admin may raise the limit to MAX_NESTING_DEPTH = 64 (72 levels, still 27 to spare), never further: the reader
 * of the settings clamps it. Real metadata (profiles, CRM records, config) nests a handful of levels, so
 * 32 refuses nothing anyone meant to store, and it keeps every recursive walk of a value (copy, compare,
 * merge) trivially shallow.
 *
 * Key segments: a key of N segments puts its value N levels down, so a key with more segments than the
 * nesting limit could hold no value at all; the default equals the nesting limit, and an admin may lower
 * it (or raise it to MAX_KEY_SEGMENTS) for item and state keys alike. Removing and reading are never
 * limited: what exists can always be named.
 *
 * Checked by the operations themselves (values, keys, documents, patches, causes), which every surface
 * calls through the service, before anything is written; measured without recursion, so a 5,000-level
 * input from /meta is refused with this rule's message rather than overflowing the stack.
 */
/** Levels the channel carries below a message's frame (msgpack's maxDepth 100, the frame being level 1). */
export const ENGINE_CHANNEL_DEPTH = 99;
export const MAX_NESTING_DEPTH = 64;
export const MAX_KEY_SEGMENTS = 64;
/** How the admin finds these two limits (the English labels of their settings). */
export const NESTING_DEPTH_SETTING = 'Maximum nesting depth';
export const KEY_SEGMENTS_SETTING = 'Maximum key segments';

export const DEFAULT_LIMITS: Limits = {
    valueBytes: 16384,
    setBytes: 65536,
    itemsPerSet: 1000,
    itemsPerRequest: 100,
    causeBytes: 65535,
    writesPerSecond: 20,
    nestingDepth: 32,
    keySegments: 32,
};

/** A written key (item or state key) has at most `keySegments` segments. */
export function checkKeySegments(key: string, limits: Limits): void {
    const segments = key.split('.').length;
    if (segments > limits.keySegments) {
        throw new MetadataError(
            'invalid_key',
            `key ${quoteKey(key)} has ${segments} segments, over the limit of ${limits.keySegments} ` +
                `(app setting "${KEY_SEGMENTS_SETTING}"); use a key with fewer dots`,
            { limit: limits.keySegments, size: segments },
        );
    }
}

/** A document, merge patch or cause nests at most `nestingDepth` levels. */
export function checkNesting(value: unknown, limits: Limits, what: string): void {
    const levels = nestingLevels(value);
    if (levels > limits.nestingDepth) throw tooDeep(`${what} nests ${levels} levels`, levels, limits);
}

/** An item's or state key's value: its key's segments plus its own levels, at most `nestingDepth`. */
function checkEntryNesting(key: string, value: unknown, limits: Limits, subject: string): void {
    const segments = key.split('.').length;
    const levels = nestingLevels(value);
    if (segments + levels > limits.nestingDepth) {
        const under = `under its ${segments}-segment key that makes ${segments + levels} levels in the document view`;
        throw tooDeep(`${subject} nests ${levels} levels; ${under}`, segments + levels, limits);
    }
}

function tooDeep(what: string, size: number, limits: Limits): MetadataError {
    return new MetadataError(
        'too_large',
        `${what}, over the limit of ${limits.nestingDepth} levels (app setting "${NESTING_DEPTH_SETTING}"); ` +
            'store it flatter',
        { limit: limits.nestingDepth, size },
    );
}

/**
 * A storable value of the item or state key `key`: any JSON except null, within the nesting rule and
 * the value size limit. Returns a clean copy.
 */
export function validateValue(value: unknown, limits: Limits, key: string): JsonValue {
    const subject = `the value of ${quoteKey(key)}`;
    if (value === null) {
        throw new MetadataError('invalid_value', `${subject} is null; null cannot be stored (remove the item instead)`);
    }
    checkEntryNesting(key, value, limits, subject);
    const result = copyJson(value);
    if ('problem' in result) throw new MetadataError('invalid_value', `${subject} ${result.problem}`);
    const size = jsonBytes(result.value);
    if (size > limits.valueBytes) {
        throw new MetadataError(
            'too_large',
            `${subject} is ${size} bytes serialized, over the limit of ${limits.valueBytes} bytes per value`,
            { limit: limits.valueBytes, size },
        );
    }
    return result.value;
}

/** A string or a plain JSON object, at most `causeBytes` serialized; absent stays absent. */
export function validateCause(cause: unknown, limits: Limits): Cause | undefined {
    if (cause === undefined) return undefined;
    let checked: Cause;
    if (typeof cause === 'string') {
        checked = cause;
    } else if (isPlainRecord(cause)) {
        checkNesting(cause, limits, 'the cause');
        const result = copyJson(cause);
        if ('problem' in result) throw new MetadataError('invalid_request', `cause ${result.problem}`);
        checked = result.value as Cause;
    } else {
        throw new MetadataError('invalid_request', `cause must be a string or a JSON object, not ${describeType(cause)}`);
    }
    const size = jsonBytes(checked);
    if (size > limits.causeBytes) {
        throw new MetadataError(
            'too_large',
            `cause is ${size} bytes serialized, over the limit of ${limits.causeBytes} bytes`,
            { limit: limits.causeBytes, size },
        );
    }
    return checked;
}

/** What one item weighs against the whole-set limit. */
function itemBytes(item: { key: string; value: JsonValue }): number {
    return utf8Bytes(item.key) + jsonBytes(item.value);
}

export function setBytes(items: ReadonlyArray<{ key: string; value: JsonValue }>): number {
    return items.reduce((sum, item) => sum + itemBytes(item), 0);
}

export function checkRequestItemCount(count: number, limits: Limits): void {
    if (count > limits.itemsPerRequest) {
        throw new MetadataError(
            'too_large',
            `the request has ${count} items, over the limit of ${limits.itemsPerRequest} items per request`,
            { limit: limits.itemsPerRequest, size: count },
        );
    }
}

/**
 * Checks the set a write would leave. A write that does not make the set bigger is let through even
 * when the set is over a limit (the admin may have lowered it), so such a set can always be shrunk.
 */
export function checkSetLimits(
    after: ReadonlyArray<{ key: string; value: JsonValue }>,
    before: ReadonlyArray<{ key: string; value: JsonValue }>,
    limits: Limits,
): void {
    if (after.length > limits.itemsPerSet && after.length > before.length) {
        throw new MetadataError(
            'too_large',
            `the set would hold ${after.length} items, over the limit of ${limits.itemsPerSet} items per set`,
            { limit: limits.itemsPerSet, size: after.length },
        );
    }
    const size = setBytes(after);
    if (size > limits.setBytes && size > setBytes(before)) {
        throw new MetadataError(
            'too_large',
            `the set would be ${size} bytes, over the limit of ${limits.setBytes} bytes for a whole set`,
            { limit: limits.setBytes, size },
        );
    }
}
