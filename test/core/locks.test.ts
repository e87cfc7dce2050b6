import { describe, expect, it } from 'vitest';

import { isMetadataError } from '../../src/core/errors';
import {
    checkLockGuard, isExpired, liveLocks, LockHold, planAcquire, planExpiry, planRelease, planRestore, validateLockName, validateTtl, validateWait,
} from '../../src/core/locks';

// SPEC §16, written out: the expected holds are spelled out by hand, never computed by the rules under test.
const T0 = Date.parse('2026-12-02T12:00:00.000Z');
const seat = (holder: string, expiresAt: string, holdId = `h-${holder}`): LockHold =>
    ({ name: 'seat', holder, acquiredAt: '2026-12-02T12:00:00.000Z', expiresAt, holdId });

function refusal(run: () => unknown): { code: string; status: number; details: Record<string, unknown> } {
    try {
        run();
    } catch (error) {
        if (isMetadataError(error)) return { code: error.code, status: error.status, details: error.details };
        throw error;
    }
    throw new Error('expected a refusal');
}

describe('acquiring a lock', () => {
    it('a free lock goes to the caller for ttl seconds', () => {
        const plan = planAcquire([], { name: 'seat', userId: 'alice', ttl: 10, nowMs: T0, holdId: 'h1' });
        expect(plan.locks).toEqual([{ name: 'seat', holder: 'alice', acquiredAt: '2026-12-02T12:00:00.000Z', expiresAt: '2026-12-02T12:00:10.000Z', holdId: 'h1' }]);
        expect(plan.change.kind).toBe('acquired');
    });

    it('a lock another holds is refused with 423 locked, naming the holder and until when', () => {
        const held = [seat('bob', '2026-12-02T12:00:05.000Z')];
        expect(refusal(() => planAcquire(held, { name: 'seat', userId: 'alice', ttl: 10, nowMs: T0, holdId: 'h1' })))
            .toEqual({ code: 'locked', status: 423, details: { lock: 'seat', holder: 'bob', expiresAt: '2026-12-02T12:00:05.000Z' } });
    });

    it('the holder acquiring again renews: same acquisition, new expiry', () => {
        const plan = planAcquire([seat('alice', '2026-12-02T12:00:05.000Z')], { name: 'seat', userId: 'alice', ttl: 60, nowMs: T0, holdId: 'new' });
        expect(plan.change.kind).toBe('renewed');
        expect(plan.locks).toEqual([{ ...seat('alice', '2026-12-02T12:01:00.000Z') }]);
    });

    it('an expired hold is free to take, and the acquisition reports the hold it replaced', () => {
        const old = seat('bob', '2026-12-02T12:00:00.000Z');
        const plan = planAcquire([old], { name: 'seat', userId: 'alice', ttl: 10, nowMs: T0, holdId: 'h1' });
        expect(plan.locks.map((h) => h.holder)).toEqual(['alice']);
        expect(plan.change.replaced).toEqual(old);
    });

    it('other locks of the subject are kept as they are, expired ones too (each expiry is reported once, by its job)', () => {
        const desk = { ...seat('bob', '2026-12-02T11:59:00.000Z'), name: 'desk' };
        const plan = planAcquire([desk], { name: 'seat', userId: 'alice', ttl: 10, nowMs: T0, holdId: 'h1' });
        expect(plan.locks.map((h) => h.name)).toEqual(['desk', 'seat']);
    });
});

describe('releasing and revoking', () => {
    it('the holder releases', () => {
        const plan = planRelease([seat('alice', '2026-12-02T12:00:05.000Z')], { name: 'seat', userId: 'alice', mayRevoke: false, nowMs: T0 });
        expect([plan.locks, plan.change.kind]).toEqual([[], 'released']);
    });

    it('someone who may write the subject revokes another\'s lock', () => {
        const plan = planRelease([seat('alice', '2026-12-02T12:00:05.000Z')], { name: 'seat', userId: 'bob', mayRevoke: true, nowMs: T0 });
        expect([plan.locks, plan.change.kind, plan.change.hold.holder]).toEqual([[], 'revoked', 'alice']);
    });

    it('anyone else is refused with 403', () => {
        expect(refusal(() => planRelease([seat('alice', '2026-12-02T12:00:05.000Z')], { name: 'seat', userId: 'carol', mayRevoke: false, nowMs: T0 })).status).toBe(403);
    });

    it('a lock nobody holds, or whose hold ran out, is 404 lock_not_found', () => {
        expect(refusal(() => planRelease([], { name: 'seat', userId: 'alice', mayRevoke: true, nowMs: T0 })).code).toBe('lock_not_found');
        expect(refusal(() => planRelease([seat('alice', '2026-12-02T11:59:59.999Z')], { name: 'seat', userId: 'alice', mayRevoke: true, nowMs: T0 })).code).toBe('lock_not_found');
    });
});

describe('expiry', () => {
    it('a hold expires at its expiresAt, not a millisecond later', () => {
        expect(isExpired(seat('a', '2026-12-02T12:00:00.000Z'), T0)).toBe(true);
        expect(isExpired(seat('a', '2026-12-02T12:00:00.001Z'), T0)).toBe(false);
    });

    it('the expiry job ends exactly the hold it was scheduled for, once it has run out', () => {
        const hold = seat('alice', '2026-12-02T12:00:00.000Z', 'h1');
        expect(planExpiry([hold], { name: 'seat', holdId: 'h1', nowMs: T0 })).toEqual({ locks: [], change: { kind: 'expired', hold, by: '' } });
    });

    it('a renewed, released or taken-over hold does not expire by an older job', () => {
        expect(planExpiry([seat('alice', '2026-12-02T12:00:30.000Z', 'h1')], { name: 'seat', holdId: 'h1', nowMs: T0 })).toBeUndefined();
        expect(planExpiry([], { name: 'seat', holdId: 'h1', nowMs: T0 })).toBeUndefined();
        expect(planExpiry([seat('bob', '2026-12-02T11:00:00.000Z', 'h2')], { name: 'seat', holdId: 'h1', nowMs: T0 })).toBeUndefined();
    });

    it('the list shows the holds in force only, by name', () => {
        const desk = { ...seat('bob', '2026-12-02T12:05:00.000Z'), name: 'desk' };
        expect(liveLocks([seat('alice', '2026-12-02T11:00:00.000Z'), desk], T0)).toEqual([desk]);
    });
});

describe('writes that name a lock', () => {
    it('the holder writes', () => {
        expect(() => checkLockGuard([seat('alice', '2026-12-02T12:00:05.000Z')], 'seat', 'alice', T0)).not.toThrow();
    });

    it('anyone else is refused with 423, naming the holder', () => {
        expect(refusal(() => checkLockGuard([seat('alice', '2026-12-02T12:00:05.000Z')], 'seat', 'bob', T0)).details).toMatchObject({ holder: 'alice' });
    });

    it('the holder whose hold ran out is refused with 423 too', () => {
        expect(refusal(() => checkLockGuard([seat('alice', '2026-12-02T12:00:00.000Z')], 'seat', 'alice', T0)).code).toBe('locked');
    });
});

describe('restoring a lock from a backup', () => {
    it('comes back while in force and free', () => {
        const hold = seat('alice', '2026-12-02T12:00:30.000Z', 'new');
        expect(planRestore([], hold, T0)?.locks).toEqual([hold]);
    });

    it('never displaces a holder, and never restores an expired hold', () => {
        expect(planRestore([seat('bob', '2026-12-02T12:00:30.000Z')], seat('alice', '2026-12-02T12:00:30.000Z'), T0)).toBeUndefined();
        expect(planRestore([], seat('alice', '2026-12-02T11:59:00.000Z'), T0)).toBeUndefined();
    });
});

describe('the lock request', () => {
    it('ttl is 10 to 300 s, 10 when absent; wait 0 to 30 s, 0 when absent; names follow the key rules', () => {
        expect([validateTtl(undefined), validateTtl(10), validateTtl(300), validateWait(undefined), validateWait(30)]).toEqual([10, 10, 300, 0, 30]);
        for (const bad of [9, 301, 10.5, '20']) expect(refusal(() => validateTtl(bad)).code).toBe('invalid_request');
        for (const bad of [-1, 31, 1.5]) expect(refusal(() => validateWait(bad)).code).toBe('invalid_request');
        expect(refusal(() => validateLockName('a..b')).code).toBe('invalid_key');
    });
});
