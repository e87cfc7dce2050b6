import { describe, expect, it } from 'vitest';
import { isMetadataError } from '../../src/core/errors';
import { WriteOutcome } from '../../src/core/types';
import { SubjectSnapshot } from '../../src/core/types';
import { randomLatency, seededRandom } from '../support/memoryPersistence';
import { alice, database, expecting, instance, racing, setItems } from './helpers';

/** setItems that also records which revision each attempt started from */
function tracked(values: Record<string, number>, seen: number[]): (c: SubjectSnapshot) => WriteOutcome {
    const mutate = setItems(values);
    return (current) => {
        seen.push(current.set.majorRevision);
        return mutate(current);
    };
}

describe.each(['A', 'B'] as const)('concurrent item writes on server %s', (server) => {
    it('applies many concurrent writes on one instance in some serial order, revisions 1..N, none lost', async () => {
        const db = database({ server, latency: randomLatency(2, seededRandom(7)) });
        const { store } = instance(db);
        const n = 25;
        const results = await Promise.all(Array.from({ length: n }, (_, i) => store.writeItems(alice, setItems({ [`k${i}`]: i }))));
        expect(results.map((r) => r.after.set.majorRevision).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        const loaded = await store.load(alice);
        expect(loaded.set.majorRevision).toBe(n);
        for (const [i, result] of results.entries()) {
            expect(loaded.set.items.find((item) => item.key === `k${i}`)?.revision).toBe(result.after.set.majorRevision);
        }
    });

    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        it(`two instances writing at the same revision both land: one as M+1, the other retried as M+2 (seed ${seed})`, async () => {
            const db = database({ server });
            const one = instance(db, { random: seededRandom(seed), maxAttempts: 30 });
            const two = instance(db, { random: seededRandom(seed + 100), maxAttempts: 30 });
            await one.store.writeItems(alice, setItems({ base: 0 }));
            db.setLatency(racing(2, seed));
            const seenOne: number[] = [];
            const seenTwo: number[] = [];
            const [a, b] = await Promise.all([
                one.store.writeItems(alice, tracked({ one: 1 }, seenOne)),
                two.store.writeItems(alice, tracked({ two: 2 }, seenTwo)),
            ]);
            expect(seenOne[0]).toBe(1);
            expect(seenTwo[0]).toBe(1);
            expect([a.after.set.majorRevision, b.after.set.majorRevision].sort()).toEqual([2, 3]);
            const second = a.after.set.majorRevision === 3 ? seenOne : seenTwo;
            expect(second[second.length - 1]).toBe(2);
            const loaded = await one.store.load(alice);
            expect(loaded.set.majorRevision).toBe(3);
            expect(loaded.set.items.map((i) => i.key)).toEqual(['base', 'one', 'two']);
        });
    }

    for (const seed of [11, 12, 13, 14]) {
        it(`with CAS, of two instances writing at the same revision the loser gets revision_conflict (seed ${seed})`, async () => {
            const db = database({ server });
            const one = instance(db, { random: seededRandom(seed), maxAttempts: 30 });
            const two = instance(db, { random: seededRandom(seed + 100), maxAttempts: 30 });
            await one.store.writeItems(alice, setItems({ base: 0 }));
            db.setLatency(racing(2, seed));
            const results = await Promise.allSettled([
                one.store.writeItems(alice, expecting(1, setItems({ one: 1 }))),
                two.store.writeItems(alice, expecting(1, setItems({ two: 2 }))),
            ]);
            const won = results.filter((r) => r.status === 'fulfilled');
            const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
            expect(won).toHaveLength(1);
            expect(lost).toHaveLength(1);
            expect(isMetadataError(lost[0].reason) && lost[0].reason.code).toBe('revision_conflict');
            expect(isMetadataError(lost[0].reason) && lost[0].reason.details.majorRevision).toBe(2);
            expect((await one.store.load(alice)).set.majorRevision).toBe(2);
        });
    }

    it('three instances writing concurrently lose no acknowledged write: revisions 1..N, every key present', async () => {
        const db = database({ server, latency: randomLatency(3, seededRandom(42)) });
        const stores = [1, 2, 3].map((i) => instance(db, { random: seededRandom(i), maxAttempts: 60 }).store);
        const perInstance = 6;
        const results = await Promise.all(
            stores.flatMap((store, s) => Array.from({ length: perInstance }, (_, i) => store.writeItems(alice, setItems({ [`s${s}.k${i}`]: i })))),
        );
        const n = stores.length * perInstance;
        expect(results.map((r) => r.after.set.majorRevision).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        const loaded = await stores[0].load(alice);
        expect(loaded.set.majorRevision).toBe(n);
        expect(loaded.set.items).toHaveLength(n);
    });

    it('keeps only what reads need after a run of writes: the newest revision, and commit markers of the recent ones', async () => {
        const db = database({ server });
        const { store, idle } = instance(db);
        for (let i = 0; i < 12; i++) {
            await store.writeItems(alice, setItems({ k: i }));
            await idle();
        }
        expect(db.find('kind:prepare').map((r) => r.data.revision)).toEqual([12]);
        expect(db.find('kind:accept').map((r) => r.data.revision)).toEqual([12]);
        expect(db.find('kind:commit').map((r) => r.data.revision)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    });
});
