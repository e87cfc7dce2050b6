// SPEC §11 and the README's cluster claims — two host instances (each its own Apps-Engine and Deno runtime) over one
// store, like two Rocket.Chat instances over one database: what one instance writes, the other reads; concurrent
// writes from both are never lost; state converges; events, mirror and status messages follow a write wherever it
// was made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance, type HttpResult } from '../../support/host';
import { botMessages, eventOf, ID, itemOf, keysOf, mark, replyText, TEAM, userCustomFields, waitForBotMessages, waitForEvent, type ErrorBody, type MetadataView } from './helpers';

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

async function view(instance: HostInstance, who: 'alice' | 'bob' | 'carol' | 'admin', path: string): Promise<MetadataView> {
    const res = await instance.api<MetadataView>(who, 'GET', path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

/** A write retried on the retryable 503 the README allows under contention; never on anything else. */
async function putWithRetry(instance: HostInstance, who: 'alice' | 'bob' | 'carol' | 'admin', path: string, body: unknown): Promise<HttpResult<MetadataView>> {
    for (let attempt = 0; ; attempt++) {
        const res = await instance.api<MetadataView>(who, 'PUT', path, body);
        if (res.status !== 503 || attempt >= 20) return res;
        expect((res.body as unknown as ErrorBody).error.code).toBe('try_again');
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    }
}

describe('two instances over one store', () => {
    it('serve from different processes', async () => {
        const [h1, h2] = await Promise.all([one.rest(null, 'GET', '/api/v1/host.info'), two.rest(null, 'GET', '/api/v1/host.info')]);
        expect(h1.headers.get('x-host-instance')).not.toBe(h2.headers.get('x-host-instance'));
    });

    it('a /meta write on instance 1 is read by /meta and HTTP on instance 2', async () => {
        expect(replyText((await one.command('alice', 'team', 'set here agenda=launch --public')).replies)).toContain('✓ Saved on #team');
        expect(itemOf(await view(two, 'carol', `metadata/room/${TEAM}`), 'agenda')?.value).toBe('launch');
        expect(replyText((await two.command('carol', 'team', 'get here agenda')).replies)).toMatch(/^agenda\s+\| launch/m);
    });

    it('a revision learned on one instance is the one compare-and-set checks on the other', async () => {
        const written = await one.api<MetadataView>('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'stage', value: 'draft' }] });
        const revision = itemOf(written.body, 'stage')!.revision;
        const stale = await two.api<ErrorBody>('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'stage', value: 'x', revision: revision + 1 }] });
        expect(stale.status).toBe(409);
        expect(stale.body.error.items).toEqual([{ key: 'stage', revision }]);
        const ok = await two.api<MetadataView>('alice', 'PUT', 'metadata/user/me', { majorRevision: written.body.majorRevision, items: [{ key: 'stage', value: 'final', revision }] });
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        expect(itemOf(await view(one, 'alice', 'metadata/user/me'), 'stage')?.value).toBe('final');
    });

    it('concurrent item writes to one subject from both instances all land, with distinct revisions and no gaps', async () => {
        const path = 'metadata/user/carol';
        const start = (await view(one, 'carol', path)).majorRevision;
        const perInstance = 8;
        const writes = [
            ...Array.from({ length: perInstance }, (_, i) => ({ instance: one, who: 'carol' as const, key: `one_${i}` })),
            ...Array.from({ length: perInstance }, (_, i) => ({ instance: two, who: 'admin' as const, key: `two_${i}` })),
        ];
        const results = await Promise.all(writes.map((w) => putWithRetry(w.instance, w.who, path, { items: [{ key: w.key, value: w.key }] })));
        for (const [index, res] of results.entries()) expect(res.status, `${writes[index].key}: ${JSON.stringify(res.body)}`).toBe(200);

        // each acknowledged write got its own revision
        const revisions = results.map((res, index) => itemOf(res.body, writes[index].key)!.revision);
        expect(new Set(revisions).size).toBe(writes.length);
        expect(revisions.slice().sort((x, y) => x - y)).toEqual(Array.from({ length: writes.length }, (_, i) => start + 1 + i));

        // and both instances read every one of them, at that revision
        for (const instance of [one, two]) {
            const final = await view(instance, 'carol', path);
            expect(final.majorRevision).toBe(start + writes.length);
            for (const [index, w] of writes.entries()) expect(itemOf(final, w.key)).toMatchObject({ value: w.key, revision: revisions[index] });
        }
    });

    it('concurrent writes to one room from two writers on two instances all land', async () => {
        const path = `metadata/room/${TEAM}`;
        const start = (await view(one, 'alice', path)).majorRevision;
        const results = await Promise.all([
            ...Array.from({ length: 5 }, (_, i) => putWithRetry(one, 'alice', path, { items: [{ key: `alice_${i}`, value: i }] })),
            ...Array.from({ length: 5 }, (_, i) => putWithRetry(two, 'bob', path, { items: [{ key: `bob_${i}`, value: i }] })),
        ]);
        expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
        const final = await view(two, 'carol', path);
        expect(final.majorRevision).toBe(start + 10);
        expect(keysOf(final).filter((k) => /^(alice|bob)_\d$/.test(k))).toHaveLength(10);
    });

    it('concurrent state adds to one set from both instances all survive, and both instances read the same view', async () => {
        const path = `metadata/room/${TEAM}/state`;
        expect((await one.api('alice', 'POST', path, { key: 'menu', type: 'set', op: 'add', value: 'seed' })).status).toBe(200);
        const adds: Array<[HostInstance, 'alice' | 'bob' | 'carol', string]> = [];
        for (const who of ['alice', 'bob', 'carol'] as const) {
            for (let i = 0; i < 4; i++) adds.push([i % 2 === 0 ? one : two, who, `${who}-dish-${i}`]);
        }
        const results = await Promise.all(adds.map(([instance, who, value]) => instance.api(who, 'POST', path, { key: 'menu', op: 'add', value })));
        expect(results.map((r) => r.status)).toEqual(Array(adds.length).fill(200));

        const [v1, v2] = await Promise.all([view(one, 'carol', `metadata/room/${TEAM}`), view(two, 'carol', `metadata/room/${TEAM}`)]);
        expect(v1.state.menu).toEqual(v2.state.menu);
        const byUser = v1.state.menu.byUser as Record<string, string[]>;
        expect(byUser[ID.alice].slice().sort()).toEqual(['alice-dish-0', 'alice-dish-1', 'alice-dish-2', 'alice-dish-3', 'seed']);
        expect(byUser[ID.bob].slice().sort()).toEqual(['bob-dish-0', 'bob-dish-1', 'bob-dish-2', 'bob-dish-3']);
        expect(byUser[ID.carol].slice().sort()).toEqual(['carol-dish-0', 'carol-dish-1', 'carol-dish-2', 'carol-dish-3']);
    });

    it('concurrent register writes from both instances converge on one winner that both instances read', async () => {
        const path = 'metadata/user/alice/state';
        await one.api('bob', 'POST', path, { key: 'rating', type: 'lww', op: 'add', value: 0 });
        const values = Array.from({ length: 6 }, (_, i) => i + 1);
        const results = await Promise.all(values.map((value) => (value % 2 ? one : two).api('bob', 'POST', path, { key: 'rating', op: 'add', value })));
        expect(results.map((r) => r.status)).toEqual(Array(values.length).fill(200));
        const [v1, v2] = await Promise.all([view(one, 'alice', 'metadata/user/alice'), view(two, 'alice', 'metadata/user/alice')]);
        expect(v1.state.rating).toEqual(v2.state.rating);
        expect(values).toContain(v1.state.rating.byUser[ID.bob]);
    });
});

describe('first writer wins across instances (SPEC §5)', () => {
    it('of one user\'s racing first adds on two instances, exactly one is acknowledged, and it is the value both read', async () => {
        for (let round = 0; round < 25; round++) {
            const key = `seat${round}`;
            const adds = await Promise.all([one, two].map((instance, i) =>
                instance.api<MetadataView>('alice', 'POST', `metadata/room/${TEAM}/state`, { key, type: 'fww', op: 'add', value: `from-${i}` })));
            const acked = adds.flatMap((res, i) => (res.status === 200 ? [`from-${i}`] : []));
            expect(acked, JSON.stringify(adds.map((res) => [res.status, res.body]))).toHaveLength(1);
            for (const res of adds.filter((r) => r.status !== 200)) {
                expect(res.status).toBe(400);
                expect((res.body as unknown as ErrorBody).error.code).toBe('operation_not_allowed');
            }
            for (const instance of [one, two]) {
                expect((await view(instance, 'alice', `metadata/room/${TEAM}`)).state[key].byUser[ID.alice]).toBe(acked[0]);
            }
        }
    });
});

describe('effects of a write reach across instances', () => {
    it('a subscriber who subscribed on instance 2 gets the UPDATE for a write made on instance 1', async () => {
        const since = await mark(two, 'bob');
        await two.command('bob', 'team', 'subscribe @carol');
        await waitForEvent(two, 'bob', since, (e) => e.type === 'SNAPSHOT' && e.subject.id === ID.carol);
        const write = await one.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'whereabouts', value: 'office', visibility: 'public' }], cause: 'badge-in' });
        expect(write.status).toBe(200);
        const n = await waitForEvent(two, 'bob', since, (e) => e.type === 'UPDATE' && e.changed.includes('whereabouts'));
        expect(n.roomId).toBe(TEAM);
        expect(eventOf(n)).toMatchObject({ actor: { username: 'carol' }, cause: 'badge-in', document: expect.objectContaining({ whereabouts: 'office' }) });
    });

    it('the customFields mirror written by instance 2 is what instance 1 shows', async () => {
        await two.api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'whereabouts', value: 'home' }] });
        expect(((await userCustomFields(one, 'carol'))?.metadata as Record<string, unknown>).whereabouts).toBe('home');
    });

    it('a room write on instance 2 posts its status message, seen from instance 1', async () => {
        const count = (await botMessages(one, TEAM)).length;
        expect((await two.api('bob', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'agenda', value: 'from two' }] })).status).toBe(200);
        const fresh = await waitForBotMessages(one, TEAM, count);
        expect(fresh.map((m) => m.msg)).toEqual(['bob changed metadata: `agenda` = `from two`']);
    });

    it('subscriptions made on one instance are listed on the other', async () => {
        const list = await one.api<{ subscriptions: Array<{ subject: { id: string }; roomId: string }> }>('bob', 'GET', 'subscriptions');
        expect(list.body.subscriptions).toEqual([expect.objectContaining({ subject: expect.objectContaining({ id: ID.carol }), roomId: TEAM })]);
    });
});
