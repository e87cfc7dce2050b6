import { describe, expect, it } from 'vitest';

import { StateOp, SubjectRef } from '../../src/core/types';
import { AdminService, createAdminService } from '../../src/service/admin';
import { Caller } from '../../src/service/types';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { INDEX_SHARDS } from '../../src/store/records';
import { database, instance, setItems } from '../store/helpers';

/*
 * SPEC §18, administration, through the admin service over the real store (in-memory persistence): admins export
 * every subject page by page, import the export back (idempotent, never lowering a majorRevision, a report per
 * subject, nothing written when a line is bad), and list the subjects that hold metadata.
 */

const admin: Caller = { id: 'u-admin', username: 'admin', roles: ['admin'] };
const alice: Caller = { id: 'u-alice', username: 'alice', roles: ['user'] };
const at = '2026-01-01T00:00:00.000Z';
const room = (id: string): SubjectRef => ({ namespace: 'room', id });
const user = (id: string): SubjectRef => ({ namespace: 'user', id });
const vote = (id: string, userId: string, value: string): StateOp => ({ id, key: 'votes', type: 'set', op: 'add', userId, at: 1000 + Number(id.slice(2)), value });

function setup(existing = new Set(['room:r1', 'room:r2', 'room:r3', 'user:u-alice', 'user:u-bob', 'user:u-carol'])) {
    const db = database();
    const { store, idle } = instance(db);
    const service = createAdminService({
        store,
        existence: { exists: async (s) => existing.has(`${s.namespace}:${s.id}`) },
        settings: async () => DEFAULT_SETTINGS,
        clock: { now: () => Date.parse(at) },
        log: { error: () => undefined },
        shards: INDEX_SHARDS,
        newId: () => 'hold-1',
    });
    return { db, store, idle, service, existing };
}

type Setup = ReturnType<typeof setup>;

/** Items over two writes, two votes and a subscription. */
async function fill({ store, idle }: Setup, subject: SubjectRef): Promise<void> {
    await store.writeItems(subject, setItems({ topic: 'q3', note: 'x' }));
    await store.writeItems(subject, setItems({ topic: 'q4' }));
    for (const op of [vote('op1', 'u-alice', 'pizza'), vote('op2', 'u-bob', 'sushi')]) await store.appendStateOp(subject, () => op);
    await store.putSubscription({ subscriberId: 'u-bob', subject, roomId: 'r1', createdAt: at });
    await idle();
}

async function exportAll(service: AdminService, limit?: number): Promise<string> {
    let text = '';
    let cursor: string | undefined;
    let pages = 0;
    do {
        const page = await service.exportPage(admin, { cursor, limit });
        text += page.lines.map((line) => `${line}\n`).join('');
        cursor = page.next ?? undefined;
        pages += 1;
    } while (cursor !== undefined && pages < 500);
    expect(cursor).toBeUndefined();
    return text;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; line?: number }> {
    try {
        await promise;
    } catch (error) {
        const e = error as { code: string; message: string; details: { line?: number } };
        return { code: e.code, message: e.message, line: e.details?.line };
    }
    throw new Error('expected a refusal');
}

const dump = (s: Setup) => JSON.stringify(s.db.records.map((r) => [r.associations, r.data]).sort());

describe('exporting', () => {
    it('only admins export, import or list subjects', async () => {
        const { service } = setup();
        expect((await failure(service.exportPage(alice, {}))).code).toBe('forbidden');
        expect((await failure(service.importLines(alice, { ndjson: '' }))).code).toBe('forbidden');
        expect((await failure(service.subjects(alice, {}))).code).toBe('forbidden');
    });

    it('pages through every subject that holds something, once each, resuming from the cursor', async () => {
        const s = setup();
        const subjects = [...Array.from({ length: 7 }, (_, i) => room(`r${i}`)), user('u-alice')];
        for (const subject of subjects) await s.store.writeItems(subject, setItems({ a: 1 }));
        await s.store.appendStateOp(user('u-carol'), () => vote('op1', 'u-carol', 'tea'));
        // u-dave only subscribes: the index lists him, but he holds nothing to export
        await s.store.putSubscription({ subscriberId: 'u-dave', subject: room('r0'), roomId: 'r0', createdAt: at });
        await s.idle();
        const exported = (await exportAll(s.service, 2)).trim().split('\n').map((line) => JSON.parse(line));
        expect(exported.map((l) => `${l.subject.namespace}:${l.subject.id}`).sort()).toEqual([...subjects, user('u-carol')].map((x) => `${x.namespace}:${x.id}`).sort());
        expect(exported.find((l) => l.subject.id === 'r0').subscriptions).toEqual([{ subscriberId: 'u-dave', roomId: 'r0', createdAt: at }]);
    });

    it('a page looks at most `limit` subjects, and a limit or cursor it did not hand out is a 400', async () => {
        const s = setup();
        for (let i = 0; i < 5; i++) await s.store.writeItems(room(`r${i}`), setItems({ a: 1 }));
        await s.idle();
        expect((await s.service.exportPage(admin, { limit: 1 })).lines.length).toBeLessThanOrEqual(1);
        expect((await failure(s.service.exportPage(admin, { limit: 101 }))).code).toBe('invalid_request');
        expect((await failure(s.service.exportPage(admin, { cursor: 'x' }))).code).toBe('invalid_request');
    });
});

describe('importing', () => {
    it('brings back what was exported: items with their revisions, the majorRevision, state operations with their ids, subscriptions', async () => {
        const s = setup();
        await fill(s, room('r1'));
        const before = { subject: await s.store.load(room('r1')), subscribers: await s.store.subscribersOf(room('r1')) };
        const backup = await exportAll(s.service);
        s.db.purge();
        expect((await s.store.load(room('r1'))).set.majorRevision).toBe(0);

        const report = await s.service.importLines(admin, { ndjson: backup });
        expect(report).toMatchObject({ imported: 1, skipped: 0, refused: 0 });
        expect(report.subjects[0]).toMatchObject({ line: 1, subject: 'room:r1', outcome: 'imported', majorRevision: 2, items: 2, stateOps: 2, subscriptions: 1 });
        const after = await s.store.load(room('r1'));
        expect(after.set).toEqual(before.subject.set);
        expect(after.stateOps).toEqual(before.subject.stateOps);
        expect(await s.store.subscribersOf(room('r1'))).toEqual(before.subscribers);
    });

    it('importing twice changes nothing the second time', async () => {
        const s = setup();
        await fill(s, room('r1'));
        await fill(s, user('u-alice'));
        const backup = await exportAll(s.service);
        s.db.purge();
        await s.service.importLines(admin, { ndjson: backup });
        await s.idle();
        const once = dump(s);
        const again = await s.service.importLines(admin, { ndjson: backup });
        await s.idle();
        expect(again).toMatchObject({ imported: 0, skipped: 2, refused: 0 });
        expect(dump(s)).toBe(once);
    });

    it('a bad line is a 400 naming its line number, and nothing of any line is written', async () => {
        const s = setup();
        await fill(s, room('r1'));
        const backup = await exportAll(s.service);
        s.db.purge();
        const found = await failure(s.service.importLines(admin, { ndjson: `${backup}{"format":1,"subject":{"namespace":"room","id":"r2"}}\n` }));
        expect(found).toMatchObject({ code: 'invalid_request', line: 2 });
        expect(found.message).toMatch(/^line 2: /);
        expect(s.db.records).toEqual([]);
    });

    it('never lowers a majorRevision: a subject at or above the export\'s revision is skipped', async () => {
        const s = setup();
        await fill(s, room('r1'));
        const backup = await exportAll(s.service);
        await s.store.writeItems(room('r1'), setItems({ topic: 'q5' }));
        const report = await s.service.importLines(admin, { ndjson: backup });
        expect(report.subjects[0]).toMatchObject({ outcome: 'skipped', majorRevision: 3, reason: expect.stringContaining('above the export\'s 2') });
        expect((await s.store.load(room('r1'))).set.items.find((i) => i.key === 'topic')?.value).toBe('q5');
    });

    it('a subject below the export\'s revision goes in at the export\'s revision, past the next one', async () => {
        const s = setup();
        const line = {
            format: 1, subject: room('r2'), majorRevision: 9, state: [], subscriptions: [],
            items: [{ key: 'a', value: 1, revision: 4, updatedAt: at, updatedBy: 'u-bob', visibility: 'public' }],
        };
        const report = await s.service.importLines(admin, { ndjson: JSON.stringify(line) });
        expect(report.subjects[0]).toMatchObject({ outcome: 'imported', majorRevision: 9 });
        expect((await s.store.load(room('r2'))).set).toEqual({ majorRevision: 9, items: line.items });
    });

    it('re-creates a subscription only if its subscriber still exists', async () => {
        const s = setup();
        await fill(s, room('r1'));
        await s.store.putSubscription({ subscriberId: 'u-gone', subject: room('r1'), roomId: 'r1', createdAt: at });
        await s.idle();
        const backup = await exportAll(s.service);
        s.db.purge();
        const report = await s.service.importLines(admin, { ndjson: backup });
        expect(report.subjects[0]).toMatchObject({ subscriptions: 1, subscriptionsSkipped: [{ subscriberId: 'u-gone', reason: 'no such user on this server' }] });
        expect((await s.store.subscribersOf(room('r1'))).map((x) => x.subscriberId)).toEqual(['u-bob']);
    });

    it('refuses a subject whose room or user is not on this server, and goes on with the others', async () => {
        const s = setup();
        await fill(s, room('r1'));
        await fill(s, room('r2'));
        const backup = await exportAll(s.service);
        s.db.purge();
        s.existing.delete('room:r1');
        const report = await s.service.importLines(admin, { ndjson: backup });
        expect(report).toMatchObject({ imported: 1, refused: 1 });
        expect(report.subjects.find((x) => x.subject === 'room:r1')).toMatchObject({ outcome: 'refused', code: 'subject_not_found' });
        expect((await s.store.load(room('r1'))).set.majorRevision).toBe(0);
    });
});

describe('the list of subjects', () => {
    it('names the subjects that hold metadata, paged, of one namespace or both', async () => {
        const s = setup();
        for (let i = 0; i < 4; i++) await s.store.writeItems(room(`r${i}`), setItems({ a: 1, b: 2 }));
        await s.store.appendStateOp(user('u-carol'), () => vote('op1', 'u-carol', 'tea'));
        await s.store.putSubscription({ subscriberId: 'u-dave', subject: room('r0'), roomId: 'r0', createdAt: at });
        await s.idle();
        const all = async (namespace?: 'user' | 'room') => {
            const found = [];
            let cursor: string | undefined;
            do {
                const page = await s.service.subjects(admin, { namespace, cursor, limit: 1 });
                found.push(...page.subjects);
                cursor = page.next ?? undefined;
            } while (cursor !== undefined);
            return found.sort((a, b) => (a.subject < b.subject ? -1 : 1));
        };
        expect(await all()).toEqual([
            ...['r0', 'r1', 'r2', 'r3'].map((id) => ({ subject: `room:${id}`, namespace: 'room', id, majorRevision: 1, items: 2, stateKeys: 0 })),
            { subject: 'user:u-carol', namespace: 'user', id: 'u-carol', majorRevision: 0, items: 0, stateKeys: 1 },
        ]);
        expect((await all('user')).map((x) => x.subject)).toEqual(['user:u-carol']);
        expect((await all('room')).map((x) => x.subject)).toHaveLength(4);
    });
});
