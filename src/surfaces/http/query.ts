import { MetadataError } from '../../core/errors';

/*
 * Query parameters as the server hands them over. Express passes a repeated parameter (`?keys=a&keys=b`) as
 * an array, and its qs parser turns `?keys[x]=1` into an object. A list parameter merges its repeats
 * (`?keys=a&keys=b,c` reads as `?keys=a,b,c`); a parameter that names one thing must be given once.
 */

/** A comma-separated list parameter, its repeats joined; undefined when absent. */
export function listParam(query: Record<string, unknown>, name: string): string | undefined {
    const value = query[name];
    if (value === undefined || typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((part) => typeof part === 'string')) return value.join(',');
    throw new MetadataError(
        'invalid_request',
        `query parameter "${name}" must be a comma-separated list (?${name}=a,b, or ?${name}=a&${name}=b), not ${nameOf(value)}`,
    );
}

/** A parameter that names one thing; undefined when absent. */
export function textParam(query: Record<string, unknown>, name: string, example: string): string | undefined {
    const value = query[name];
    if (value === undefined || typeof value === 'string') return value;
    const how = Array.isArray(value) ? `is given ${value.length} times` : `must be plain text, not ${nameOf(value)}`;
    throw new MetadataError('invalid_request', `query parameter "${name}" ${how}; give it once, e.g. ?${name}=${example}`);
}

function nameOf(value: unknown): string {
    if (Array.isArray(value)) return 'a nested list';
    if (typeof value === 'object' && value !== null) return 'bracketed parts (name[…]=…)';
    return `a ${typeof value}`;
}
