import { MetadataError } from './errors';

const MAX_KEY_LENGTH = 256;

const SEGMENT = /^[A-Za-z0-9_-]+$/;
// These names reach object prototypes when a key is turned into a nested document.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** A key as it can be quoted in a message without flooding it. */
export function quoteKey(key: string, max = 64): string {
    return JSON.stringify(key.length > max ? `${key.slice(0, max)}…` : key);
}

/** Why `segment` cannot be one segment of a key, or undefined when it can. */
export function segmentProblem(segment: string): string | undefined {
    if (segment === '') return 'has an empty segment (check for a leading, trailing or doubled ".")';
    if (isReservedName(segment)) return `has a segment named "${segment}", which is reserved`;
    if (!SEGMENT.test(segment)) {
        return `has a segment ${quoteKey(segment, 32)} with characters other than letters, digits, "_" and "-"`;
    }
    return undefined;
}

export function isValidSegment(segment: string): boolean {
    return segmentProblem(segment) === undefined;
}

export function validateKey(key: unknown): string {
    if (typeof key !== 'string') {
        throw new MetadataError('invalid_key', `a key must be a string, not ${describeType(key)}`);
    }
    if (key.length === 0) throw new MetadataError('invalid_key', 'a key must not be empty');
    if (key.length > MAX_KEY_LENGTH) {
        throw new MetadataError(
            'invalid_key',
            `key ${quoteKey(key)} is ${key.length} characters long; a key may have at most ${MAX_KEY_LENGTH}`,
        );
    }
    for (const segment of key.split('.')) {
        const problem = segmentProblem(segment);
        if (problem) {
            throw new MetadataError(
                'invalid_key',
                `key ${quoteKey(key)} ${problem}; a key is dot-separated segments of letters, digits, "_" and "-"`,
            );
        }
    }
    return key;
}

export function joinKey(prefix: string, segment: string): string {
    return prefix === '' ? segment : `${prefix}.${segment}`;
}

/**
 * The key of member `name` of a nested object under `prefix` (a document or a merge patch: `what` names
 * it in the message), checked as one segment first, so the message names the member rather than a
 * whole dotted key.
 */
export function memberKey(prefix: string, name: string, what: string): string {
    const problem = segmentProblem(name);
    if (problem) {
        const where = prefix === '' ? 'at the top' : `under ${quoteKey(prefix)}`;
        throw new MetadataError('invalid_key', `${what} ${quoteKey(name, 32)} ${where} is not a valid key segment: it ${problem}`);
    }
    return validateKey(joinKey(prefix, name));
}

/** Names that reach object prototypes; no key segment, and no field name the app writes, may be one. */
export function isReservedName(name: string): boolean {
    return FORBIDDEN_SEGMENTS.has(name);
}

/** `a.b.c` is a descendant of `a` and of `a.b`, not of itself nor of `a.bc`. */
export function isDescendantKey(key: string, ancestor: string): boolean {
    return key.length > ancestor.length && key.startsWith(ancestor) && key[ancestor.length] === '.';
}

/** The key itself or a key under it. */
export function isAtOrUnder(key: string, ancestor: string): boolean {
    return key === ancestor || isDescendantKey(key, ancestor);
}

/** Two keys overlap when one is the other or lies under it: they address the same part of the document. */
export function overlaps(a: string, b: string): boolean {
    return isAtOrUnder(a, b) || isDescendantKey(b, a);
}

/** `a.b.c` → [`a`, `a.b`]. */
export function ancestorKeys(key: string): string[] {
    const ancestors: string[] = [];
    for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', dot + 1)) {
        ancestors.push(key.slice(0, dot));
    }
    return ancestors;
}

/** Code-unit order: deterministic and the same on every instance. */
export function compareKeys(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function describeType(value: unknown): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    if (typeof value === 'object') return 'an object';
    if (typeof value === 'undefined') return 'missing';
    return `a ${typeof value}`;
}
