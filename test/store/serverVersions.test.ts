import { describe, expect, it } from 'vitest';
import { alice, database, instance, setItems } from './helpers';

describe('servers whose updateByAssociations throws after writing (B)', () => {
    it('never fails an item write: items are only ever created, never updated', async () => {
        const db = database({ server: 'B' });
        const { store } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        const { after } = await store.writeItems(alice, setItems({ a: 2 }));
        expect(after.set.majorRevision).toBe(2);
        expect(db.calls.updateByAssociations).toBeUndefined();
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
    it('fails a write whose accept was not stored, and the next write goes through', async () => {
        const db = database({ server });
        const one = instance(db);
        const two = instance(db);
        await one.store.writeItems(alice, setItems({ a: 1 }));
        await one.idle();
        // the prepare, then the accept
        db.failNext('createWithAssociations', 'before');
        await expect(one.store.writeItems(alice, setItems({ a: 2 }))).rejects.toThrow('simulated createWithAssociations failure');
        const { after } = await two.store.writeItems(alice, setItems({ b: 3 }));
        expect(after.set).toMatchObject({ majorRevision: 2, items: [{ key: 'a', value: 1 }, { key: 'b', value: 3 }] });
    });

    it('a write whose accept was stored but answered with an error is finished by the next writer, before its own', async () => {
        const db = database({ server });
        const one = instance(db);
        const two = instance(db);
        await one.store.writeItems(alice, setItems({ a: 1 }));
        let creates = 0;
        one.connection.latency = (method) => {
            if (method === 'createWithAssociations' && ++creates === 2) db.failNext('createWithAssociations', 'after');
        };
        // Not acknowledged: the client cannot tell whether it happened, as after any timeout.
        await expect(one.store.writeItems(alice, setItems({ a: 2 }))).rejects.toThrow('simulated createWithAssociations failure');
        const { after } = await two.store.writeItems(alice, setItems({ b: 3 }));
        expect(after.set).toMatchObject({ majorRevision: 3, items: [{ key: 'a', value: 2, revision: 2 }, { key: 'b', value: 3, revision: 3 }] });
    });

    it('propagates a failing load without writing anything', async () => {
        const db = database({ server });
        const { store } = instance(db);
        db.failNext('readByAssociations', 'before');
        await expect(store.writeItems(alice, setItems({ a: 1 }))).rejects.toThrow('simulated readByAssociations failure');
        expect(db.records).toEqual([]);
    });
});
