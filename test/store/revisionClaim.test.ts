import { describe, expect, it } from 'vitest';
import { isMetadataError } from '../../src/core/errors';
import { ClaimData, encodeClaim } from '../../src/store/codec';
import { claimRecord } from '../../src/store/records';
import { judge, Stake } from '../../src/store/revisionClaim';
import { MemoryConnection } from '../support/memoryPersistence';
import { alice, database, instance, setItems } from './helpers';

const FRESH = 10_000;
const now = 1_000_000;
const stake: Stake = { subject: alice, revision: 5, nonce: 'mine', at: now };
const claim = (revision: number, nonce: string, at = now): ClaimData => ({ kind: 'claim', subject: alice, revision, nonce, at });

describe('judging a revision claim', () => {
    it('wins when its own claim is the only one on the revision', () => {
        expect(judge([claim(4, 'prev'), claim(5, 'mine')], stake, now, FRESH)).toEqual({ won: true, older: [4] });
    });

    it('loses to another fresh claim on the same revision, whichever was made first', () => {
        expect(judge([claim(5, 'mine'), claim(5, 'other', now + 50)], stake, now, FRESH).won).toBe(false);
        expect(judge([claim(5, 'other', now - FRESH + 1), claim(5, 'mine')], stake, now, FRESH).won).toBe(false);
    });

    it('ignores a stale claim on the same revision (a crashed instance)', () => {
        expect(judge([claim(5, 'crashed', now - FRESH), claim(5, 'mine')], stake, now, FRESH).won).toBe(true);
    });

    it('loses to any claim on a higher revision, however old: its own load is outdated', () => {
        expect(judge([claim(5, 'mine'), claim(7, 'later', now - 10 * FRESH)], stake, now, FRESH).won).toBe(false);
    });

    it('loses when its own claim is gone (swept by the winner of a higher revision)', () => {
        expect(judge([claim(4, 'prev')], stake, now, FRESH).won).toBe(false);
    });
});

async function crashedClaim(connection: MemoryConnection, revision: number, at: number, nonce = `crashed-${at}`): Promise<void> {
    await connection.persistence.createWithAssociations(encodeClaim(alice, revision, nonce, at), claimRecord(alice, revision, nonce));
}

describe.each(['A', 'B'] as const)('revision claims across instances on server %s', (server) => {
    it('a stale claim left by a crashed instance does not block writes', async () => {
        const db = database({ server });
        const { store, connection } = instance(db);
        await store.writeItems(alice, setItems({ a: 1 }));
        await crashedClaim(connection, 2, Date.now() - 11_000);
        connection.resetCalls();
        const { after } = await store.writeItems(alice, setItems({ a: 2 }));
        expect(after.set.majorRevision).toBe(2);
        expect(connection.calls.createWithAssociations).toBe(1); // won on the first attempt
    });

    it('a fresh claim of a crashed instance blocks its revision with revision_conflict, until it turns stale', async () => {
        const db = database({ server });
        let clock = 1_000_000;
        const { store, connection } = instance(db, { now: () => clock, maxAttempts: 3 });
        await store.writeItems(alice, setItems({ a: 1 }));
        await crashedClaim(connection, 2, clock);
        const error = await store.writeItems(alice, setItems({ a: 2 })).catch((e: unknown) => e);
        expect(isMetadataError(error) && error.toJSON()).toMatchObject({ code: 'revision_conflict', majorRevision: 1, items: [{ key: 'a', revision: 1 }] });
        expect((await store.load(alice)).set.majorRevision).toBe(1);
        clock += 10_000;
        expect((await store.writeItems(alice, setItems({ a: 2 }))).after.set.majorRevision).toBe(2);
    });

    it('a writer whose load is outdated loses to the claim of a later revision and retries on top', async () => {
        const db = database({ server });
        const one = instance(db);
        const two = instance(db);
        await one.store.writeItems(alice, setItems({ base: 0 }));
        let resume!: () => void;
        const paused = new Promise<void>((resolve) => (resume = resolve));
        let atClaim!: () => void;
        const aboutToClaim = new Promise<void>((resolve) => (atClaim = resolve));
        two.connection.latency = async (method) => {
            if (method !== 'createWithAssociations') return;
            two.connection.latency = undefined;
            atClaim();
            await paused;
        };
        const seen: number[] = [];
        const slow = two.store.writeItems(alice, (current) => {
            seen.push(current.set.majorRevision);
            return setItems({ slow: 1 })(current);
        });
        await aboutToClaim; // loaded revision 1, about to claim 2
        for (let i = 2; i <= 4; i++) await one.store.writeItems(alice, setItems({ [`fast${i}`]: i }));
        resume();
        const { after } = await slow;
        expect(seen).toEqual([1, 4]);
        expect(after.set.majorRevision).toBe(5);
        expect((await one.store.load(alice)).set.items.map((i) => i.key)).toEqual(['base', 'fast2', 'fast3', 'fast4', 'slow']);
    });

    it('a write attempt slower than half the freshness window is retried instead of written', async () => {
        const db = database({ server });
        let clock = 1_000_000;
        const { store, connection } = instance(db, { now: () => clock });
        await store.writeItems(alice, setItems({ a: 1 }));
        let stalls = 1;
        connection.latency = (method) => {
            if (method === 'createWithAssociations' && stalls-- > 0) clock += 6_000;
        };
        connection.resetCalls();
        const { after } = await store.writeItems(alice, setItems({ a: 2 }));
        expect(after.set.majorRevision).toBe(2);
        expect(connection.calls.createWithAssociations).toBe(2);
        expect(db.find('kind:claim').map((r) => r.data.revision)).toEqual([2]);
    });

    it('leaves only the latest claim after two instances raced', async () => {
        const db = database({ server });
        const one = instance(db, { maxAttempts: 30 });
        const two = instance(db, { maxAttempts: 30 });
        await Promise.all([one.store.writeItems(alice, setItems({ one: 1 })), two.store.writeItems(alice, setItems({ two: 2 }))]);
        expect(db.find('kind:claim').map((r) => r.data.revision)).toEqual([2]);
    });

    it('cleans up claims left by crashed writers on later writes, also when the server deletes one match per call', async () => {
        const db = database({ server });
        const { store, connection } = instance(db);
        await store.writeItems(alice, setItems({ k: 1 }));
        await crashedClaim(connection, 2, Date.now() - 60_000, 'x');
        await crashedClaim(connection, 2, Date.now() - 60_000, 'y');
        for (let i = 2; i <= 5; i++) await store.writeItems(alice, setItems({ k: i }));
        expect(db.find('kind:claim').map((r) => r.data.revision)).toEqual([5]);
    });
});
