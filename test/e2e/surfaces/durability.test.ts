// SPEC §2 and §11 — data persists until removed: across host restarts (graceful and SIGKILL), app disable/enable and
// app updates, with revisions, visibility, state and subscriptions intact; uninstalling deletes it.
// (test/e2e/host.test.ts already shows one item surviving a restart, a crash and an update.) This file runs the
// persistence bridge in its older server flavour (updateByAssociations returning the id, removeByAssociations
// and the uninstall purge deleting every match); the other suites run the default (throwing after the write,
// deleting one match, purging one record: see purge.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, DEFAULT_ZIP, startHost, type Host } from '../../support/host';
import { eventOf, ID, itemOf, keysOf, mark, TEAM, waitForEvent, type ErrorBody, type MetadataView } from './helpers';

let host: Host;
const a = () => host.first;

async function view(who: 'alice' | 'bob' | 'carol' | 'admin', p: string): Promise<MetadataView> {
    const res = await a().api<MetadataView>(who, 'GET', p);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

let before: { alice: MetadataView; team: MetadataView; carolMajor: number };

beforeAll(async () => {
    host = await startHost({ persistence: { updateByAssociations: 'returns-id', removeByAssociations: 'all', purge: 'all' } });
    // what every test below expects to find again
    await a().api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'public_note', value: 'hello', visibility: 'public' }, { key: 'private_note', value: 'shh', visibility: 'private' }] });
    await a().api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'public_note', value: 'hello again' }] });
    await a().api('alice', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', type: 'set', op: 'add', value: 'pizza' });
    await a().api('carol', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', op: 'add', value: 'sushi' });
    await a().api('bob', 'POST', `metadata/room/${TEAM}/state`, { key: 'chair', type: 'lww', op: 'add', value: 'bob' });
    await a().api('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'durable', visibility: 'public' }] });
    await a().api('bob', 'POST', 'subscriptions', { subject: 'user:alice', roomId: TEAM });
    await a().api('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'gone', value: 1 }] });
    await a().api('carol', 'DELETE', 'metadata/user/me');
    before = { alice: await view('alice', 'metadata/user/me'), team: await view('carol', `metadata/room/${TEAM}`), carolMajor: 2 };
});

afterAll(async () => {
    await host?.stop();
});

/** Everything seeded in beforeAll reads back exactly as it was. */
async function expectAllThere(): Promise<void> {
    const alice = await view('alice', 'metadata/user/me');
    expect(alice.majorRevision).toBe(before.alice.majorRevision);
    expect(alice.items).toEqual(before.alice.items);
    const team = await view('carol', `metadata/room/${TEAM}`);
    expect(team.state).toEqual(before.team.state);
    expect(itemOf(team, 'topic')?.value).toBe('durable');
    const publicKeys = before.alice.items.filter((i) => i.visibility === 'public').map((i) => i.key).sort();
    expect(publicKeys).toContain('public_note');
    expect(keysOf(await view('bob', 'metadata/user/alice'))).toEqual(publicKeys);
    expect((await view('carol', 'metadata/user/me')).majorRevision).toBe(before.carolMajor);
}

describe('a graceful restart', () => {
    beforeAll(async () => {
        await host.restart();
    });

    it('keeps items with their values, revisions, authors and visibility', async () => {
        await expectAllThere();
        expect(itemOf(before.alice, 'public_note')?.revision).toBe(2);
        expect(itemOf(before.alice, 'private_note')?.revision).toBe(1);
    });

    it('keeps private items private', async () => {
        const bob = await view('bob', 'metadata/user/alice');
        expect(JSON.stringify(bob)).not.toContain('shh');
    });

    it('keeps collaborative state: every user\'s set entries and registers', async () => {
        const state = (await view('carol', `metadata/room/${TEAM}`)).state;
        expect(state.votes.byUser).toEqual({ [ID.alice]: ['pizza'], [ID.carol]: ['sushi'] });
        expect(state.chair.byUser).toEqual({ [ID.bob]: 'bob' });
    });

    it('continues majorRevision where it was, and compare-and-set checks the revisions from before', async () => {
        const stale = await a().api<ErrorBody>('alice', 'PUT', 'metadata/user/me', { majorRevision: 0, items: [{ key: 'x', value: 1 }] });
        expect(stale.status).toBe(409);
        expect(stale.body.error.majorRevision).toBe(before.alice.majorRevision);
        const ok = await a().api<MetadataView>('alice', 'PUT', 'metadata/user/me', { majorRevision: before.alice.majorRevision, items: [{ key: 'public_note', value: 'after restart', revision: 2 }] });
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        expect(ok.body.majorRevision).toBe(before.alice.majorRevision + 1);
        before.alice = ok.body;
    });

    it('keeps majorRevision of a set that was removed entirely (it never goes back)', async () => {
        const carol = await a().api<MetadataView>('carol', 'PUT', 'metadata/user/me', { items: [{ key: 'back', value: 1 }] });
        expect(carol.body.majorRevision).toBe(3);
        const removed = await a().api<MetadataView>('carol', 'DELETE', 'metadata/user/me');
        expect(removed.body.majorRevision).toBe(4);
        before.carolMajor = 4;
    });

    it('keeps subscriptions: the subscriber gets events for writes after the restart', async () => {
        const list = await a().api<{ subscriptions: Array<{ subject: { id: string }; roomId: string }> }>('bob', 'GET', 'subscriptions');
        expect(list.body.subscriptions).toEqual([expect.objectContaining({ subject: expect.objectContaining({ id: ID.alice }), roomId: TEAM })]);
        const since = await mark(a(), 'bob');
        const write = await a().api<MetadataView>('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'public_note', value: 'post-restart event' }] });
        before.alice = write.body;
        const n = await waitForEvent(a(), 'bob', since, (e) => e.type === 'UPDATE' && e.document.public_note === 'post-restart event');
        expect(eventOf(n)?.majorRevision).toBe(write.body.majorRevision);
    });
});

describe('a crash (SIGKILL of every process)', () => {
    it('loses no acknowledged item write or state operation made just before it', async () => {
        const write = await a().api<MetadataView>('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'last_words', value: 'acknowledged', visibility: 'public' }] });
        expect(write.status).toBe(200);
        const op = await a().api('bob', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', op: 'add', value: 'tacos' });
        expect(op.status).toBe(200);
        await host.restart({ hard: true });
        const alice = await view('alice', 'metadata/user/me');
        expect(itemOf(alice, 'last_words')?.value).toBe('acknowledged');
        expect(alice.majorRevision).toBe(write.body.majorRevision);
        expect((await view('carol', `metadata/room/${TEAM}`)).state.votes.byUser[ID.bob]).toEqual(['tacos']);
        before = { ...before, alice, team: await view('carol', `metadata/room/${TEAM}`) };
    });

    it('leaves item writes to the subject possible right after', async () => {
        const res = await a().api<MetadataView>('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'after_crash', value: true }] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.majorRevision).toBe(before.alice.majorRevision + 1);
        before.alice = res.body;
    });
});

describe('app disable and enable', () => {
    it('keeps the data', async () => {
        expect((await a().rest('admin', 'POST', `/api/apps/${APP_ID}/status`, { status: 'manually_disabled' })).status).toBe(200);
        expect((await a().api('alice', 'GET', 'metadata/user/me')).status).toBe(404);
        expect((await a().rest('admin', 'POST', `/api/apps/${APP_ID}/status`, { status: 'manually_enabled' })).status).toBe(200);
        await a().waitForApp((app) => app?.enabled === true);
        await expectAllThere();
    });
});

describe('an app update', () => {
    it('keeps items, state and subscriptions', async () => {
        await host.updateApp({ version: '0.1.1-e2e' });
        await expectAllThere();
        const since = await mark(a(), 'bob');
        await a().api('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'public_note', value: 'after update' }] });
        await waitForEvent(a(), 'bob', since, (e) => e.document.public_note === 'after update');
    });
});

describe('uninstalling', () => {
    it('deletes the app\'s data: installed again, everything starts from scratch', async () => {
        expect((await a().rest('admin', 'DELETE', `/api/apps/${APP_ID}`)).status).toBe(200);
        const form = new FormData();
        form.append('app', new Blob([fs.readFileSync(DEFAULT_ZIP)]), path.basename(DEFAULT_ZIP));
        const install = await a().rest('admin', 'POST', '/api/apps', form);
        expect(install.status, JSON.stringify(install.body)).toBe(200);
        await a().waitForApp((app) => app?.enabled === true);
        expect(await view('alice', 'metadata/user/me')).toMatchObject({ majorRevision: 0, items: [], state: {} });
        expect((await view('carol', `metadata/room/${TEAM}`)).state).toEqual({});
        expect((await a().api<{ subscriptions: unknown[] }>('bob', 'GET', 'subscriptions')).body.subscriptions).toEqual([]);
    });
});
