import { randomUUID } from 'crypto';

/**
 * A random id for nonces and write ids; unique across instances, not a secret. Node's `crypto` (allowed by the
 * server's Deno runtime), never `globalThis`: the runtime evaluates the app with `globalThis` bound to undefined.
 */
export function newId(): string {
    return randomUUID().replace(/-/g, '');
}
