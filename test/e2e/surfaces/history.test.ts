// SPEC §14 (history) and the admin repair of SPEC §12, against the packaged app in the real engine, on two instances
// over one store: history is the same on every instance and after a restart, shows each reader only what they may
// read, never holds a cause, and answers 410 below what the retention keeps; /meta history replies in chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type Host, type HostInstance } from '../../support/host';
import { ID, replyText, type ErrorBody } from './helpers';

interface HistoryBody {
    majorRevision: number;
    entries: Array<{ majorRevision: number; at: string; actor: string; changed: Array<{ key: string; value: unknown; visibility: string }>; removed: string[] }>;
}

let host: Host;
let one: HostInstance;
let two: HostInstance;

beforeAll(async () => {
    host = await startHost({ instances: 2 });
    [one, two] = host.instances;
    const writes = [
        { items: [{ key: 'theme', value: 'dark', visibility: 'public' }, { key: 'diary', value: 'secret' }], cause: { ticket: 'CAUSE-NEVER-KEPT' } },
        { items: [{ key: 'theme', value: 'light' }] },
        { items: [{ key: 'theme', value: 'light', visibility: 'private' }] },
    ];
    for (const body of writes) expect((await one.api('alice', 'PUT', 'metadata/user/me', body)).status).toBe(200);
});

afterAll(async () => {
    await host?.stop();
});

async function history(instance: HostInstance, who: 'alice' | 'bob' | 'admin', query: string): Promise<HistoryBody> {
    const res = await instance.api<HistoryBody>(who, 'GET', `metadata/user/alice/history${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

describe('history over HTTP', () => {
    it('answers every change after a revision, oldest first, the same on the other instance', async () => {
        const seen = await history(two, 'alice', '?since=0');
        expect(seen.majorRevision).toBe(3);
        expect(seen.entries.map((e) => [e.majorRevision, e.actor, e.changed.map((c) => `${c.key}=${String(c.value)}`)])).toEqual([
            [1, ID.alice, ['diary=secret', 'theme=dark']],
            [2, ID.alice, ['theme=light']],
            [3, ID.alice, ['theme=light']],
        ]);
        expect(await history(one, 'alice', '?since=0')).toEqual(seen);
        expect((await history(two, 'alice', '?since=2')).entries.map((e) => e.majorRevision)).toEqual([3]);
    });

    it('shows another user public items only, and a key turned private as removed', async () => {
        const seen = await history(two, 'bob', '?since=0');
        expect(seen.entries.map((e) => [e.changed.map((c) => c.key), e.removed])).toEqual([[['theme'], []], [['theme'], []], [[], ['theme']]]);
    });

    it('never holds the cause of a write', async () => {
        expect(JSON.stringify(await history(one, 'admin', '?since=0'))).not.toContain('CAUSE-NEVER-KEPT');
    });

    it('refuses a malformed since with a 400 naming it', async () => {
        const res = await one.api<ErrorBody>('alice', 'GET', 'metadata/user/alice/history?since=-1');
        expect([res.status, res.body.error.code, res.body.error.message]).toEqual([400, 'invalid_request', expect.stringContaining('"since"')]);
    });

    it('answers 410 history_compacted with the oldest kept revision below what the retention keeps, and compacts it', async () => {
        await one.setAppSetting('history_revisions', 2);
        try {
            const res = await one.api<ErrorBody & { error: { oldestKept: number } }>('alice', 'GET', 'metadata/user/alice/history?since=0');
            expect([res.status, res.body.error.code, res.body.error.oldestKept]).toEqual([410, 'history_compacted', 2]);
        } finally {
            await one.setAppSetting('history_revisions', 1000);
        }
        // what a read found beyond the retention is compacted in the background, after its answer: once that has
        // run, raising the retention again brings nothing back
        let res = await one.api<ErrorBody>('alice', 'GET', 'metadata/user/alice/history?since=0');
        for (const deadline = Date.now() + 10_000; res.status !== 410 && Date.now() < deadline; ) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            res = await one.api<ErrorBody>('alice', 'GET', 'metadata/user/alice/history?since=0');
        }
        expect([res.status, res.body.error?.code]).toEqual([410, 'history_compacted']);
    });

    it('is kept across a restart of the host', async () => {
        const before = await history(one, 'alice', '?since=1');
        expect(before.entries.map((e) => e.majorRevision)).toEqual([2, 3]);
        await host.restart();
        [one, two] = host.instances;
        expect(await history(two, 'alice', '?since=1')).toEqual(before);
    });
});

describe('/meta history', () => {
    it('replies with the newest changes, who made them and when', async () => {
        const { replies } = await two.command('alice', 'team', 'history me theme');
        const text = replyText(replies);
        expect(text).toContain('History of @alice');
        expect(text).toMatch(/`r2` .* @alice: set `theme`=`light`/);
    });
});

describe('repair by an admin', () => {
    it("removes another user's state entry on alice, answering keys and counts only", async () => {
        expect((await one.api('bob', 'POST', 'metadata/user/alice/state', { key: 'graffiti', op: 'add', value: 'x' })).status).toBe(200);
        const denied = await one.api<ErrorBody>('alice', 'POST', 'metadata/user/alice/repair', { state: [{ key: 'graffiti' }] });
        expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden']);
        const repaired = await two.api('admin', 'POST', 'metadata/user/alice/repair', { state: [{ key: 'graffiti', userId: ID.bob }] });
        expect([repaired.status, repaired.body.removed]).toEqual([200, { items: [], stateKeys: ['graffiti'], stateOps: 1 }]);
        expect((await one.api<{ state: Record<string, unknown> }>('alice', 'GET', 'metadata/user/me')).body.state.graffiti).toBeUndefined();
    });
});
