import { MetadataError } from './errors';
import { describeType } from './keys';
import { Visibility } from './types';
import { isPlainRecord } from './values';

const VISIBILITIES: readonly Visibility[] = ['public', 'private'];

export function expectRecord(value: unknown, field: string, expected = 'a JSON object'): Record<string, unknown> {
    if (!isPlainRecord(value)) {
        throw new MetadataError('invalid_request', `${field} must be ${expected}, not ${describeType(value)}`);
    }
    return value;
}

export function expectArray(value: unknown, field: string, expected = 'an array'): unknown[] {
    if (!Array.isArray(value)) {
        throw new MetadataError('invalid_request', `${field} must be ${expected}, not ${describeType(value)}`);
    }
    return value;
}

export function expectString(value: unknown, field: string): string {
    if (typeof value !== 'string') {
        throw new MetadataError('invalid_request', `${field} must be a string, not ${describeType(value)}`);
    }
    return value;
}

/** Is `value` one of the texts of `allowed`? */
export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
    return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

export function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
    if (!isOneOf(value, allowed)) {
        const quoted = allowed.map((option) => `"${option}"`);
        const options = quoted.length === 2 ? quoted.join(' or ') : `one of ${quoted.join(', ')}`;
        throw new MetadataError(
            'invalid_request',
            `${field} must be ${options}, not ${JSON.stringify(value) ?? 'undefined'}`,
        );
    }
    return value as T;
}

export function checkVisibilityField(value: unknown, field: string): Visibility | undefined {
    return value === undefined ? undefined : expectOneOf(value, VISIBILITIES, field);
}

/** Unknown fields are refused so that a typo (`revison`) cannot silently skip a check. */
export function rejectUnknownFields(record: Record<string, unknown>, allowed: readonly string[], where: string): void {
    const unknown = Object.keys(record).filter((name) => !allowed.includes(name));
    if (unknown.length === 0) return;
    const names = unknown.map((name) => JSON.stringify(name)).join(', ');
    const expected = allowed.map((name) => `"${name}"`).join(', ');
    throw new MetadataError(
        'invalid_request',
        `${where} has unknown field${unknown.length > 1 ? 's' : ''} ${names}; expected only ${expected}`,
    );
}
