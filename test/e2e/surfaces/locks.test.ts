// SPEC §16 — named locks with a time to live, against the packaged app in the real engine, on two host instances
// over one store: a race has exactly one winner round after round, a held lock refuses others' writes that name
// it (423, nothing written), locks expire by themselves (with a LOCK event from the scheduler), and an acquire
// may wait for a held lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import { ID, itemOf, mark, TEAM, waitForEvent, type ErrorBody, type MetadataEvent, type MetadataView } from './helpers';

let host: Host;
let one: HostInstance;
let two: HostInstance;

beforeAll(async () => {
    host = await startHost({ instances: 2 });
    [one, two] = host.instances;
});

afterAll(async () => {
    await host?.stop();
});

interface LockView {
    name: string;
    holder: { id: string; username: string };
    acquiredAt: string;
    expiresAt: string;
}
interface LockChange {
    change: string;
    lock: LockView;
}
interface LockEvent {
    type: 'LOCK';
    change: string;
    lock: LockView;
    actor?: { id: string; username: string };
}

const LOCKS = `metadata/room/${TEAM}/locks`;
const asLock = (e: MetadataEvent) => e as unknown as LockEvent;

describe('locks on two instances (SPEC §16)', () => {
    it('a race for one lock has exactly one holder, round after round', async () => {
        for (let round = 0; round < 8; round++) {
            const name = `seat${round}`;
            const [a, b] = await Promise.all([
                one.api<LockChange & ErrorBody>('alice', 'POST', LOCKS, { name, ttl: 60 }),
                two.api<LockChange & ErrorBody>('bob', 'POST', LOCKS, { name, ttl: 60 }),
            ]);
            const statuses = [a.status, b.status].sort();
            expect(statuses, JSON.stringify([a.body, b.body])).toEqual([200, 423]);
            const winner = a.status === 200 ? a.body : b.body;
            const loser = a.status === 200 ? b.body : a.body;
            expect(winner.change).toBe('acquired');
            expect(loser.error.holder).toBe(winner.lock.holder.id);
            const listed = await two.api<{ locks: LockView[] }>('carol', 'GET', LOCKS);
            expect(listed.body.locks.filter((l) => l.name === name).map((l) => l.holder.id)).toEqual([winner.lock.holder.id]);
        }
    });

    it('a write naming a lock is taken from its holder only: others get 423 with the holder, and nothing is written', async () => {
        expect((await one.api('alice', 'POST', LOCKS, { name: 'desk', ttl: 60 })).status).toBe(200);
        const refused = await two.api<ErrorBody>('bob', 'PUT', `metadata/room/${TEAM}`, { lock: 'desk', items: [{ key: 'desk.owner', value: 'bob' }] });
        expect([refused.status, refused.body.error.code, refused.body.error.holder]).toEqual([423, 'locked', ID.alice]);
        const taken = await two.api<MetadataView>('alice', 'PUT', `metadata/room/${TEAM}`, { lock: 'desk', items: [{ key: 'desk.owner', value: 'alice' }] });
        expect(taken.status, JSON.stringify(taken.body)).toBe(200);
        const read = await one.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}`);
        expect(itemOf(read.body, 'desk.owner')?.value).toBe('alice');
        // Released, the lock guards nothing for anyone: a write naming it is refused.
        const released = await one.api<LockChange>('alice', 'DELETE', `${LOCKS}/desk`);
        expect([released.status, released.body.change]).toEqual([200, 'released']);
        const after = await two.api<ErrorBody>('alice', 'PUT', `metadata/room/${TEAM}`, { lock: 'desk', items: [{ key: 'desk.owner', value: 'late' }] });
        expect([after.status, after.body.error.code]).toEqual([423, 'locked']);
        expect(itemOf((await one.api<MetadataView>('carol', 'GET', `metadata/room/${TEAM}`)).body, 'desk.owner')?.value).toBe('alice');
    });

    it('acquiring one\'s own lock again renews it; lock changes leave the majorRevision alone', async () => {
        const before = (await one.api<MetadataView>('alice', 'GET', `metadata/room/${TEAM}`)).body.majorRevision;
        const first = await one.api<LockChange>('alice', 'POST', LOCKS, { name: 'pen', ttl: 10 });
        const again = await two.api<LockChange>('alice', 'POST', LOCKS, { name: 'pen', ttl: 300 });
        expect([first.body.change, again.body.change]).toEqual(['acquired', 'renewed']);
        expect(Date.parse(again.body.lock.expiresAt) - Date.parse(first.body.lock.expiresAt)).toBeGreaterThan(250_000);
        expect(again.body.lock.acquiredAt).toBe(first.body.lock.acquiredAt);
        await one.api('alice', 'DELETE', `${LOCKS}/pen`);
        expect((await two.api<MetadataView>('alice', 'GET', `metadata/room/${TEAM}`)).body.majorRevision).toBe(before);
    });

    it('whoever may write the room revokes another\'s lock; a member who may not write can neither lock nor revoke', async () => {
        await one.api('alice', 'POST', LOCKS, { name: 'mic', ttl: 60 });
        expect((await two.api<ErrorBody>('carol', 'POST', LOCKS, { name: 'other' })).status).toBe(403);
        const denied = await two.api<ErrorBody>('carol', 'DELETE', `${LOCKS}/mic`);
        expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden']);
        const revoked = await two.api<LockChange>('bob', 'DELETE', `${LOCKS}/mic`);
        expect([revoked.status, revoked.body.change, revoked.body.lock?.holder.id], JSON.stringify(revoked.body)).toEqual([200, 'revoked', ID.alice]);
        const gone = await one.api<ErrorBody>('bob', 'DELETE', `${LOCKS}/mic`);
        expect([gone.status, gone.body.error.code]).toEqual([404, 'lock_not_found']);
    });

    it('an acquire that may wait gets the lock once its holder lets go', async () => {
        await one.api('alice', 'POST', LOCKS, { name: 'queue', ttl: 60 });
        const started = Date.now();
        const waiting = two.api<LockChange>('bob', 'POST', LOCKS, { name: 'queue', ttl: 10, wait: 20 });
        await new Promise((r) => setTimeout(r, 1500));
        await one.api('alice', 'DELETE', `${LOCKS}/queue`);
        const got = await waiting;
        expect([got.status, got.body.change, got.body.lock.holder.id]).toEqual([200, 'acquired', ID.bob]);
        expect(Date.now() - started).toBeGreaterThan(1400);
        await two.api('bob', 'DELETE', `${LOCKS}/queue`);
    });

    it('a lock nobody renews expires after its ttl: others may take it, and subscribers get LOCK events from the scheduler', async () => {
        expect((await one.api('carol', 'POST', 'subscriptions', { subject: `room:${TEAM}` })).status).toBe(200);
        const since = await mark(two, 'carol');
        const taken = await one.api<LockChange>('alice', 'POST', LOCKS, { name: 'lease', ttl: 10 });
        expect(taken.status).toBe(200);
        await waitForEvent(two, 'carol', since, (e) => asLock(e).type === 'LOCK' && asLock(e).change === 'acquired' && asLock(e).lock.name === 'lease');
        expect((await two.api<ErrorBody>('bob', 'POST', LOCKS, { name: 'lease' })).status).toBe(423);
        const expired = await waitForEvent(two, 'carol', since, (e) => asLock(e).type === 'LOCK' && asLock(e).change === 'expired' && asLock(e).lock.name === 'lease', 25_000);
        expect(expired.message.msg).toMatch(/lease/);
        const locks = await two.api<{ locks: LockView[] }>('carol', 'GET', LOCKS);
        expect(locks.body.locks.map((l) => l.name)).not.toContain('lease');
        const next = await two.api<LockChange>('bob', 'POST', LOCKS, { name: 'lease' });
        expect([next.status, next.body.change]).toEqual([200, 'acquired']);
    }, 40_000);

    it('bad requests are clear 400s', async () => {
        for (const body of [{}, { name: 'a..b' }, { name: 'x', ttl: 5 }, { name: 'x', ttl: 301 }, { name: 'x', wait: 31 }, { name: 'x', extra: 1 }]) {
            const res = await one.api<ErrorBody>('alice', 'POST', LOCKS, body);
            expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, expect.stringMatching(/invalid_request|invalid_key/)]);
        }
        expect((await one.api<ErrorBody>('alice', 'PUT', `metadata/room/${TEAM}`, { lock: 7, items: [{ key: 'a', value: 1 }] })).status).toBe(400);
    });
});
