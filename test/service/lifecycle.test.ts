import { describe, expect, it } from 'vitest';

import { SubjectRef } from '../../src/core/types';
import { createLifecycleService, LifecycleService, purgingMisses } from '../../src/service/lifecycle';
import { Directory } from '../../src/service/ports';
import { Caller } from '../../src/service/types';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { INDEX_SHARDS } from '../../src/store/records';
import { database, instance, setItems } from '../store/helpers';

/*
 * SPEC §18 through the lifecycle service over the real store: events purge, a member who leaves loses what the
 * room no longer lets through, a missing subject is purged when touched, and the admin sweep goes through the
 * subject index in bounded batches, resuming from its cursor.
 */

const admin: Caller = { id: 'u-admin', username: 'admin', roles: ['admin'] };
const alice: Caller = { id: 'u-alice', username: 'alice', roles: ['user'] };
const at = '2026-01-01T00:00:00.000Z';
const room = (id: string): SubjectRef => ({ namespace: 'room', id });
const user = (id: string): SubjectRef => ({ namespace: 'user', id });

function setup(existing: Set<string>, shards = INDEX_SHARDS, announced: string[] = []) {
    const db = database({ server: 'B' });
    const { store, idle } = instance(db);
    const failing = new Set<string>();
    const lifecycle = createLifecycleService({
        store,
        existence: {
            exists: async (s) => {
                const name = `${s.namespace}:${s.id}`;
                if (failing.has(name)) throw new Error('lookup failed');
                return existing.has(name);
            },
        },
        settings: async () => DEFAULT_SETTINGS,
        log: { error: () => undefined },
        shards,
        announceRemoval: async (s) => void announced.push(`${s.namespace}:${s.id}`),
    });
    return { db, store, idle, lifecycle, failing };
}

async function sweep(lifecycle: LifecycleService, limit: number) {
    const batches = [];
    let cursor: string | undefined;
    do {
        const batch = await lifecycle.reconcile(admin, { cursor, limit });
        batches.push(batch);
        cursor = batch.next ?? undefined;
    } while (cursor !== undefined && batches.length < 100);
    return batches;
}

describe('lifecycle', () => {
    it('tells the webhooks that a purged subject is gone, and only when something was purged', async () => {
        const announced: string[] = [];
        const { store, idle, lifecycle } = setup(new Set(), INDEX_SHARDS, announced);
        await store.writeItems(room('r1'), setItems({ a: 1 }));
        await idle();
        await lifecycle.roomDeleted('r1');
        await lifecycle.roomDeleted('never-had-anything');
        expect(announced).toEqual(['room:r1']);
    });

    it('a deleted room takes its metadata and the subscriptions to it; a deleted user theirs and their own', async () => {
        const { store, idle, lifecycle } = setup(new Set());
        await store.writeItems(room('r1'), setItems({ a: 1 }));
        await store.writeItems(user('u-bob'), setItems({ b: 1 }));
        await store.putSubscription({ subscriberId: 'u-bob', subject: room('r1'), roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'u-alice', subject: user('u-bob'), roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'u-bob', subject: user('u-alice'), roomId: 'r1', createdAt: at });
        await idle();
        expect((await lifecycle.roomDeleted('r1')).complete).toBe(true);
        expect(await store.holdsAnything(room('r1'))).toBe(false);
        expect((await store.subscriptionsOf('u-bob')).map((s) => s.subject)).toEqual([user('u-alice')]);
        await lifecycle.userDeleted('u-bob');
        expect(await store.holdsAnything(user('u-bob'))).toBe(false);
        expect(await store.subscriptionsOf('u-bob')).toEqual([]);
        expect(await store.subscriptionsOf('u-alice')).toEqual([]);
    });

    it('a member leaving a private room loses the subscription to it and those delivered in it; a public channel only the latter', async () => {
        const { store, lifecycle } = setup(new Set());
        await store.putSubscription({ subscriberId: 'u-alice', subject: room('secret'), roomId: 'dm', createdAt: at });
        await store.putSubscription({ subscriberId: 'u-alice', subject: user('u-bob'), roomId: 'secret', createdAt: at });
        await store.putSubscription({ subscriberId: 'u-alice', subject: room('team'), roomId: 'dm', createdAt: at });
        await store.putSubscription({ subscriberId: 'u-alice', subject: user('u-carol'), roomId: 'team', createdAt: at });
        const ended = await lifecycle.memberLeft({ id: 'secret', type: 'p' }, 'u-alice');
        expect(ended.map((s) => s.subject.id).sort()).toEqual(['secret', 'u-bob']);
        const endedInChannel = await lifecycle.memberLeft({ id: 'team', type: 'c' }, 'u-alice');
        expect(endedInChannel.map((s) => s.subject.id)).toEqual(['u-carol']);
        expect((await store.subscriptionsOf('u-alice')).map((s) => s.subject.id)).toEqual(['team']);
    });

    it('a subject named by anyone and not found is purged once the server confirms its id is gone, never on a failed lookup', async () => {
        const { store, idle, lifecycle, failing } = setup(new Set(['room:alive']));
        await store.writeItems(room('alive'), setItems({ a: 1 }));
        await store.writeItems(room('gone'), setItems({ a: 1 }));
        await store.writeItems(room('flaky'), setItems({ a: 1 }));
        await idle();
        failing.add('room:flaky');
        // a directory that did not find these (by name or id): the check runs in the background
        const misses: Promise<unknown>[] = [];
        const directory = purgingMisses({ findRoom: async () => undefined } as unknown as Directory, () => ({
            ...lifecycle,
            missing: (ns, id) => {
                const run = lifecycle.missing(ns, id);
                misses.push(run.catch(() => undefined));
                return run;
            },
        }), { error: () => undefined });
        for (const id of ['alive', 'gone', 'flaky', 'never-held-anything']) expect(await directory.findRoom(id)).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 0));
        await Promise.all(misses);
        expect(await store.holdsAnything(room('gone'))).toBe(false);
        expect(await store.holdsAnything(room('alive'))).toBe(true);
        expect(await store.holdsAnything(room('flaky'))).toBe(true);
    });

    it('the sweep checks every indexed subject once, in batches of at most `limit`, and purges the gone ones', async () => {
        const alive = new Set<string>();
        const { store, idle, lifecycle, failing } = setup(alive);
        const subjects: SubjectRef[] = [];
        for (let i = 0; i < 23; i++) subjects.push(room(`r${i}`));
        for (let i = 0; i < 9; i++) subjects.push(user(`u${i}`));
        for (const s of subjects) await store.writeItems(s, setItems({ a: 1 }));
        await store.putSubscription({ subscriberId: 'u-sub', subject: room('r0'), roomId: 'x', createdAt: at });
        await idle();
        for (const s of subjects.filter((_, i) => i % 3 === 0)) alive.add(`${s.namespace}:${s.id}`);
        failing.add('room:r1');

        const batches = await sweep(lifecycle, 5);
        expect(batches.every((b) => b.checked <= 5)).toBe(true);
        expect(batches.reduce((n, b) => n + b.checked, 0)).toBe(subjects.length + 1);
        const purged = batches.flatMap((b) => b.purged.map((p) => p.subject)).sort();
        const gone = [...subjects.filter((_, i) => i % 3 !== 0).map((s) => `${s.namespace}:${s.id}`), 'user:u-sub'].filter((s) => s !== 'room:r1').sort();
        expect(purged).toEqual(gone);
        expect(batches.flatMap((b) => b.undecided)).toEqual(['room:r1']);
        expect(batches[batches.length - 1].next).toBeNull();
        for (const s of subjects) expect(await store.holdsAnything(s)).toBe(alive.has(`${s.namespace}:${s.id}`) || s.id === 'r1');

        // a second sweep finds only what is left, and purges nothing more
        const again = await sweep(lifecycle, 50);
        expect(again.flatMap((b) => b.purged)).toEqual([]);
        expect(again.reduce((n, b) => n + b.checked, 0)).toBe(alive.size + 1);
    });

    it('only admins sweep; a cursor or limit it did not hand out is a 400', async () => {
        const { lifecycle } = setup(new Set());
        await expect(lifecycle.reconcile(alice, {})).rejects.toMatchObject({ code: 'forbidden' });
        await expect(lifecycle.reconcile(admin, { cursor: 'x' })).rejects.toMatchObject({ code: 'invalid_request' });
        await expect(lifecycle.reconcile(admin, { cursor: '192' })).rejects.toMatchObject({ code: 'invalid_request' });
        await expect(lifecycle.reconcile(admin, { limit: 201 })).rejects.toMatchObject({ code: 'invalid_request' });
        expect((await lifecycle.reconcile(admin, { cursor: '191' })).next).toBeNull();
    });
});
