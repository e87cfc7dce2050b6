import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/limits';
import { foldState, planStateOp } from '../../src/core/state';
import { StateOp, StateRequest } from '../../src/core/types';
import { MetadataStore, StoreOptions } from '../../src/store/MetadataStore';
import { MemoryDatabase, seededRandom } from '../support/memoryPersistence';
import { alice, database, instance, racing, setItems } from './helpers';

/*
 * Garbage collection in the store: appends shed superseded ops of a long log, a bounded batch at a
 * time, after the op is stored. The clock is the tests' own, so ops can be made old at will.
 */

const GRACE = 1_000;

class Clock {
    ms = 1_000_000;
    readonly now = (): number => this.ms;
    pass(ms: number): void {
        this.ms += ms;
    }
}

let ids = 0;

/** What the service does: plan the request on the store's fresh load, with the instance's clock. */
function request(store: MetadataStore, clock: Clock, userId: string, ask: StateRequest): Promise<{ op: StateOp }> {
    return store.appendStateOp(alice, (current) =>
        planStateOp(current.stateOps, ask, { userId, now: clock.now(), newId: () => `op${String(++ids).padStart(6, '0')}`, limits: DEFAULT_LIMITS }),
    );
}

function setUp(server: 'A' | 'B', options: Partial<StoreOptions> = {}, db: MemoryDatabase = database({ server })) {
    const clock = new Clock();
    const made = instance(db, { now: clock.now, gcThreshold: 8, gcBatch: 4, gcGraceMs: GRACE, ...options });
    return { db, clock, ...made };
}

/** Alice changes her lunch choice `times` times (lww): every choice but the latest is garbage. */
async function changeLunch(store: MetadataStore, clock: Clock, times: number, log: StateOp[]): Promise<void> {
    for (let i = 0; i < times; i++) log.push((await request(store, clock, 'alice', { key: 'lunch', type: 'lww', op: 'add', value: `dish-${i}` })).op);
}

function stateRecords(db: MemoryDatabase): number {
    return db.find('kind:state-op').length;
}

describe.each(['A', 'B'] as const)('collecting superseded state ops on server %s', (server) => {
    it("shrinks the log of a busy key while everyone keeps seeing Alice's latest lunch choice", async () => {
        const { db, clock, store } = setUp(server);
        const log: StateOp[] = [];
        await changeLunch(store, clock, 30, log);
        expect(stateRecords(db)).toBe(30);
        clock.pass(2 * GRACE);
        await changeLunch(store, clock, 6, log);
        // 6 appends × up to 4 deletions, of the 28 old superseded choices (the first fixes the type).
        expect(stateRecords(db)).toBe(36 - 24);
        expect(foldState((await store.load(alice)).stateOps)).toEqual(foldState(log));
        expect(foldState(log).lunch.byUser).toEqual({ alice: 'dish-5' });
    });

    it('answers each append with exactly what a later load returns', async () => {
        const { clock, store } = setUp(server);
        await changeLunch(store, clock, 12, []);
        clock.pass(2 * GRACE);
        const { after } = await store.appendStateOp(alice, (current) =>
            planStateOp(current.stateOps, { key: 'lunch', op: 'add', value: 'soup' }, { userId: 'alice', now: clock.now(), newId: () => 'last', limits: DEFAULT_LIMITS }),
        );
        expect(await store.load(alice)).toEqual(after);
    });

    it('leaves recent ops alone: another server may still be sending ops that they decide', async () => {
        const { db, clock, store } = setUp(server);
        await changeLunch(store, clock, 20, []);
        clock.pass(GRACE);
        await changeLunch(store, clock, 1, []);
        expect(stateRecords(db)).toBe(21);
    });

    it('never touches the items or other keys people still hold', async () => {
        const { db, clock, store } = setUp(server);
        await store.writeItems(alice, setItems({ color: 'blue' }));
        await request(store, clock, 'bob', { key: 'tags', op: 'add', value: 'x' });
        await request(store, clock, 'bob', { key: 'tags', op: 'add', value: 'y' });
        await changeLunch(store, clock, 20, []);
        const before = await store.load(alice);
        clock.pass(2 * GRACE);
        for (let i = 0; i < 10; i++) await request(store, clock, 'bob', { key: 'tags', op: 'add', value: 'y' });
        const after = await store.load(alice);
        expect(after.set).toEqual(before.set);
        expect(foldState(after.stateOps).tags.byUser).toEqual({ bob: ['x', 'y'] });
        expect(foldState(after.stateOps).lunch).toEqual(foldState(before.stateOps).lunch);
        expect(db.find('kind:accept')).toHaveLength(1);
    });

    it('forgets tags Bob added and removed again, without ever showing them again', async () => {
        const { db, clock, store } = setUp(server);
        const log: StateOp[] = [];
        const act = async (ask: StateRequest) => log.push((await request(store, clock, 'bob', ask)).op);
        await act({ key: 'tags', op: 'add', value: 'keep' });
        for (let i = 0; i < 10; i++) {
            await act({ key: 'tags', op: 'add', value: `t${i}` });
            await act({ key: 'tags', op: 'remove', value: `t${i}` });
        }
        clock.pass(2 * GRACE);
        for (let i = 0; i < 6; i++) {
            await act({ key: 'tags', op: 'add', value: 'keep' });
            // After every batch, however it was cut, Bob's set is exactly what he asked for.
            expect(foldState((await store.load(alice)).stateOps)).toEqual(foldState(log));
        }
        expect(stateRecords(db)).toBe(log.length - 20);
    });

    it('ignores a failed deletion, stops that batch, and a later append catches up', async () => {
        const errors: unknown[] = [];
        const { db, clock, store, connection } = setUp(server, { onGcError: (error) => errors.push(error) });
        await changeLunch(store, clock, 12, []);
        clock.pass(2 * GRACE);
        db.failNext('removeByAssociations', 'before');
        connection.resetCalls();
        const { op } = await request(store, clock, 'alice', { key: 'lunch', op: 'add', value: 'soup' });
        expect(op.value).toBe('soup');
        expect(errors).toHaveLength(1);
        // One failed call, then nothing more: deleting later ones out of order could be unsafe.
        expect(connection.calls.removeByAssociations).toBe(1);
        expect(stateRecords(db)).toBe(13);
        await changeLunch(store, clock, 1, []);
        expect(stateRecords(db)).toBe(14 - 4);
    });

    it('does not let a throwing error logger fail the append', async () => {
        const { db, clock, store } = setUp(server, { onGcError: () => { throw new Error('logger down'); } });
        await changeLunch(store, clock, 12, []);
        clock.pass(2 * GRACE);
        db.failNext('removeByAssociations', 'after');
        await expect(request(store, clock, 'alice', { key: 'lunch', op: 'add', value: 'soup' })).resolves.toBeDefined();
    });

    it('costs the usual 2 calls per op below the threshold, even with plenty of garbage', async () => {
        const { clock, store, connection } = setUp(server, { gcThreshold: 64 });
        await changeLunch(store, clock, 64, []);
        clock.pass(2 * GRACE);
        connection.resetCalls();
        await changeLunch(store, clock, 1, []);
        expect(connection.calls).toEqual({ readByAssociations: 1, createWithAssociations: 1 });
    });

    it('costs the usual 2 calls above the threshold when nothing is superseded', async () => {
        const { clock, store, connection } = setUp(server);
        for (let i = 0; i < 12; i++) await request(store, clock, `user${i}`, { key: 'lunch', type: 'lww', op: 'add', value: i });
        clock.pass(2 * GRACE);
        connection.resetCalls();
        await request(store, clock, 'user12', { key: 'lunch', op: 'add', value: 12 });
        expect(connection.calls).toEqual({ readByAssociations: 1, createWithAssociations: 1 });
    });

    it('costs one removeByAssociations per collected op above the threshold, at most a batch', async () => {
        const { clock, store, connection } = setUp(server);
        await changeLunch(store, clock, 30, []);
        clock.pass(2 * GRACE);
        connection.resetCalls();
        await changeLunch(store, clock, 1, []);
        expect(connection.calls).toEqual({ readByAssociations: 1, createWithAssociations: 1, removeByAssociations: 4 });
    });

    it('deletes both copies of an op that was stored twice (a retried append)', async () => {
        const { db, clock, store } = setUp(server);
        await changeLunch(store, clock, 12, []);
        const [, duplicated] = db.find('kind:state-op');
        db.insertRaw(
            duplicated.associations.map((a) => ({ model: a.model, id: a.id }) as never),
            duplicated.data,
        );
        clock.pass(2 * GRACE);
        await changeLunch(store, clock, 6, []);
        expect(db.find(duplicated.associations[3].id)).toHaveLength(0);
    });
});

describe.each(['A', 'B'] as const)('two servers collecting at once on server %s', (server) => {
    it('keeps every user’s state while both append and collect concurrently', async () => {
        for (const seed of [1, 2, 3, 4, 5]) {
            const db = database({ server });
            const clock = new Clock();
            const options = { now: clock.now, gcThreshold: 8, gcBatch: 4, gcGraceMs: GRACE };
            const one = instance(db, options).store;
            const two = instance(db, options).store;
            const log: StateOp[] = [];
            const random = seededRandom(seed);
            const round = async (count: number) => {
                const asks = Array.from({ length: count }, (_, i) => {
                    const store = i % 2 === 0 ? one : two;
                    const user = ['alice', 'bob', 'carol'][Math.floor(random() * 3)];
                    const value = ['x', 'y', 'z'][Math.floor(random() * 3)];
                    const ask: StateRequest = random() < 0.5
                        ? { key: 'status', type: 'lwwn', op: random() < 0.7 ? 'add' : 'remove', value }
                        : { key: 'tags', op: random() < 0.6 ? 'add' : 'remove', value };
                    return request(store, clock, user, ask).then(({ op }) => log.push(op), (error: Error) => {
                        // Removing what you do not hold is refused, as it should be; nothing else may fail.
                        if (!/nothing to remove/.test(error.message)) throw error;
                    });
                });
                await Promise.all(asks);
                expect(foldState((await two.load(alice)).stateOps)).toEqual(foldState(log));
            };
            db.setLatency(racing(2, seed));
            await round(40);
            clock.pass(2 * GRACE);
            db.setLatency(racing(2, seed + 100));
            await round(40);
            clock.pass(2 * GRACE);
            await round(20);
            const stored = (await one.load(alice)).stateOps;
            expect(foldState(stored)).toEqual(foldState(log));
            expect(stored.length).toBeLessThan(log.length);
            expect(await two.load(alice)).toEqual(await one.load(alice));
        }
    });
});
