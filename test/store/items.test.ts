import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../src/core/errors';
import { alice, database, fieldNames, general, instance, removeAll, setItems } from './helpers';

describe.each(['A', 'B'] as const)('items on server %s', (server) => {
    it('loads an unwritten subject as revision 0 with no items and no state', async () => {
        const { store } = instance(database({ server }));
        expect(await store.load(alice)).toEqual({ set: { majorRevision: 0, items: [] }, stateOps: [], locks: [] });
    });

    it('loads what a write stored, and answers with the same snapshot', async () => {
        const { store } = instance(database({ server }));
        const { outcome, after } = await store.writeItems(alice, setItems({ 'contact.name': 'Grace', age: 85 }));
        expect(outcome.wrote).toBe(true);
        expect(after.set.majorRevision).toBe(1);
        const loaded = await store.load(alice);
        expect(loaded).toEqual(after);
        expect(loaded.set.items.map((i) => [i.key, i.value, i.revision])).toEqual([
            ['age', 85, 1],
            ['contact.name', 'Grace', 1],
        ]);
    });

    it('keeps every item field as written', async () => {
        const { store } = instance(database({ server }));
        const { after } = await store.writeItems(alice, setItems({ tags: ['a', { b: [1, true] }] }, 'u-9'));
        expect((await store.load(alice)).set.items[0]).toEqual({
            key: 'tags', value: ['a', { b: [1, true] }], revision: 1,
            updatedAt: new Date(0).toISOString(), updatedBy: 'u-9', visibility: 'private',
        });
        expect(after.set.items[0].updatedBy).toBe('u-9');
    });

    it('keeps the majorRevision after the whole set is removed', async () => {
        const { store } = instance(database({ server }));
        await store.writeItems(alice, setItems({ a: 1 }));
        await store.writeItems(alice, setItems({ b: 2 }));
        await store.writeItems(alice, removeAll());
        expect((await store.load(alice)).set).toEqual({ majorRevision: 3, items: [] });
        const { after } = await store.writeItems(alice, setItems({ c: 3 }));
        expect(after.set.majorRevision).toBe(4);
    });

    it('writes nothing when the change fails (e.g. a conflict)', async () => {
        const db = database({ server });
        const { store, idle } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        await idle();
        const before = JSON.stringify(db.records);
        const conflict = new MetadataError('revision_conflict', 'no');
        await expect(store.writeItems(alice, () => { throw conflict; })).rejects.toBe(conflict);
        expect(JSON.stringify(db.records)).toBe(before);
    });

    it('writes nothing and keeps the revision when the request changes nothing', async () => {
        const db = database({ server });
        const { store, idle } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        await idle();
        const before = JSON.stringify(db.records);
        const { outcome, after } = await store.writeItems(alice, setItems({ a: 1 }));
        expect(outcome.wrote).toBe(false);
        expect(after.set.majorRevision).toBe(1);
        expect(JSON.stringify(db.records)).toBe(before);
    });

    it('keeps subjects apart: a user and a room with the same id', async () => {
        const { store } = instance(database({ server }));
        await store.writeItems(alice, setItems({ who: 'user' }));
        await store.writeItems({ namespace: 'room', id: 'alice' }, setItems({ who: 'room' }));
        await store.writeItems(general, setItems({ who: 'general' }));
        expect((await store.load(alice)).set.items[0].value).toBe('user');
        expect((await store.load({ namespace: 'room', id: 'alice' })).set.items[0].value).toBe('room');
    });

    it('never stores a user-supplied key or value key as a field name', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await store.writeItems(alice, setItems({ 'profile.name': { $set: 1, 'a.b': 2, nested: { $where: 'x' } } }));
        const names = fieldNames(db.records.map((r) => r.data));
        for (const userKey of ['profile.name', 'profile', '$set', 'a.b', '$where', 'nested']) expect(names.has(userKey)).toBe(false);
        expect((await store.load(alice)).set.items[0].value).toEqual({ $set: 1, 'a.b': 2, nested: { $where: 'x' } });
    });

    it('stores a value holding an own __proto__ key without that key', async () => {
        const { store } = instance(database({ server }));
        const value = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}');
        await store.writeItems(alice, setItems({ v: value }));
        const loaded = (await store.load(alice)).set.items[0].value as Record<string, unknown>;
        expect(Object.prototype.hasOwnProperty.call(loaded, '__proto__')).toBe(false);
        expect(loaded).toEqual({ x: 1 });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a change that does not raise the revision, writing nothing', async () => {
        const db = database({ server });
        const { store } = instance(db);
        await expect(
            store.writeItems(alice, ({ set }) => ({ set: { majorRevision: set.majorRevision, items: [] }, changed: [], removed: [], wrote: true })),
        ).rejects.toThrow(/must produce a higher one, not 0/);
        expect(db.records).toEqual([]);
    });

    it('takes a change that raises the revision past the next one (an import restoring its revision)', async () => {
        const { store } = instance(database({ server }));
        await store.writeItems(alice, () => ({ set: { majorRevision: 57, items: [] }, changed: [], removed: [], wrote: true }));
        expect((await store.load(alice)).set.majorRevision).toBe(57);
        await store.writeItems(alice, ({ set }) => ({ set: { majorRevision: set.majorRevision + 1, items: [] }, changed: [], removed: [], wrote: true }));
        expect((await store.load(alice)).set.majorRevision).toBe(58);
    });
});
