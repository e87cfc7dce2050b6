import { MetadataError } from './errors';
import { JsonValue } from './json';
import { Cause, Limits } from './types';
import { copyJson, isPlainRecord, jsonBytes, utf8Bytes } from './values';
import { describeType } from './keys';

export const DEFAULT_LIMITS: Limits = {
    valueBytes: 16384,
    setBytes: 65536,
    itemsPerSet: 1000,
    itemsPerRequest: 100,
    causeBytes: 65535,
    writesPerSecond: 20,
};

/** A string or a plain JSON object, at most `causeBytes` serialized; absent stays absent. */
export function validateCause(cause: unknown, limits: Limits): Cause | undefined {
    if (cause === undefined) return undefined;
    let checked: Cause;
    if (typeof cause === 'string') {
        checked = cause;
    } else if (isPlainRecord(cause)) {
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
