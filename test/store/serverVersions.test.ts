import { describe, expect, it } from 'vitest';
import { alice, database, instance, setItems } from './helpers';

describe('servers whose updateByAssociations throws after writing (B)', () => {
    it('does not fail a write when the update answers with an error after the record was stored', async () => {
        const db = database({ server: 'B' });
        const { store } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        // The second write updates an existing record: this server's answer throws a TypeError.
        const { after } = await store.writeItems(alice, setItems({ a: 2 }));
        expect(after.set.majorRevision).toBe(2);
        expect((await store.load(alice)).set.items[0].value).toBe(2);
    });

    it('re-subscribing (an update of an existing record) succeeds', async () => {
        const { store } = instance(database({ server: 'B' }));
        const subscription = { subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: '2024-01-01T00:00:00.000Z' };
        await store.putSubscription(subscription);
        await expect(store.putSubscription({ ...subscription, roomId: 'r2' })).resolves.toBeUndefined();
        expect((await store.subscriptionsOf('bob')).map((s) => s.roomId)).toEqual(['r2']);
    });
});

describe.each(['A', 'B'] as const)('persistence failures on server %s', (server) => {
    it('fails a write when the update stored nothing, and releases its claim so the next write goes through', async () => {
        const db = database({ server });
        const one = instance(db, { maxAttempts: 1 });
        const two = instance(db, { maxAttempts: 1 });
        await one.store.writeItems(alice, setItems({ a: 1 }));
        db.failNext('updateByAssociations', 'before');
        await expect(one.store.writeItems(alice, setItems({ a: 2 }))).rejects.toThrow('simulated updateByAssociations failure');
        expect((await one.store.load(alice)).set).toMatchObject({ majorRevision: 1, items: [{ key: 'a', value: 1 }] });
        expect(db.find('kind:claim', 'claim-revision:2')).toEqual([]);
        expect((await two.store.writeItems(alice, setItems({ a: 3 }))).after.set.majorRevision).toBe(2);
    });

    it('reports a write as done when the update failed only after storing it', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        db.failNext('updateByAssociations', 'after');
        const { after } = await store.writeItems(alice, setItems({ a: 2 }));
        expect(after.set.majorRevision).toBe(2);
        expect((await store.load(alice)).set.majorRevision).toBe(2);
    });

    it('keeps its claim when it cannot tell whether a failed update was stored', async () => {
        const db = database({ server });
        const { store, connection } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        db.failNext('updateByAssociations', 'before');
        connection.latency = (method) => {
            if (method === 'updateByAssociations') db.failNext('readByAssociations', 'before');
        };
        await expect(store.writeItems(alice, setItems({ a: 2 }))).rejects.toThrow('simulated updateByAssociations failure');
        expect(db.find('kind:claim', 'claim-revision:2')).toHaveLength(1);
    });

    it('propagates a failing load without writing anything', async () => {
        const db = database({ server });
        const { store } = instance(db);
        db.failNext('readByAssociations', 'before');
        await expect(store.writeItems(alice, setItems({ a: 1 }))).rejects.toThrow('simulated readByAssociations failure');
        expect(db.records).toEqual([]);
    });
});
