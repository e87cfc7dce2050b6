// SPEC §18 — data follows its rooms and users, against the packaged app in the real engine. The host's REST fires
// what Rocket.Chat fires: channels/groups.kick and .leave → IPostRoomUserLeave, rooms.delete → IPostRoomDeleted
// (fire-and-forget), users.delete by an admin → IPostUserDeleted (the engine calls executePostUserDeleted). A
// disabled app gets none of them: what it missed is purged when touched, and POST admin/reconcile sweeps the rest.
// The suites run in order on one host: each deletes seeded rooms and users the next ones no longer use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SEED_ROOMS, startHost, type Host, type HostInstance, type UserName } from '../../support/host';
import { ID, SECRET, TEAM, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

const DM_ALICE_BOB = SEED_ROOMS.dmAliceBob.id;
const DM_ALICE_CAROL = SEED_ROOMS.dmAliceCarol.id;

beforeAll(async () => {
    host = await startHost();
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

async function ok<T = MetadataView>(who: UserName, method: string, path: string, body?: unknown): Promise<T> {
    const res = await a.api<T>(who, method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
}

async function subscribedTo(who: UserName): Promise<string[]> {
    const { subscriptions } = await ok<{ subscriptions: Array<{ subject: { namespace: string; id: string }; roomId: string }> }>(who, 'GET', 'subscriptions');
    return subscriptions.map((s) => `${s.subject.namespace}:${s.subject.id}@${s.roomId}`).sort();
}

/** Every app record that names the subject (its data, history, index entry, and subscriptions to it). */
const recordsOf = (subject: string) => a.persistenceRecords(`:${subject}"`);

/**
 * A subscription indexes its subscriber a moment after the answer (in the background); a user deleted within that
 * moment would get their index entry back, for the next sweep to purge. The tests let it settle first.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/** Everything a subject can hold: items (with history), a state op, and a subscriber. */
async function fill(subject: string, writer: UserName, subscriber: UserName): Promise<void> {
    const [ns, id] = subject.split(':');
    await ok(writer, 'PUT', `metadata/${ns}/${id}`, { items: [{ key: 'topic', value: 'q3', visibility: 'public' }, { key: 'note', value: 'x' }] });
    await ok(writer, 'PUT', `metadata/${ns}/${id}`, { items: [{ key: 'topic', value: 'q4', visibility: 'public' }] });
    await ok(writer, 'POST', `metadata/${ns}/${id}/state`, { key: 'votes', type: 'set', op: 'add', value: 'pizza' });
    await ok(subscriber, 'POST', 'subscriptions', { subject });
    await expect.poll(async () => (await recordsOf(subject)).map((r) => r.data.kind), { timeout: 5000 }).toEqual(expect.arrayContaining(['commit', 'history', 'state-op', 'subscription', 'index']));
}

describe('leaving a room', () => {
    it('a member removed from a private room loses the subscription to it and those delivered in it', async () => {
        await ok('carol', 'POST', 'subscriptions', { subject: `room:${SECRET}` });
        await ok('carol', 'POST', 'subscriptions', { subject: 'user:bob', roomId: SECRET });
        await ok('carol', 'POST', 'subscriptions', { subject: `room:${TEAM}` });
        expect(await subscribedTo('carol')).toHaveLength(3);
        const kick = await a.kick('alice', 'secret', ID.carol);
        expect(kick.status, JSON.stringify(kick.body)).toBe(200);
        // removeUserFromRoom awaits the event: the subscriptions are gone when the kick answers
        const left = await subscribedTo('carol');
        expect(left.filter((s) => s.includes(SECRET))).toEqual([]);
        expect(left).toHaveLength(1);
        expect(left[0]).toMatch(new RegExp(`^room:${TEAM}@`));
        expect(await a.persistenceRecords(`subscriber:${ID.carol}`)).toHaveLength(1);
    });

    it('a member who leaves a public channel keeps the subscription to it (anyone may read it), not those delivered in it', async () => {
        await ok('bob', 'POST', 'subscriptions', { subject: `room:${TEAM}` });
        await ok('bob', 'POST', 'subscriptions', { subject: 'user:alice', roomId: TEAM });
        const leave = await a.leave('bob', 'team');
        expect(leave.status, JSON.stringify(leave.body)).toBe(200);
        const left = await subscribedTo('bob');
        expect(left.some((s) => s.startsWith('user:'))).toBe(false);
        expect(left.filter((s) => s.startsWith(`room:${TEAM}@`))).toHaveLength(1);
    });
});

describe('deleting a room', () => {
    it('purges its metadata, state, history, index entry and the subscriptions to it; its id answers 404', async () => {
        await fill(`room:${SECRET}`, 'alice', 'alice');
        const del = await a.deleteRoom('alice', 'secret');
        expect(del.status, JSON.stringify(del.body)).toBe(200);
        // IPostRoomDeleted is fire-and-forget: the purge lands shortly after the answer
        await expect.poll(() => recordsOf(`room:${SECRET}`), { timeout: 10_000 }).toEqual([]);
        expect((await subscribedTo('alice')).filter((s) => s.includes(SECRET))).toEqual([]);
        expect((await a.api('alice', 'GET', `metadata/room/${SECRET}`)).status).toBe(404);
    });
});

describe('deleting a user', () => {
    it('purges their metadata, state, history, the subscriptions to them and their own', async () => {
        await fill(`user:${ID.carol}`, 'carol', 'alice');
        await ok('carol', 'POST', 'subscriptions', { subject: 'user:alice' });
        // the server removes a deleted user's direct rooms without a room event: the sweep below finds this one
        await ok('alice', 'PUT', `metadata/room/${DM_ALICE_CAROL}`, { items: [{ key: 'lunch', value: 'friday' }] });
        await settle();
        const del = await a.deleteUser('admin', ID.carol);
        expect(del.status, JSON.stringify(del.body)).toBe(200);
        expect(await recordsOf(`user:${ID.carol}`)).toEqual([]);
        expect(await a.persistenceRecords(`subscriber:${ID.carol}`)).toEqual([]);
        expect((await subscribedTo('alice')).filter((s) => s.includes(ID.carol))).toEqual([]);
        expect((await a.api('alice', 'GET', `metadata/user/${ID.carol}`)).status).toBe(404);
        expect((await recordsOf(`room:${DM_ALICE_CAROL}`)).length).toBeGreaterThan(0);
    });
});

describe('events missed while the app was disabled', () => {
    it('a subject whose room is gone is purged when next touched', async () => {
        await fill(`room:${TEAM}`, 'alice', 'alice');
        await a.setAppEnabled(false);
        expect((await a.deleteRoom('alice', 'team')).status).toBe(200);
        await a.setAppEnabled(true);
        // nothing heard: everything is still there
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await recordsOf(`room:${TEAM}`)).length).toBeGreaterThan(0);
        // anyone naming it touches it
        expect((await a.api('alice', 'GET', `metadata/room/${TEAM}`)).status).toBe(404);
        await expect.poll(() => recordsOf(`room:${TEAM}`), { timeout: 10_000 }).toEqual([]);
    });

    it('POST admin/reconcile sweeps the rest in bounded batches, resuming from its cursor; admins only', async () => {
        await fill(`user:${ID.bob}`, 'bob', 'alice');
        await ok('bob', 'POST', 'subscriptions', { subject: 'user:alice' });
        await ok('alice', 'PUT', `metadata/room/${DM_ALICE_BOB}`, { items: [{ key: 'shared', value: 1 }] });
        await ok('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'stays', value: true }] });
        await settle();
        await a.setAppEnabled(false);
        expect((await a.deleteUser('admin', ID.bob)).status).toBe(200);
        await a.setAppEnabled(true);
        expect((await recordsOf(`user:${ID.bob}`)).length).toBeGreaterThan(0);

        expect((await a.api('alice', 'POST', 'admin/reconcile', {})).status).toBe(403);
        expect((await a.api('admin', 'POST', 'admin/reconcile', { cursor: 'not-a-cursor' })).status).toBe(400);
        const purged: string[] = [];
        let cursor: string | undefined;
        let batches = 0;
        do {
            const batch = await ok<{ checked: number; purged: Array<{ subject: string; complete: boolean }>; undecided: string[]; next: string | null }>(
                'admin', 'POST', 'admin/reconcile', { limit: 2, ...(cursor ? { cursor } : {}) });
            expect(batch.checked).toBeLessThanOrEqual(2);
            expect(batch.undecided).toEqual([]);
            purged.push(...batch.purged.map((p) => p.subject));
            cursor = batch.next ?? undefined;
            batches += 1;
        } while (cursor && batches < 200);
        expect(cursor).toBeUndefined();
        expect(purged.sort()).toEqual([`room:${DM_ALICE_BOB}`, `room:${DM_ALICE_CAROL}`, `user:${ID.bob}`].sort());
        for (const subject of purged) expect(await recordsOf(subject)).toEqual([]);
        expect(await a.persistenceRecords(`subscriber:${ID.bob}`)).toEqual([]);
        expect((await ok('alice', 'GET', 'metadata/user/me')).items.map((i) => i.key)).toContain('stays');
        // a second sweep finds nothing more to purge
        const again = await ok<{ purged: unknown[]; next: string | null }>('admin', 'POST', 'admin/reconcile', { limit: 200 });
        expect(again.purged).toEqual([]);
    });
});
