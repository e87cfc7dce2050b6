import { describe, expect, it } from 'vitest';
import { HistoryRetention } from '../../src/core/history';
import { alice, database, instance, removeAll, setItems } from './helpers';

const KEEP_ALL: HistoryRetention = { revisions: 1000, days: 36500 };

describe.each(['A', 'B'] as const)('history of a subject on server %s', (server) => {
    it('keeps one entry per revision: what it wrote, what it removed, who and when', async () => {
        const db = database({ server });
        const { store, idle } = instance(db);
        await store.writeItems(alice, setItems({ a: 1, b: 2 }), { actor: 'u1', at: '2024-01-01T00:00:00.000Z' });
        await store.writeItems(alice, removeAll(), { actor: 'u2', at: '2024-01-02T00:00:00.000Z' });
        await idle();
        const page = await store.history(alice, 0, 100, KEEP_ALL);
        expect(page).toEqual({
            majorRevision: 2,
            entries: [
                { revision: 1, actor: 'u1', at: '2024-01-01T00:00:00.000Z', changed: [{ key: 'a', value: 1, visibility: 'private' }, { key: 'b', value: 2, visibility: 'private' }], removed: [], hidden: [] },
                { revision: 2, actor: 'u2', at: '2024-01-02T00:00:00.000Z', changed: [], removed: [{ key: 'a', visibility: 'private' }, { key: 'b', visibility: 'private' }], hidden: [] },
            ],
        });
    });

    it('answers the changes after a revision, at most `limit` of them, across pages of 100', async () => {
        const { store, idle } = instance(database({ server }));
        for (let i = 1; i <= 105; i++) await store.writeItems(alice, setItems({ k: i }));
        await idle();
        const page = await store.history(alice, 97, 5, KEEP_ALL);
        expect(page.entries.map((e) => [e.revision, e.changed[0].value])).toEqual([[98, 98], [99, 99], [100, 100], [101, 101], [102, 102]]);
        expect((await store.history(alice, 105, 5, KEEP_ALL)).entries).toEqual([]);
    });

    it('says which revision is the oldest kept when asked for less than the count rule keeps', async () => {
        const { store, idle } = instance(database({ server }));
        for (let i = 1; i <= 12; i++) await store.writeItems(alice, setItems({ k: i }));
        await idle();
        const retention = { revisions: 5, days: 36500 };
        expect(await store.history(alice, 3, 100, retention)).toEqual({ majorRevision: 12, entries: [], oldestKept: 8 });
        expect((await store.history(alice, 7, 100, retention)).entries.map((e) => e.revision)).toEqual([8, 9, 10, 11, 12]);
    });

    it('leaves out entries older than the days it keeps', async () => {
        let now = Date.parse('2024-03-01T00:00:00.000Z');
        const { store, idle } = instance(database({ server }), { now: () => now });
        await store.writeItems(alice, setItems({ k: 1 }), { at: '2024-01-01T00:00:00.000Z' });
        await store.writeItems(alice, setItems({ k: 2 }), { at: '2024-02-28T00:00:00.000Z' });
        await idle();
        const retention = { revisions: 1000, days: 30 };
        expect(await store.history(alice, 0, 100, retention)).toEqual({ majorRevision: 2, entries: [], oldestKept: 2 });
        now = Date.parse('2024-05-01T00:00:00.000Z');
        expect(await store.history(alice, 1, 100, retention)).toEqual({ majorRevision: 2, entries: [], oldestKept: 3 });
    });

    it('compacts a page once it falls out of the count rule', async () => {
        const db = database({ server });
        const { store, idle } = instance(db);
        for (let i = 1; i <= 300; i++) {
            await store.writeItems(alice, setItems({ k: i }), { retention: { revisions: 100, days: 36500 } });
            await idle();
        }
        const kept = db.find('kind:history').map((r) => Number(r.data.revision));
        expect(Math.min(...kept)).toBeGreaterThanOrEqual(100);
        expect(kept).toHaveLength(new Set(kept).size);
    });

    it("still has a revision's entry when its writer stopped between its commit and its history entry", async () => {
        const db = database({ server });
        const { store, idle } = instance(db);
        await store.writeItems(alice, setItems({ k: 1 }));
        await store.writeItems(alice, setItems({ k: 2 }));
        await idle();
        // as if the history entry of revision 2 never landed
        for (const record of db.find('kind:history', 'revision:2')) db.records.splice(db.records.indexOf(record), 1);
        expect(db.find('kind:history', 'revision:2')).toEqual([]);
        // the newest revision: told from its accept
        expect((await store.history(alice, 1, 100, KEEP_ALL)).entries.map((e) => [e.revision, e.changed[0].value])).toEqual([[2, 2]]);
        // once a newer revision is committed, clean-up writes it down before it removes that accept
        await store.writeItems(alice, setItems({ k: 3 }));
        await idle();
        expect(db.find('kind:history', 'revision:2')).toHaveLength(1);
        expect((await store.history(alice, 0, 100, KEEP_ALL)).entries.map((e) => e.revision)).toEqual([1, 2, 3]);
    });
});
