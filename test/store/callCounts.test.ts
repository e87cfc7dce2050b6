import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { describe, expect, it } from 'vitest';
import { MetadataStore } from '../../src/store/MetadataStore';
import { SubjectLocks } from '../../src/core/subjectLocks';
import { planAcquire } from '../../src/core/locks';
import { MemoryConnection } from '../support/memoryPersistence';
import { addToSet, alice, database, setItems } from './helpers';

/*
 * What one operation costs in persistence calls (each a round trip to the server and MongoDB), and how
 * many of them a caller waits for one after the other. A regression that adds calls or puts one more on
 * the critical path fails here; the README quotes these numbers.
 */

interface Cost {
    /** calls per method */
    calls: Record<string, number>;
    /** the longest chain of calls each of which started after the previous one answered */
    sequential: number;
}

/** Wraps accessors so that every call records its method and its depth in the chain of calls. */
function measured(connection: MemoryConnection) {
    let calls: Record<string, number> = {};
    let finished: number[] = [];
    let sequential = 0;
    const wrap = <T extends object>(target: T): T =>
        new Proxy(target, {
            get(object, method: string) {
                const original = (object as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
                return async (...args: unknown[]) => {
                    calls[method] = (calls[method] ?? 0) + 1;
                    const depth = 1 + Math.max(0, ...finished);
                    try {
                        return await original.apply(object, args);
                    } finally {
                        finished.push(depth);
                        sequential = Math.max(sequential, depth);
                    }
                };
            },
        });
    const reset = (): void => {
        calls = {};
        finished = [];
        sequential = 0;
    };
    return { read: wrap(connection.read) as IPersistenceRead, persistence: wrap(connection.persistence) as IPersistence, reset, cost: (): Cost => ({ calls, sequential }) };
}

async function cost(
    server: 'A' | 'B',
    prepare: (s: MetadataStore) => Promise<unknown>,
    run: (s: MetadataStore, startCounting: () => void) => Promise<unknown>,
): Promise<{ answer: Cost; afterwards: Cost }> {
    const db = database({ server });
    const meter = measured(db.connect());
    // Background work waits until the answer is measured, then runs.
    const background: (() => Promise<void>)[] = [];
    const runBackground = () => Promise.all(background.splice(0).map((task) => task()));
    const store = new MetadataStore(meter.read, meter.persistence, { locks: new SubjectLocks(), background: (task) => void background.push(task) });
    await prepare(store);
    await runBackground();
    meter.reset();
    await run(store, meter.reset);
    const answer = meter.cost();
    meter.reset();
    await runBackground();
    return { answer, afterwards: meter.cost() };
}

const none = async (): Promise<void> => undefined;
const subscription = { subscriberId: 'bob', subject: alice, roomId: 'r1', createdAt: '2024-01-01T00:00:00.000Z' };
const write = (value: number) => (s: MetadataStore) => s.writeItems(alice, setItems({ a: value }));

describe.each(['A', 'B'] as const)('persistence calls per operation on server %s', (server) => {
    it('a load is one read', async () => {
        expect((await cost(server, none, (s) => s.load(alice))).answer).toEqual({ calls: { readByAssociations: 1 }, sequential: 1 });
    });

    it('a write is six calls in a row: load, prepare, read, accept, read, commit beside its history entry', async () => {
        const { answer } = await cost(server, write(1), write(2));
        expect(answer).toEqual({ calls: { readByAssociations: 3, createWithAssociations: 4 }, sequential: 6 });
    });

    it('a write whose caller loaded beforehand waits for five calls in a row', async () => {
        const { answer } = await cost(server, write(1), async (s, startCounting) => {
            const loaded = s.load(alice);
            await loaded;
            startCounting();
            return s.writeItems(alice, setItems({ a: 2 }), { loaded });
        });
        // prepare, read, accept, read, commit ∥ history
        expect(answer).toEqual({ calls: { readByAssociations: 2, createWithAssociations: 4 }, sequential: 5 });
    });

    it("a subject's first write costs the same six calls", async () => {
        expect((await cost(server, none, write(1))).answer).toEqual({ calls: { readByAssociations: 3, createWithAssociations: 4 }, sequential: 6 });
    });

    it("clean-up after a write's answer removes the previous revision's prepare and accept, once its history entry is sure", async () => {
        const { afterwards } = await cost(server, write(1), write(2));
        expect(afterwards).toEqual({ calls: { readByAssociations: 1, removeByAssociations: 2 }, sequential: 3 });
    });

    it('a lock change is six calls in a row and writes no history: load, prepare, read, accept, read, commit', async () => {
        const acquire = (s: MetadataStore) => s.changeLocks(alice, ({ locks = [] }) => planAcquire(locks, { name: 'seat', userId: 'u1', ttl: 10, nowMs: Date.now(), holdId: 'h1' }));
        const { answer } = await cost(server, write(1), acquire);
        expect(answer).toEqual({ calls: { readByAssociations: 3, createWithAssociations: 3 }, sequential: 6 });
    });

    it('a lock change the rules refuse costs one read', async () => {
        const held = (s: MetadataStore) => s.changeLocks(alice, ({ locks = [] }) => planAcquire(locks, { name: 'seat', userId: 'u1', ttl: 60, nowMs: Date.now(), holdId: 'h1' }));
        const taken = (s: MetadataStore) => s.changeLocks(alice, ({ locks = [] }) => planAcquire(locks, { name: 'seat', userId: 'u2', ttl: 60, nowMs: Date.now(), holdId: 'h2' })).catch(() => undefined);
        expect((await cost(server, held, taken)).answer).toEqual({ calls: { readByAssociations: 1 }, sequential: 1 });
    });

    it('a write that changes nothing costs one read', async () => {
        const { answer, afterwards } = await cost(server, write(1), write(1));
        expect(answer).toEqual({ calls: { readByAssociations: 1 }, sequential: 1 });
        expect(afterwards.calls).toEqual({});
    });

    it('a state op on a key that has ops costs 2 calls in a row: load, append', async () => {
        const first = (s: MetadataStore) => s.appendStateOp(alice, addToSet('k', 1, 'u'));
        expect((await cost(server, first, (s) => s.appendStateOp(alice, addToSet('k', 2, 'v')))).answer).toEqual({
            calls: { readByAssociations: 1, createWithAssociations: 1 },
            sequential: 2,
        });
    });

    it("a key's first op, which fixes its type, is decided first: load, prepare, read, accept, read, append", async () => {
        const { answer, afterwards } = await cost(server, none, (s) => s.appendStateOp(alice, addToSet('k', 1, 'u')));
        expect(answer).toEqual({ calls: { readByAssociations: 3, createWithAssociations: 3 }, sequential: 6 });
        // its prepare and accept go after the answer, and the subject's entry in the subject index (its first record),
        // which then looks once at what the subject holds (a purge may have come between: store/MetadataStore.ts index)
        expect(afterwards).toEqual({ calls: { removeByAssociations: 2, createWithAssociations: 1, readByAssociations: 3 }, sequential: 2 });
    });

    it(`subscribing costs 1 call, subscribing again ${server === 'A' ? 1 : 2}`, async () => {
        expect((await cost(server, none, (s) => s.putSubscription(subscription))).answer.calls).toEqual({ updateByAssociations: 1 });
        expect((await cost(server, (s) => s.putSubscription(subscription), (s) => s.putSubscription({ ...subscription, roomId: 'r2' }))).answer.calls).toEqual(
            server === 'A' ? { updateByAssociations: 1 } : { updateByAssociations: 1, readByAssociations: 1 },
        );
    });

    it('unsubscribing and listing cost one call each', async () => {
        const subscribed = (s: MetadataStore) => s.putSubscription(subscription);
        expect((await cost(server, subscribed, (s) => s.removeSubscription('bob', alice))).answer.calls).toEqual({ removeByAssociations: 1 });
        expect((await cost(server, subscribed, (s) => s.subscriptionsOf('bob'))).answer.calls).toEqual({ readByAssociations: 1 });
        expect((await cost(server, subscribed, (s) => s.subscribersOf(alice))).answer.calls).toEqual({ readByAssociations: 1 });
    });
});
