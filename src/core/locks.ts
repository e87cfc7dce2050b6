import { MetadataError } from './errors';
import { validateKey } from './keys';

/*
 * NAMED LOCKS OF A SUBJECT (SPEC §16, after Agora Signaling's locks), as pure rules over the list of
 * holds a subject's decided state carries. The store decides every change of that list through the
 * subject's revision log, in the one order item writes are decided in (store/revisionLog.ts): so a
 * lock has one holder per decided position, and an item write that names a lock is judged against
 * the holds of the very position it builds on. Time only decides expiry: a hold whose `expiresAt` has
 * passed by the proposer's clock is free to take; two clocks that disagree may make a lock change
 * hands early or late, never give it to two holders at once in the decided order.
 */

/** One held lock: who, since when, until when (ISO-8601), and the id of the acquisition (kept on renewal). */
export interface LockHold {
    name: string;
    holder: string;
    acquiredAt: string;
    expiresAt: string;
    holdId: string;
}

/** What a decided lock change did, for LOCK events. */
export type LockChangeKind = 'acquired' | 'renewed' | 'released' | 'revoked' | 'expired';

export interface LockChange {
    kind: LockChangeKind;
    /** the hold acquired or renewed, or the one that ended */
    hold: LockHold;
    /** who made the change (the holder, a revoker; '' for an expiry) */
    by: string;
    /** an acquisition that took over an expired hold: that hold, whose expiry is reported with it */
    replaced?: LockHold;
}

/** A new list of holds and the change that made it. */
export interface LockPlan {
    locks: LockHold[];
    change: LockChange;
}

export const LOCK_TTL = { min: 10, max: 300, default: 10 } as const;
/** SPEC §16 allows up to 30 s; the engine ends a request after 30 s, so the wait stops in time to answer. */
export const LOCK_WAIT = { max: 30, effectiveMax: 25 } as const;

/** A lock name follows the key rules (SPEC §16). */
export function validateLockName(name: unknown): string {
    return validateKey(name);
}

export function validateTtl(ttl: unknown): number {
    if (ttl === undefined) return LOCK_TTL.default;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < LOCK_TTL.min || ttl > LOCK_TTL.max) {
        throw new MetadataError('invalid_request', `ttl must be a whole number of seconds from ${LOCK_TTL.min} to ${LOCK_TTL.max}.`);
    }
    return ttl;
}

export function validateWait(wait: unknown): number {
    if (wait === undefined) return 0;
    if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > LOCK_WAIT.max) {
        throw new MetadataError('invalid_request', `wait must be a whole number of seconds from 0 to ${LOCK_WAIT.max}.`);
    }
    return wait;
}

export function isExpired(hold: LockHold, nowMs: number): boolean {
    return Date.parse(hold.expiresAt) <= nowMs;
}

/** The holds still in force at `nowMs`, by name. */
export function liveLocks(locks: readonly LockHold[], nowMs: number): LockHold[] {
    return locks.filter((hold) => !isExpired(hold, nowMs)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Acquire `name` for `userId` for `ttl` seconds: a free or expired lock is taken, the holder's own is
 * renewed (same holdId, new expiry); a lock another user holds is refused with `locked`.
 */
export function planAcquire(locks: readonly LockHold[], request: { name: string; userId: string; ttl: number; nowMs: number; holdId: string }): LockPlan {
    const { name, userId, ttl, nowMs } = request;
    const held = locks.find((hold) => hold.name === name && !isExpired(hold, nowMs));
    if (held && held.holder !== userId) throw lockedBy(held);
    const expiresAt = new Date(nowMs + ttl * 1000).toISOString();
    if (held) {
        const renewed = { ...held, expiresAt };
        return { locks: [...others(locks, name), renewed], change: { kind: 'renewed', hold: renewed, by: userId } };
    }
    const hold: LockHold = { name, holder: userId, acquiredAt: new Date(nowMs).toISOString(), expiresAt, holdId: request.holdId };
    const replaced = locks.find((h) => h.name === name);
    return { locks: [...others(locks, name), hold], change: { kind: 'acquired', hold, by: userId, ...(replaced ? { replaced } : {}) } };
}

/**
 * Release (by its holder) or revoke (by whoever `mayRevoke`) the lock `name`. A lock that is not
 * held, or has expired, is `item_not_found`-like: there is nothing to release.
 */
export function planRelease(locks: readonly LockHold[], request: { name: string; userId: string; mayRevoke: boolean; nowMs: number }): LockPlan {
    const { name, userId, mayRevoke, nowMs } = request;
    const held = locks.find((hold) => hold.name === name && !isExpired(hold, nowMs));
    if (!held) throw new MetadataError('lock_not_found', `No one holds the lock ${name}.`, { lock: name });
    if (held.holder !== userId && !mayRevoke) {
        throw new MetadataError('forbidden', `The lock ${name} is held by someone else, and you may not revoke it.`, { lock: name, holder: held.holder });
    }
    return { locks: others(locks, name), change: { kind: held.holder === userId ? 'released' : 'revoked', hold: held, by: userId } };
}

/**
 * The expiry of the acquisition `holdId` of `name`, decided so its LOCK event goes out once: none when
 * it was renewed past `nowMs`, released, or taken over since.
 */
export function planExpiry(locks: readonly LockHold[], request: { name: string; holdId: string; nowMs: number }): LockPlan | undefined {
    const hold = locks.find((h) => h.name === request.name && h.holdId === request.holdId);
    if (!hold || !isExpired(hold, request.nowMs)) return undefined;
    return { locks: locks.filter((h) => h !== hold), change: { kind: 'expired', hold, by: '' } };
}

/**
 * An import brings back a hold it exported (SPEC §18), under a new holdId: only while it is in force and nobody
 * holds its name here (a later holder is never displaced); undefined otherwise.
 */
export function planRestore(locks: readonly LockHold[], hold: LockHold, nowMs: number): LockPlan | undefined {
    if (isExpired(hold, nowMs) || locks.some((h) => h.name === hold.name && !isExpired(h, nowMs))) return undefined;
    return { locks: [...others(locks, hold.name), hold], change: { kind: 'acquired', hold, by: hold.holder } };
}

/** An item write naming a lock: only its holder, while the hold is in force (SPEC §16: `423 locked`). */
export function checkLockGuard(locks: readonly LockHold[], name: string, userId: string, nowMs: number): void {
    const held = locks.find((hold) => hold.name === name && !isExpired(hold, nowMs));
    if (!held) throw new MetadataError('locked', `The write names the lock ${name}, which nobody holds. Acquire it first.`, { lock: name });
    if (held.holder !== userId) throw lockedBy(held);
}

function lockedBy(held: LockHold): MetadataError {
    return new MetadataError('locked', `The lock ${held.name} is held by someone else until ${held.expiresAt}.`, {
        lock: held.name, holder: held.holder, expiresAt: held.expiresAt,
    });
}

/** The holds of other names, expired ones included: each expiry is decided once, by its own job (planExpiry). */
function others(locks: readonly LockHold[], name: string): LockHold[] {
    return locks.filter((hold) => hold.name !== name);
}
