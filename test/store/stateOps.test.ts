import { describe, expect, it } from 'vitest';
import { foldState } from '../../src/core/state';
import { StateOp } from '../../src/core/types';
import { stateOpRecord } from '../../src/store/records';
import { randomLatency, seededRandom } from '../support/memoryPersistence';
import { addToSet, alice, database, instance, setItems } from './helpers';

describe.each(['A', 'B'] as const)('state ops on server %s', (server) => {
    it('appends an op and answers with it in the snapshot a later load returns', async () => {
        const { store } = instance(database({ server }));
        const { op, after } = await store.appendStateOp(alice, addToSet('colors', 'red', 'u1'));
        expect(op).toMatchObject({ key: 'colors', type: 'set', op: 'add', userId: 'u1', value: 'red' });
        expect(after.stateOps).toEqual([op]);
        expect(await store.load(alice)).toEqual(after);
    });

    it('keeps every op appended concurrently from two instances', async () => {
        const db = database({ server, latency: randomLatency(2, seededRandom(3)) });
        const one = instance(db).store;
        const two = instance(db).store;
        await Promise.all(
            Array.from({ length: 10 }, (_, i) => [
                one.appendStateOp(alice, addToSet('tags', `one-${i}`, 'u1')),
                two.appendStateOp(alice, addToSet('tags', `two-${i}`, 'u2')),
            ]).flat(),
        );
        for (const store of [one, two]) {
            const values = (await store.load(alice)).stateOps.map((o) => o.value);
            expect(values).toHaveLength(20);
            expect(new Set(values).size).toBe(20);
        }
    });

    it('returns ops in the fold order: by time, then id', async () => {
        const { store } = instance(database({ server }));
        const at = (t: number, id: string) => (): StateOp => ({ id, key: 'k', type: 'lww', op: 'add', userId: 'u', at: t, value: id });
        await store.appendStateOp(alice, at(5, 'b'));
        await store.appendStateOp(alice, at(3, 'z'));
        await store.appendStateOp(alice, at(5, 'a'));
        expect((await store.load(alice)).stateOps.map((o) => o.id)).toEqual(['z', 'a', 'b']);
    });

    it('writes nothing when planning the op fails (e.g. a type mismatch)', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await expect(store.appendStateOp(alice, () => { throw new Error('type_mismatch'); })).rejects.toThrow('type_mismatch');
        expect(db.records).toEqual([]);
    });

    it('does not touch the items or their majorRevision', async () => {
        const { store } = instance(database({ server }));
        await store.writeItems(alice, setItems({ a: 1 }));
        const { after } = await store.appendStateOp(alice, addToSet('s', 1, 'u1'));
        expect(after.set.majorRevision).toBe(1);
        expect((await store.load(alice)).set).toEqual(after.set);
        expect((await store.writeItems(alice, setItems({ a: 2 }))).after.stateOps).toHaveLength(1);
    });

    it('keeps the observed ids of a set remove', async () => {
        const { store } = instance(database({ server }));
        const { op: add } = await store.appendStateOp(alice, addToSet('s', 'x', 'u1'));
        await store.appendStateOp(alice, () => ({ id: 'rm', key: 's', type: 'set', op: 'remove', userId: 'u1', at: add.at + 1, value: 'x', removes: [add.id] }));
        expect((await store.load(alice)).stateOps[1]).toMatchObject({ id: 'rm', removes: [add.id] });
    });

    it('refuses an op without an id, writing nothing', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await expect(store.appendStateOp(alice, () => ({ id: '', key: 'k', type: 'set', op: 'add', userId: 'u', at: 1, value: 1 }))).rejects.toThrow();
        expect(db.records).toEqual([]);
    });
});

describe('a duplicate op id resolves the same way on every instance', () => {
    // A damaged log: two different records carry the op id `x` (ids are random, so only damage or a hand-made
    // import does this). The database promises no order of records, so each order stands for another instance.
    const lww = (value: string): StateOp => ({ id: 'x', key: 'k', type: 'lww', op: 'add', userId: 'u', at: 5, value });
    const stored = (op: StateOp) => ({ kind: 'state-op', subject: alice, op: { ...op, value: undefined, json: JSON.stringify(op.value) } });

    async function loadWithRecordsIn(order: StateOp[]) {
        const db = database();
        for (const op of order) db.insertRaw(stateOpRecord(alice, op.id), stored(op));
        return (await instance(db).store.load(alice)).stateOps;
    }

    it('keeps the same one of two ops with one id, whatever order the records are read in', async () => {
        const [one, other] = [lww('one'), lww('other')];
        const readOneWay = await loadWithRecordsIn([one, other]);
        const readTheOther = await loadWithRecordsIn([other, one]);
        expect(readOneWay).toEqual(readTheOther);
        expect(readOneWay).toEqual([one]); // the lower canonical JSON, by the core's order (core/state/order.ts)
        expect(foldState(readOneWay)).toEqual(foldState(readTheOther));
    });

    it('counts an op stored twice (a retried append) once', async () => {
        expect(await loadWithRecordsIn([lww('same'), lww('same')])).toEqual([lww('same')]);
    });
});
