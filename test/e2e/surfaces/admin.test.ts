// SPEC §18, administration, against the packaged app in the real engine: an admin backs everything up with
// GET admin/export (NDJSON, a page per call, the next page's cursor in X-Next-Cursor), uninstalls the app (the host
// purges all of its records, as the harshest server would), installs it again and imports the backup with
// POST admin/import; GET admin/subjects lists what holds metadata. The tests run in order on one host.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ID, DEFAULT_ZIP, startHost, type Host, type HostInstance, type UserName } from '../../support/host';
import { ID, TEAM, type MetadataView } from './helpers';

let host: Host;
let a: HostInstance;

interface ImportReport {
    imported: number;
    skipped: number;
    refused: number;
    subjects: Array<{ line: number; subject: string; outcome: string; majorRevision?: number; reason?: string; code?: string }>;
}

beforeAll(async () => {
    host = await startHost({ persistence: { purge: 'all' } });
    a = host.first;
});

afterAll(async () => {
    await host?.stop();
});

async function ok<T = MetadataView>(who: UserName, method: string, endpoint: string, body?: unknown): Promise<T> {
    const res = await a.api<T>(who, method, endpoint, body);
    expect(res.status, `${method} ${endpoint}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
}

/** One export page as the client gets it: the NDJSON text and the next page's cursor. */
async function exportPage(who: UserName, query = ''): Promise<{ status: number; text: string; next: string | null; type: string | null }> {
    const { userId, authToken } = await a.login(who);
    const res = await fetch(`${a.url}/api/apps/public/${APP_ID}/admin/export${query}`, { headers: { 'X-User-Id': userId, 'X-Auth-Token': authToken } });
    return { status: res.status, text: await res.text(), next: res.headers.get('x-next-cursor'), type: res.headers.get('content-type') };
}

/** Every page, joined: the whole backup. */
async function backup(limit = 1): Promise<string> {
    let text = '';
    let cursor: string | null = null;
    let pages = 0;
    do {
        const page = await exportPage('admin', `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status, page.text).toBe(200);
        expect(page.type).toMatch(/^application\/x-ndjson/);
        text += page.text;
        cursor = page.next;
        pages += 1;
    } while (cursor && pages < 300);
    expect(cursor).toBeNull();
    return text;
}

async function reinstall(): Promise<void> {
    expect((await a.rest('admin', 'DELETE', `/api/apps/${APP_ID}`)).status).toBe(200);
    const form = new FormData();
    form.append('app', new Blob([fs.readFileSync(DEFAULT_ZIP)]), path.basename(DEFAULT_ZIP));
    const install = await a.rest('admin', 'POST', '/api/apps', form);
    expect(install.status, JSON.stringify(install.body)).toBe(200);
    await a.waitForApp((app) => app?.enabled === true);
}

const importBackup = (text: string) => a.api<ImportReport>('admin', 'POST', 'admin/import', { ndjson: text });

/** What an admin reads of the subjects the tests fill, and bob's subscriptions. */
async function everything() {
    const subscriptions = await ok<{ subscriptions: Array<{ subject: { id: string }; roomId: string; createdAt: string }> }>('bob', 'GET', 'subscriptions');
    return {
        alice: await ok('admin', 'GET', `metadata/user/${ID.alice}`),
        team: await ok('admin', 'GET', `metadata/room/${TEAM}`),
        bob: subscriptions.subscriptions,
    };
}

/** The app's records, as a comparable text (every record names the app's tag). */
const records = async () => (await a.persistenceRecords('metadata-store')).map((r) => JSON.stringify(r)).sort();

/** The records once the work a write does after its answer (indexing, clean-up) is over: the same on two reads 0.5 s apart. */
async function settledRecords(): Promise<string[]> {
    let last = await records();
    for (let round = 0; round < 20; round++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const now = await records();
        if (JSON.stringify(now) === JSON.stringify(last)) return now;
        last = now;
    }
    return last;
}

let saved: string;
let before: Awaited<ReturnType<typeof everything>>;

describe('back up before you uninstall', () => {
    it('an export taken before uninstalling brings items, revisions, state and subscriptions back once imported', async () => {
        await ok('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'contact.first_name', value: 'Grace', visibility: 'public' }, { key: 'note', value: { deep: [1, 2] } }] });
        await ok('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'state', value: 'open' }] });
        await ok('alice', 'POST', 'metadata/user/me/state', { key: 'mood', type: 'lww', op: 'add', value: 'sunny' });
        await ok('alice', 'PUT', `metadata/room/${TEAM}`, { items: [{ key: 'topic', value: 'q3', visibility: 'public' }] });
        await ok('bob', 'POST', `metadata/room/${TEAM}/state`, { key: 'votes', type: 'set', op: 'add', value: 'pizza' });
        await ok('bob', 'POST', 'subscriptions', { subject: `user:${ID.alice}`, roomId: TEAM });
        // the subject index is written a moment after the answers
        await expect.poll(async () => (await backup()).trim().split('\n').length, { timeout: 5000 }).toBe(2);
        before = await everything();
        expect(before.alice.majorRevision).toBe(2);
        saved = await backup();

        await reinstall();
        expect((await ok('admin', 'GET', `metadata/user/${ID.alice}`)).majorRevision).toBe(0);
        expect(await ok<{ subscriptions: unknown[] }>('bob', 'GET', 'subscriptions')).toEqual({ subscriptions: [] });

        const imported = await importBackup(saved);
        expect(imported.status, JSON.stringify(imported.body)).toBe(200);
        expect(imported.body).toMatchObject({ imported: 2, skipped: 0, refused: 0 });
        expect(await everything()).toEqual(before);
    });

    it('importing the same export twice changes nothing the second time', async () => {
        const once = await settledRecords();
        const again = await importBackup(saved);
        expect(again.body).toMatchObject({ imported: 0, skipped: 2, refused: 0 });
        expect(await settledRecords()).toEqual(once);
        expect(await everything()).toEqual(before);
    });

    it('a bad line is a 400 naming its line number, and nothing of the import is written', async () => {
        const line = JSON.stringify({
            format: 1, subject: { namespace: 'user', id: ID.carol }, majorRevision: 1, state: [], subscriptions: [],
            items: [{ key: 'team', value: 'blue', revision: 1, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: ID.carol, visibility: 'public' }],
        });
        const bad = await importBackup(`${line}\n${line.replace('"team"', '"a..b"').replace(ID.carol, ID.bob)}\n`);
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ error: { code: 'invalid_request', line: 2 } });
        expect((await ok('admin', 'GET', `metadata/user/${ID.carol}`)).majorRevision).toBe(0);
    });

    it('a subject already above the export\'s revision is skipped: no revision is ever lowered', async () => {
        await ok('alice', 'PUT', 'metadata/user/me', { items: [{ key: 'state', value: 'closed' }] });
        const report = await importBackup(saved);
        expect(report.body.subjects.find((s) => s.subject === `user:${ID.alice}`)).toMatchObject({ outcome: 'skipped', majorRevision: 3 });
        const alice = await ok('admin', 'GET', `metadata/user/${ID.alice}`);
        expect([alice.majorRevision, alice.document.state]).toEqual([3, 'closed']);
    });

    it('lists the subjects that hold metadata, by namespace', async () => {
        const users = await ok<{ subjects: Array<{ subject: string; majorRevision: number }>; next: string | null }>('admin', 'GET', 'admin/subjects?namespace=user&limit=200');
        expect(users.subjects).toEqual([expect.objectContaining({ subject: `user:${ID.alice}`, majorRevision: 3 })]);
        expect(users.next).toBeNull();
    });

    it('only admins may export, import or list subjects', async () => {
        expect((await exportPage('alice')).status).toBe(403);
        expect((await a.api('alice', 'POST', 'admin/import', { ndjson: saved })).status).toBe(403);
        expect((await a.api('alice', 'GET', 'admin/subjects')).status).toBe(403);
    });
});
