// SPEC §11 "Safety never depends on timing", with a writer paused mid-write: two host instances over one store
// (the packaged app in the real engine on each); instance 1's item write is held by the host's fault injection
// (POST /api/v1/host.faults) for longer than any freshness window a protocol might lean on; meanwhile instance 2
// acknowledges writes to the same subject; then the held write lands — late, as a GC pause or a slow primary
// makes it land. Whatever the paused request answers (it may fail or succeed), nothing acknowledged may be lost,
// majorRevision may never go back, a read may never show a write that is later undone, and afterwards both
// instances must take new writes at once (no 409 wedge).
//
// WHICH WRITE IS HELD. The fault holds the first persistence write of instance 1 whose associations or data
// contain a marker that only the paused request carries: the item key it writes — that is, the record proposing
// the new items (the revision log's accept, src/store/revisionLog.ts), whose late landing is the dangerous one.
// The first release's protocol (a revision claim, then an update of one items record) lost instance 2's
// acknowledged writes here, took majorRevision back and answered 409 for good afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WriteFault } from '../../../host/engine/faults';
import { startHost, type Host, type HostInstance, type HttpResult } from '../../support/host';
import type { ErrorBody, MetadataView } from './helpers';

/** longer than the first release's claim freshness (10 s), which this test was written to break */
const PAUSE_MS = 12_000;
/** instance 2's writes to acknowledge while instance 1 is held */
const WANTED_ACKS = 3;
const SUBJECT = 'metadata/user/carol';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keysOf = (view: MetadataView) => view.items.map((i) => i.key);

interface Ack {
    by: string;
    key: string;
    value: unknown;
    majorRevision: number;
    keys: string[];
    /** when the answer arrived (this machine's clock, as the host's) */
    at: number;
}

async function faults(instance: HostInstance): Promise<WriteFault[]> {
    const res = await instance.rest<{ faults: WriteFault[] }>('admin', 'GET', '/api/v1/host.faults');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.faults;
}

async function fault(id: number): Promise<WriteFault> {
    const found = (await faults(two)).find((f) => f.id === id);
    if (!found) throw new Error(`fault #${id} is gone`);
    return found;
}

async function view(instance: HostInstance): Promise<MetadataView> {
    const res = await instance.api<MetadataView>('carol', 'GET', SUBJECT);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
}

function ack(by: string, key: string, value: unknown, res: HttpResult<MetadataView>): Ack {
    return { by, key, value, majorRevision: res.body.majorRevision, keys: keysOf(res.body), at: Date.now() };
}

/** Reads the subject from both instances in turn until stopped: what clients saw, in real-time order. */
function sampleReads() {
    const samples: Array<{ instance: number; startedAt: number; majorRevision: number; keys: string[] }> = [];
    let running = true;
    const loop = (async () => {
        for (let n = 0; running; n++) {
            const instance = n % 2 === 0 ? one : two;
            const startedAt = Date.now();
            const res = await instance.api<MetadataView>('carol', 'GET', SUBJECT);
            if (res.status === 200) samples.push({ instance: instance.index, startedAt, majorRevision: res.body.majorRevision, keys: keysOf(res.body) });
            await sleep(150);
        }
    })();
    return {
        samples,
        stop: async () => {
            running = false;
            await loop;
        },
    };
}

/** A write that may be refused for a while (409 / 503 are how timing may cost progress); answers every attempt. */
async function writeUntil(instance: HostInstance, who: 'carol' | 'admin', key: string, value: unknown, deadline: number) {
    const refusals: number[] = [];
    for (;;) {
        const res = await instance.api<MetadataView>(who, 'PUT', SUBJECT, { items: [{ key, value }] });
        if (res.status === 200) return { res, refusals };
        expect([409, 503], `PUT ${key}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
        refusals.push(res.status);
        if (Date.now() > deadline) return { res, refusals };
        await sleep(50 + Math.random() * 50);
    }
}

describe('a writer paused mid-write (SPEC §11)', () => {
    it('loses no write the other instance acknowledged meanwhile, never goes back, and wedges nothing', async () => {
        const marker = `paused_${Date.now().toString(36)}`;
        const base = await one.api<MetadataView>('carol', 'PUT', SUBJECT, { items: [{ key: 'base', value: 0 }] });
        expect(base.status, JSON.stringify(base.body)).toBe(200);
        const acks: Ack[] = [ack('base', 'base', 0, base)];

        // Armed through instance 2, for instance 1 (the fault table is shared by the cluster).
        const armed = await two.rest<{ fault: WriteFault }>('admin', 'POST', '/api/v1/host.faults', {
            instance: one.index,
            method: 'any-write',
            match: marker,
            nth: 1,
            pauseMs: PAUSE_MS,
        });
        expect(armed.status, JSON.stringify(armed.body)).toBe(200);
        const faultId = armed.body.fault.id;

        const reads = sampleReads();
        const paused = one.api<MetadataView | ErrorBody>('carol', 'PUT', SUBJECT, { items: [{ key: marker, value: 'from the paused writer' }] }).then((res) => ({ res, at: Date.now() }));

        // The paused request reaches its item write and is held there.
        const holdDeadline = Date.now() + 8_000;
        let held = await fault(faultId);
        while (held.state === 'armed' && Date.now() < holdDeadline) {
            await sleep(50);
            held = await fault(faultId);
        }
        expect(held.state, `instance 1's write carrying ${marker} was never held: ${JSON.stringify(held)}`).toBe('paused');

        // Meanwhile instance 2 acknowledges writes to the same subject (refusals on the way are allowed).
        const refusals: number[] = [];
        for (let i = 0; acks.length - 1 < WANTED_ACKS && (await fault(faultId)).state === 'paused'; ) {
            const key = `two_${i}`;
            const { res, refusals: refused } = await writeUntil(two, 'admin', key, i, Date.now() + 400);
            refusals.push(...refused);
            if (res.status === 200) {
                acks.push(ack('instance 2', key, i, res as HttpResult<MetadataView>));
                i++;
            }
        }

        // The held write lands; the paused request answers whatever it answers.
        const pausedOutcome = await paused;
        const landed = await fault(faultId);
        expect(landed.state).toBe('done');
        const pausedAt = Date.parse(landed.pausedAt as string);
        const resumedAt = Date.parse(landed.resumedAt as string);
        const whileHeld = (a: Ack) => a.at > pausedAt && a.at < resumedAt;
        const pausedAck = pausedOutcome.res.status === 200;
        if (pausedAck) acks.push(ack('the paused writer', marker, 'from the paused writer', pausedOutcome.res as HttpResult<MetadataView>));
        else expect.soft([409, 503, 500], `the paused write answered ${pausedOutcome.res.status} ${JSON.stringify(pausedOutcome.res.body)}`).toContain(pausedOutcome.res.status);

        // At once, both instances take new writes (a retry or two for timing is fine; a wedge is not).
        const after1 = await writeUntil(one, 'carol', 'after_one', 1, Date.now() + 2_000);
        const after2 = await writeUntil(two, 'admin', 'after_two', 2, Date.now() + 2_000);
        await reads.stop();
        const [final1, final2] = [await view(one), await view(two)];

        const story = [
            `acknowledged: ${acks.map((a) => `${a.key}@${a.majorRevision}${whileHeld(a) ? ' (while held)' : ''}`).join(', ')}`,
            `refusals of instance 2 while instance 1 was held: ${refusals.length} (${[...new Set(refusals)].join(', ')})`,
            `the paused write: held ${landed.pausedAt} → ${landed.resumedAt} (${landed.call?.method}), outcome ${landed.outcome}${landed.error ? ` (${landed.error})` : ''}; its request answered ${pausedOutcome.res.status} ${JSON.stringify(pausedOutcome.res.body).slice(0, 300)}`,
            `afterwards: instance 1 ${after1.res.status} after ${after1.refusals.length} refusals, instance 2 ${after2.res.status} after ${after2.refusals.length} refusals`,
            `final: instance 1 majorRevision ${final1.majorRevision} [${keysOf(final1).join(', ')}], instance 2 ${final2.majorRevision} [${keysOf(final2).join(', ')}]`,
            `reads: ${reads.samples.map((s) => s.majorRevision).join(' ')}`,
        ].join('\n');

        // Instance 2 did acknowledge writes while instance 1 was held.
        expect.soft(acks.filter((a) => a.by === 'instance 2' && whileHeld(a)).length, `no write of instance 2 acknowledged while instance 1 was held\n${story}`).toBeGreaterThan(0);

        // Every acknowledged write survives, on both instances, with the value it was acknowledged with.
        for (const [name, final] of [['instance 1', final1], ['instance 2', final2]] as const) {
            const lost = acks.filter((a) => !final.items.some((i) => i.key === a.key && JSON.stringify(i.value) === JSON.stringify(a.value)));
            expect.soft(lost.map((a) => `${a.key}@${a.majorRevision} (by ${a.by})`), `acknowledged writes lost, read from ${name}\n${story}`).toEqual([]);
        }

        // majorRevision never goes back: the final one is at least every acknowledged one, and reads never decreased.
        const highest = Math.max(...acks.map((a) => a.majorRevision));
        expect.soft(final1.majorRevision, `majorRevision went back below an acknowledged ${highest}\n${story}`).toBeGreaterThanOrEqual(highest);
        expect.soft(final2.majorRevision, `instances disagree\n${story}`).toBe(final1.majorRevision);
        const backwards = reads.samples.filter((s, i) => i > 0 && s.majorRevision < reads.samples[i - 1].majorRevision);
        expect.soft(backwards.map((s) => `${s.majorRevision} on instance ${s.instance + 1}`), `reads that showed a lower majorRevision than the read before\n${story}`).toEqual([]);
        const stale = reads.samples.filter((s) => acks.some((a) => a.at < s.startedAt && a.majorRevision > s.majorRevision));
        expect.soft(stale.map((s) => `${s.majorRevision} on instance ${s.instance + 1}`), `reads started after an acknowledgement that showed less\n${story}`).toEqual([]);

        // A read never shows a write that is later undone.
        const finalKeys = new Set(keysOf(final1));
        const undone = [...new Set(reads.samples.flatMap((s) => s.keys))].filter((k) => !finalKeys.has(k));
        expect.soft(undone, `reads showed writes that are gone now\n${story}`).toEqual([]);

        // The acknowledgements form one linear order: one per majorRevision, each built on every earlier one.
        const revisions = acks.map((a) => a.majorRevision);
        expect.soft(revisions.filter((r, i) => revisions.indexOf(r) !== i), `majorRevisions acknowledged twice\n${story}`).toEqual([]);
        const unordered = acks.flatMap((a) => acks.filter((earlier) => earlier.majorRevision < a.majorRevision && !a.keys.includes(earlier.key)).map((earlier) => `${a.key}@${a.majorRevision} lacks ${earlier.key}@${earlier.majorRevision}`));
        expect.soft(unordered, `acknowledged writes not built on every earlier acknowledged write\n${story}`).toEqual([]);

        // No wedge: both instances took a new write at once, and it is there.
        expect.soft(after1.res.status, `instance 1 takes no new write after the pause\n${story}`).toBe(200);
        expect.soft(after2.res.status, `instance 2 takes no new write after the pause\n${story}`).toBe(200);
        if (after1.res.status === 200) expect.soft(keysOf(final1), story).toContain('after_one');
        if (after2.res.status === 200) expect.soft(keysOf(final1), story).toContain('after_two');
    }, 90_000);
});
