import { describe, expect, it } from 'vitest';
import { CallCounts } from '../support/memoryPersistence';
import { addToSet, alice, database, instance, setItems } from './helpers';

/*
 * What one operation costs in persistence calls (each a round trip to the server and MongoDB).
 * A regression that adds calls fails here; the README quotes these numbers.
 */

async function cost(server: 'A' | 'B', prepare: (s: ReturnType<typeof instance>['store']) => Promise<unknown>, run: (s: ReturnType<typeof instance>['store']) => Promise<unknown>): Promise<CallCounts> {
    const { store, connection } = instance(database({ server }));
    await prepare(store);
    connection.resetCalls();
    await run(store);
    return { ...connection.calls };
}

const none = async (): Promise<void> => undefined;
const subscription = { subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: '2024-01-01T00:00:00.000Z' };

describe.each(['A', 'B'] as const)('persistence calls per operation on server %s', (server) => {
    it('a load is one read', async () => {
        expect(await cost(server, none, (s) => s.load(alice))).toEqual({ readByAssociations: 1 });
    });

    it("a subject's first write costs 4 calls", async () => {
        expect(await cost(server, none, (s) => s.writeItems(alice, setItems({ a: 1 })))).toEqual({
            readByAssociations: 2, createWithAssociations: 1, updateByAssociations: 1,
        });
    });

    it(`a later write costs ${server === 'A' ? 5 : 6} calls`, async () => {
        expect(await cost(server, (s) => s.writeItems(alice, setItems({ a: 1 })), (s) => s.writeItems(alice, setItems({ a: 2 })))).toEqual({
            // B: the update's answer throws after writing, and one read confirms the write
            readByAssociations: server === 'A' ? 2 : 3, createWithAssociations: 1, updateByAssociations: 1, removeByAssociations: 1,
        });
    });

    it('a write that changes nothing costs one read', async () => {
        expect(await cost(server, (s) => s.writeItems(alice, setItems({ a: 1 })), (s) => s.writeItems(alice, setItems({ a: 1 })))).toEqual({
            readByAssociations: 1,
        });
    });

    it('a state op costs 2 calls', async () => {
        expect(await cost(server, none, (s) => s.appendStateOp(alice, addToSet('k', 1, 'u')))).toEqual({
            readByAssociations: 1, createWithAssociations: 1,
        });
    });

    it(`subscribing costs 1 call, subscribing again ${server === 'A' ? 1 : 2}`, async () => {
        expect(await cost(server, none, (s) => s.putSubscription(subscription))).toEqual({ updateByAssociations: 1 });
        expect(await cost(server, (s) => s.putSubscription(subscription), (s) => s.putSubscription({ ...subscription, roomId: 'r2' }))).toEqual(
            server === 'A' ? { updateByAssociations: 1 } : { updateByAssociations: 1, readByAssociations: 1 },
        );
    });

    it('unsubscribing and listing cost one call each', async () => {
        const subscribed = (s: ReturnType<typeof instance>['store']) => s.putSubscription(subscription);
        expect(await cost(server, subscribed, (s) => s.removeSubscription('bob', alice))).toEqual({ removeByAssociations: 1 });
        expect(await cost(server, subscribed, (s) => s.subscriptionsOf('bob'))).toEqual({ readByAssociations: 1 });
        expect(await cost(server, subscribed, (s) => s.subscribersOf(alice))).toEqual({ readByAssociations: 1 });
    });
});
