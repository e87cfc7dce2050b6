import { describe, expect, it } from 'vitest';
import { subscriptionRecord } from '../../src/store/records';
import { encodeSubscription } from '../../src/store/codec';
import { SubjectRef } from '../../src/core/types';
import { alice, database, general, instance } from './helpers';

const bobUser: SubjectRef = { namespace: 'user', id: 'bob' };
const at = '2024-05-01T10:00:00.000Z';

describe.each(['A', 'B'] as const)('subscriptions on server %s', (server) => {
    it('subscribing twice keeps one subscription and moves it to the new room', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r2', createdAt: at });
        expect(await store.subscriptionsOf('bob')).toEqual([{ subscriberId: 'bob', subject: alice, roomId: 'r2', createdAt: at }]);
        expect(db.find('kind:subscription')).toHaveLength(1);
    });

    it('lists subscriptions by subscriber and by subject', async () => {
        const { store } = instance(database({ server }));
        await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'bob', subject: general, roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'carol', subject: alice, roomId: 'r3', createdAt: at });
        expect((await store.subscriptionsOf('bob')).map((s) => s.subject.id).sort()).toEqual(['alice', 'general']);
        expect((await store.subscribersOf(alice)).map((s) => s.subscriberId).sort()).toEqual(['bob', 'carol']);
        expect(await store.subscribersOf(general)).toEqual([{ subscriberId: 'bob', subject: general, roomId: 'r1', createdAt: at }]);
        expect(await store.subscriptionsOf('dave')).toEqual([]);
    });

    it('does not confuse subscriptions of a user with subscriptions to that user', async () => {
        const { store } = instance(database({ server }));
        await store.putSubscription({ subscriberId: 'alice', subject: bobUser, roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'bob', subject: general, roomId: 'r2', createdAt: at });
        expect((await store.subscriptionsOf('bob')).map((s) => s.subject)).toEqual([general]);
        expect((await store.subscribersOf(bobUser)).map((s) => s.subscriberId)).toEqual(['alice']);
        expect(await store.load(bobUser)).toEqual({ set: { majorRevision: 0, items: [] }, stateOps: [], locks: [] });
    });

    it('unsubscribes, answering whether there was a subscription', async () => {
        const { store } = instance(database({ server }));
        await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: at });
        await store.putSubscription({ subscriberId: 'bob', subject: general, roomId: 'r1', createdAt: at });
        expect(await store.removeSubscription('bob', alice)).toBe(true);
        expect(await store.removeSubscription('bob', alice)).toBe(false);
        expect((await store.subscriptionsOf('bob')).map((s) => s.subject)).toEqual([general]);
        expect(await store.subscribersOf(alice)).toEqual([]);
    });

    it('unsubscribes completely even when a raced first subscribe left two records', async () => {
        const db = database({ server });
        const { store } = instance(db);
        for (const roomId of ['r1', 'r2']) {
            db.insertRaw(subscriptionRecord('bob', alice), encodeSubscription({ subscriberId: 'bob', subject: alice, roomId, createdAt: at }, roomId));
        }
        expect(await store.subscriptionsOf('bob')).toHaveLength(1);
        expect(await store.removeSubscription('bob', alice)).toBe(true);
        expect(await store.subscriptionsOf('bob')).toEqual([]);
        expect(db.find('kind:subscription')).toEqual([]);
    });

    it('fails a subscribe that stored nothing', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: at });
        db.failNext('updateByAssociations', 'before');
        await expect(store.putSubscription({ subscriberId: 'bob', subject: alice, roomId: 'r2', createdAt: at })).rejects.toThrow();
        expect((await store.subscriptionsOf('bob')).map((s) => s.roomId)).toEqual(['r1']);
    });
});

describe('a duplicate subscription resolves the same way on every instance', () => {
    // Two records for one subscriber and subject (a raced first subscribe); each order the database may answer
    // them in stands for another instance, and every instance must deliver to the same room.
    async function subscribersWithRecordsIn(order: Array<{ roomId: string; createdAt: string }>) {
        const db = database();
        for (const [i, { roomId, createdAt }] of order.entries()) {
            db.insertRaw(subscriptionRecord('bob', alice), encodeSubscription({ subscriberId: 'bob', subject: alice, roomId, createdAt }, `w${i}`));
        }
        return instance(db).store.subscribersOf(alice);
    }

    it('keeps the later subscription (the last move), whatever order the records are read in', async () => {
        const earlier = { roomId: 'r1', createdAt: '2024-05-01T10:00:00.000Z' };
        const later = { roomId: 'r2', createdAt: '2024-05-01T10:00:05.000Z' };
        expect(await subscribersWithRecordsIn([earlier, later])).toEqual([{ subscriberId: 'bob', subject: alice, ...later }]);
        expect(await subscribersWithRecordsIn([later, earlier])).toEqual([{ subscriberId: 'bob', subject: alice, ...later }]);
    });

    it('of two made at the same moment, keeps the one with the lower room id, whatever order the records are read in', async () => {
        const one = { roomId: 'r1', createdAt: at };
        const other = { roomId: 'r2', createdAt: at };
        expect(await subscribersWithRecordsIn([other, one])).toEqual(await subscribersWithRecordsIn([one, other]));
        expect((await subscribersWithRecordsIn([other, one]))[0].roomId).toBe('r1');
    });
});
