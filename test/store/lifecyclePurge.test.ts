import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { describe, expect, it } from 'vitest';

import { MetadataError } from '../../src/core/errors';
import { SubjectRef } from '../../src/core/types';
import { MetadataStore } from '../../src/store/MetadataStore';
import { INDEX_SHARDS, indexShardOf } from '../../src/store/records';
import { SubjectLocks } from '../../src/core/subjectLocks';
import { addToSet, alice, database, general, instance, setItems } from './helpers';

/*
 * SPEC §18: a subject whose room or user is gone is purged record by record (src/store/purge.ts), on servers that
 * delete every match per call (A) and on those that delete one (B); and a writer caught in the middle of a write
 * by the purge stops cleanly, while a later write still goes through.
 */

const bob: SubjectRef = { namespace: 'user', id: 'bob' };
const at = '2026-01-01T00:00:00.000Z';

/** Every record that names the subject anywhere in its associations. */
function recordsOf(db: ReturnType<typeof database>, subject: SubjectRef) {
    const name = `${subject.namespace}:${subject.id}`;
    return db.records.filter((r) => r.associations.some((a) => a.id.endsWith(`:${name}`) && !a.id.startsWith('subscriber:')));
}

for (const server of ['A', 'B'] as const) {
    describe(`purge on server ${server}`, () => {
        it('a room purged right after a write is not indexed again by that write\'s late indexer', async () => {
            const db = database({ server });
            const later: Array<() => Promise<void>> = [];
            const { store } = instance(db, { background: (task) => void later.push(task) });
            await store.writeItems(general, setItems({ topic: 'soon gone' }));
            await store.purge(general);
            // the write's background work (its clean-up and the subject's index entry) runs only now
            for (const task of later.splice(0)) await task().catch(() => undefined);
            expect(recordsOf(db, general)).toEqual([]);
        });

        it('removes the log, state, history, index entry and subscriptions of a room, and nothing of any other subject', async () => {
            const db = database({ server });
            const { store, idle } = instance(db);
            for (let i = 0; i < 5; i++) await store.writeItems(general, setItems({ topic: `t${i}`, [`k${i}`]: i }));
            await store.appendStateOp(general, addToSet('votes', 'pizza', 'alice'));
            await store.appendStateOp(general, addToSet('votes', 'pasta', 'bob'));
            await store.putSubscription({ subscriberId: 'alice', subject: general, roomId: 'r1', createdAt: at });
            await store.putSubscription({ subscriberId: 'bob', subject: general, roomId: 'r1', createdAt: at });
            await store.writeItems(alice, setItems({ theme: 'dark' }));
            await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: at });
            await idle();
            expect(recordsOf(db, general).length).toBeGreaterThan(10);
            const aliceBefore = JSON.stringify(recordsOf(db, alice));

            const report = await store.purge(general);
            await idle();
            expect(report.complete).toBe(true);
            expect(recordsOf(db, general)).toEqual([]);
            expect(db.find('subscribed-to:room:general')).toEqual([]);
            expect(JSON.stringify(recordsOf(db, alice))).toBe(aliceBefore);
            expect((await store.subscriptionsOf('bob')).map((s) => s.subject)).toEqual([alice]);
            expect(await store.holdsAnything(general)).toBe(false);
            expect((await store.load(general)).set.majorRevision).toBe(0);
        });

        it('removes a deleted user\'s own subscriptions with their metadata', async () => {
            const db = database({ server });
            const { store, idle } = instance(db);
            await store.writeItems(bob, setItems({ a: 1 }));
            await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: at });
            await store.putSubscription({ subscriberId: 'bob', subject: general, roomId: 'r1', createdAt: at });
            await store.putSubscription({ subscriberId: 'alice', subject: bob, roomId: 'r1', createdAt: at });
            await idle();
            await store.purge(bob, 'bob');
            expect(db.find('subscriber:bob')).toEqual([]);
            expect(db.find('subscribed-to:user:bob')).toEqual([]);
            expect(recordsOf(db, bob)).toEqual([]);
            expect(await store.subscriptionsOf('alice')).toEqual([]);
        });

        it('lists every subject that holds something in the subject index, once, and the purge takes it out', async () => {
            const db = database({ server });
            const { store, idle } = instance(db);
            const two = instance(db);
            await Promise.all([store.writeItems(general, setItems({ a: 1 })), two.store.writeItems(general, setItems({ b: 1 }))]);
            await store.appendStateOp({ namespace: 'room', id: 'team' }, addToSet('k', 1, 'alice'));
            await store.putSubscription({ subscriberId: 'carol', subject: { namespace: 'room', id: 'secret' }, roomId: 'r1', createdAt: at });
            await Promise.all([idle(), two.idle()]);
            const listed = async (namespace: 'room' | 'user') => {
                const all: string[] = [];
                for (let shard = 0; shard < INDEX_SHARDS; shard++) all.push(...(await store.indexedSubjects(namespace, shard)).map((s) => s.id));
                return all.sort();
            };
            expect(await listed('room')).toEqual(['general', 'secret', 'team']);
            expect(await listed('user')).toEqual(['carol']);
            expect(await store.indexedSubjects('room', indexShardOf(general))).toContainEqual(general);
            await store.purge(general);
            expect(await listed('room')).toEqual(['secret', 'team']);
        });

        it('indexes a subject stored before the index existed when it is next read', async () => {
            const db = database({ server });
            const { store, idle } = instance(db);
            await store.writeItems(alice, setItems({ a: 1 }));
            await idle();
            // as an older version left it: no index entry
            for (const record of db.find('kind:index')) db.records.splice(db.records.indexOf(record), 1);
            expect(await store.indexedSubjects('user', indexShardOf(alice))).toEqual([]);
            await store.load(alice);
            await idle();
            expect(await store.indexedSubjects('user', indexShardOf(alice))).toEqual([alice]);
        });

        it('a write caught mid-way by the purge stops with 404 and leaves nothing; a later write goes through', async () => {
            const db = database({ server });
            const writer = db.connect();
            // Hold the writer's accept until the purge has run on another instance.
            let releaseAccept!: () => void;
            let acceptHeld!: () => void;
            const held = new Promise<void>((resolve) => (acceptHeld = resolve));
            const gate = new Promise<void>((resolve) => (releaseAccept = resolve));
            let holding = true;
            const persistence = new Proxy(writer.persistence, {
                get(target, method: keyof IPersistence) {
                    const original = target[method] as (...args: unknown[]) => Promise<unknown>;
                    if (method !== 'createWithAssociations') return original.bind(target);
                    return async (data: { kind?: string }, associations: unknown) => {
                        if (holding && data?.kind === 'accept') {
                            holding = false;
                            acceptHeld();
                            await gate;
                        }
                        return original.call(target, data, associations);
                    };
                },
            }) as IPersistence;
            const running: Promise<unknown>[] = [];
            const paused = new MetadataStore(writer.read, persistence, {
                locks: new SubjectLocks(), backoffMs: 2, background: (task) => void running.push(task().catch(() => undefined)),
            });
            const other = instance(db);
            await other.store.writeItems(general, setItems({ a: 1 }));
            await other.store.writeItems(general, setItems({ a: 2 }));
            await other.idle();

            const write = paused.writeItems(general, setItems({ a: 3 }));
            write.catch(() => undefined);
            await held;
            await other.store.purge(general);
            releaseAccept();
            const error = await write.then(() => undefined, (e: unknown) => e);
            expect(error).toBeInstanceOf(MetadataError);
            expect((error as MetadataError).code).toBe('subject_not_found');
            await Promise.all(running);
            // its accept landed after the purge; it took it back
            expect(recordsOf(db, general)).toEqual([]);

            const { after } = await other.store.writeItems(general, setItems({ b: 1 }));
            expect(after.set).toMatchObject({ majorRevision: 1, items: [{ key: 'b', value: 1 }] });
            expect((await paused.writeItems(general, setItems({ c: 1 }))).after.set.majorRevision).toBe(2);
        });

        it('any leftover of a purge that stopped half-way still loads and takes the next write', async () => {
            const db = database({ server });
            const { store, idle } = instance(db);
            for (let i = 0; i < 4; i++) await store.writeItems(general, setItems({ a: i }));
            await idle();
            // only the commits went (the purge's first family), the rest is still there
            for (const record of db.find('kind:commit', 'subject:room:general')) db.records.splice(db.records.indexOf(record), 1);
            const { after } = await store.writeItems(general, setItems({ z: 1 }));
            expect(after.set.items.map((i) => i.key)).toContain('z');
            expect((await store.load(general)).set.majorRevision).toBe(after.set.majorRevision);
        });
    });
}
