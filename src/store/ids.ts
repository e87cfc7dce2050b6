/** A random id for nonces and write ids; unique across instances, not a secret. */
export function newId(): string {
    const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
    if (crypto?.randomUUID) return crypto.randomUUID().replace(/-/g, '');
    let id = Date.now().toString(36);
    while (id.length < 32) id += Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0');
    return id.slice(0, 32);
}
