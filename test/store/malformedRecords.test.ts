import { describe, expect, it } from 'vitest';
import { claimsOf, legacyItemsRecord, stateOpRecord, subscriptionRecord } from '../../src/store/records';
import { alice, database, instance, setItems } from './helpers';

/* Records written by an older version, or damaged, must never crash a read. */

describe('reading malformed records', () => {
    it('skips unreadable items and fills safe defaults for the rest', async () => {
        const db = database();
        db.insertRaw(legacyItemsRecord(alice), {
            kind: 'items',
            majorRevision: 4,
            items: [
                null,
                'text',
                { json: '1' },
                { key: 'bad json', json: '{' },
                { key: 'a.__proto__.b', json: '1' },
                { key: '', json: '1' },
                { key: 'nulls', json: 'null' },
                { key: 'ok', json: '{"x":1}', revision: 3, updatedAt: '2024-01-01T00:00:00.000Z', updatedBy: 'u1', visibility: 'public' },
                { key: 'ok', json: '2' },
                { key: 'legacy', value: { y: [1] }, revision: 'two', visibility: 'secret' },
                { key: 'future', json: '1', revision: 99 },
            ],
        });
        const { store } = instance(db);
        expect((await store.load(alice)).set).toEqual({
            majorRevision: 4,
            items: [
                { key: 'ok', value: { x: 1 }, revision: 3, updatedAt: '2024-01-01T00:00:00.000Z', updatedBy: 'u1', visibility: 'public' },
                { key: 'legacy', value: { y: [1] }, revision: 4, updatedAt: new Date(0).toISOString(), updatedBy: '', visibility: 'private' },
                { key: 'future', value: 1, revision: 4, updatedAt: new Date(0).toISOString(), updatedBy: '', visibility: 'private' },
            ],
        });
    });

    it('reads an items record without a list or a revision as empty at the highest item revision', async () => {
        const db = database();
        db.insertRaw(legacyItemsRecord(alice), { kind: 'items', items: 'nope' });
        const { store } = instance(db);
        expect((await store.load(alice)).set).toEqual({ majorRevision: 0, items: [] });
        db.insertRaw(legacyItemsRecord({ namespace: 'user', id: 'b' }), { kind: 'items', items: [{ key: 'k', json: '1', revision: 7 }] });
        expect((await store.load({ namespace: 'user', id: 'b' })).set.majorRevision).toBe(7);
    });

    it('uses the newest of duplicate items records, and writes on top of it', async () => {
        const db = database();
        db.insertRaw(legacyItemsRecord(alice), { kind: 'items', majorRevision: 2, items: [{ key: 'old', json: '1', revision: 2 }], writeId: 'a' });
        db.insertRaw(legacyItemsRecord(alice), { kind: 'items', majorRevision: 3, items: [{ key: 'new', json: '1', revision: 3 }], writeId: 'b' });
        const { store } = instance(db);
        expect((await store.load(alice)).set.items.map((i) => i.key)).toEqual(['new']);
        await store.writeItems(alice, setItems({ more: 1 }));
        expect((await store.load(alice)).set).toMatchObject({ majorRevision: 4, items: [{ key: 'more' }, { key: 'new' }] });
    });

    it('takes the same one of two items records at one revision as the base, whatever order they are read in', async () => {
        // Two first writes of an older version raced: both records are at revision 1.
        const first = { kind: 'items', majorRevision: 1, items: [{ key: 'mine', json: '1', revision: 1 }], writeId: 'w-1' };
        const second = { kind: 'items', majorRevision: 1, items: [{ key: 'theirs', json: '2', revision: 1 }], writeId: 'w-2' };
        const loads = [];
        for (const order of [[first, second], [second, first]]) {
            const db = database();
            for (const data of order) db.insertRaw(legacyItemsRecord(alice), data);
            loads.push((await instance(db).store.load(alice)).set);
        }
        expect(loads[0]).toEqual(loads[1]);
        expect(loads[0].items.map((i) => i.key)).toEqual(['mine']); // the lower writeId
    });

    it('skips malformed state ops, log entries, claims and subscriptions', async () => {
        const db = database();
        db.insertRaw(stateOpRecord(alice, 'x'), { kind: 'state-op', op: { id: 'x', key: 'k', type: 'bogus', op: 'add', userId: 'u', at: 1 } });
        db.insertRaw(stateOpRecord(alice, 'y'), { kind: 'state-op', op: 'not an op' });
        db.insertRaw(stateOpRecord(alice, 'z'), { kind: 'state-op', op: { id: 'z', key: 'k', type: 'set', op: 'add', userId: 'u', at: 1, json: '"v"' } });
        db.insertRaw(stateOpRecord(alice, 'w'), { kind: 'unknown' });
        db.insertRaw([...claimsOf(alice)], { kind: 'claim', revision: 'x' });
        db.insertRaw(subscriptionRecord('bob', alice), { kind: 'subscription', subscriberId: 'bob', subject: { namespace: 'planet', id: 'x' }, roomId: 'r' });
        const { store } = instance(db);
        expect((await store.load(alice)).stateOps.map((o) => o.id)).toEqual(['z']);
        expect(await store.subscriptionsOf('bob')).toEqual([]);
        expect((await store.writeItems(alice, setItems({ a: 1 }))).after.set.majorRevision).toBe(1);
    });
});
