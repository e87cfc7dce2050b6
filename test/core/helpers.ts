import { expect } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import { ErrorCode } from '../../src/core/errors';
import { JsonValue } from '../../src/core/json';
import { DEFAULT_LIMITS } from '../../src/core/limits';
import { emptySet, applySet, WriteContext } from '../../src/core/metadataSet';
import { Limits, MetadataSet, Visibility } from '../../src/core/types';

export function context(
    overrides: Partial<Omit<WriteContext, 'limits'>> & { limits?: Partial<Limits> } = {},
): WriteContext {
    return {
        actorId: 'alice',
        at: '2024-05-01T12:00:00.000Z',
        defaultVisibility: 'private',
        ...overrides,
        limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    };
}

/** A set built by one write of the given items (revision 1). */
export function setWith(values: Record<string, JsonValue>, visibility?: Visibility): MetadataSet {
    const items = Object.entries(values).map(([key, value]) => ({ key, value, visibility }));
    return applySet(emptySet(), { items }, context()).set;
}

export function thrown(action: () => unknown): MetadataError {
    try {
        action();
    } catch (error) {
        expect(error).toBeInstanceOf(MetadataError);
        return error as MetadataError;
    }
    throw new Error('expected a MetadataError, nothing was thrown');
}

export function expectError(action: () => unknown, code: ErrorCode): MetadataError {
    const error = thrown(action);
    expect(error.code, error.message).toBe(code);
    return error;
}

export function valuesOf(set: MetadataSet): Record<string, JsonValue> {
    return Object.fromEntries(set.items.map((item) => [item.key, item.value]));
}
