/*
 * The packaged app in the real Apps-Engine 1.62 + Deno (the local host, SQLite persistence), side by side
 * with the bench's baseline app (bench/baseline-app) installed in the same engine:
 *   one-call baseline   exactly one persistence read (GET) or one read + one write (PUT, state op)
 *   protocol baseline   exactly the store's persistence calls in the same order (bench/baseline-app/protocol.ts)
 *   noop                no persistence call at all: what the engine costs per request
 * Same HTTP client (node:http, keep-alive), same users, same concurrency for every side; warm-up first,
 * then the measured requests interleaved (ours, baselines, ours, … in rotating order, a short pause after
 * each so one side's background work does not land on the next side's request).
 *
 * Prints a markdown table: medians and p99 of PUT (1 item), GET, a state op and a room write by room name;
 * throughput with 20 requests in flight on 20 subjects and on 1 subject; event delivery after the answer
 * with 100 subscribers; where the time goes (the engine per request vs per persistence call); and, from a
 * second host with the engine's debug log on, every call the app makes to the engine for one request of
 * each kind. No assertions. About 3–4 minutes on 2 busy cores.
 *
 *   npm run bench -- --rounds 200 --warmup 30 --gap 15 --seconds 1.5 --runs 3 --inflight 20 --writes 20 --subscribers 100 [--no-trace]
 * (scripts/bench-events.ts reads --writes and --subscribers too.)
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import type { HostContext } from '../host/engine/context';
import { createRoom } from '../host/lib/rooms';
import type { RoomRole, UserDoc } from '../host/store/docs';
import { Rooms } from '../host/store/Rooms';
import { Store } from '../host/store/Store';
import { Users } from '../host/store/Users';
import { APP_ID, startHost, type Host } from '../test/support/host';
import { PROTOCOL } from '../bench/baseline-app/protocol';

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(`--${name}`);
    const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
    return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const ROUNDS = option('rounds', 200);
const WARMUP = option('warmup', 30);
const GAP_MS = option('gap', 15);
const SECONDS = option('seconds', 1.5);
const RUNS = option('runs', 3);
const IN_FLIGHT = option('inflight', 20);
const WRITES = option('writes', 20);
const SUBSCRIBERS = option('subscribers', 100);
const TRACE = !process.argv.includes('--no-trace');

// scripts/bench.mjs packages the baseline app and says where (this file runs bundled from build/bench/).
const BASELINE_ZIP = process.env.BENCH_BASELINE_ZIP ?? path.join(__dirname, 'baseline-app.zip');
const BASELINE_ID = process.env.BENCH_BASELINE_ID ?? '4b3d4f7c-63d7-4de3-b001-0209f513d41a';
/** The store's persistence calls before a PUT answers, as the protocol baseline declares them. */
const PUT_CALLS_BEFORE_ANSWER = PROTOCOL.put.findIndex((s) => s.call === 'answer');

const began = performance.now();
const progress = (what: string) => process.stderr.write(`bench: +${((performance.now() - began) / 1000).toFixed(0)} s ${what}…\n`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the workspace: bench users and rooms, written into the host's store before it starts ---------------------

const benchUser = (i: number) => `bench${String(i).padStart(2, '0')}`;
const benchRoomId = (i: number) => `rid-bench-${String(i).padStart(2, '0')}`;
const EVENTS_ROOM = 'rid-events';

/**
 * max(SUBSCRIBERS, IN_FLIGHT) users bench00…; rooms bench-00… (one per in-flight stream: creator bench<i>, the
 * other streams' users moderators, so every stream may write every room); #events with every bench user.
 */
function seedWorkspace(dataDir: string): void {
    const store = new Store(dataDir);
    try {
        const users = new Users(store);
        const rooms = new Rooms(store);
        const ctx = { store, users, rooms } as unknown as HostContext;
        const count = Math.max(SUBSCRIBERS, IN_FLIGHT, 1);
        const docs: UserDoc[] = [];
        store.tx(() => {
            for (let i = 0; i < count; i++) {
                const now = new Date();
                const doc: UserDoc = {
                    _id: `uid-${benchUser(i)}`,
                    username: benchUser(i),
                    name: `Bench ${i}`,
                    type: 'user',
                    active: true,
                    roles: ['user'],
                    status: 'online',
                    utcOffset: 0,
                    createdAt: now,
                    _updatedAt: now,
                };
                users.insert(doc);
                users.createToken(doc._id, `token-${benchUser(i)}`, 'bench');
                docs.push(doc);
            }
        });
        const streams = docs.slice(0, IN_FLIGHT);
        for (let i = 0; i < streams.length; i++) {
            const others = streams.filter((_, j) => j !== i).map((u) => u.username);
            createRoom(ctx, {
                _id: benchRoomId(i),
                t: 'c',
                name: `bench-${String(i).padStart(2, '0')}`,
                creator: streams[i],
                members: others,
                roles: Object.fromEntries(others.map((name) => [name, ['moderator'] as RoomRole[]])),
            });
        }
        createRoom(ctx, { _id: EVENTS_ROOM, t: 'c', name: 'events', creator: docs[0], members: docs.slice(1).map((u) => u.username) });
    } finally {
        store.close();
    }
}

// --- the client ---------------------------------------------------------------------------------------------

type Auth = Record<string, string>;
const auth = (name: string): Auth => ({ 'X-User-Id': `uid-${name}`, 'X-Auth-Token': `token-${name}` });

interface Answer {
    status: number;
    ms: number;
    text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let base: URL;

function call(method: string, urlPath: string, as: Auth, body?: unknown): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const headers: Record<string, string | number> = { ...as };
        if (payload) {
            headers['content-type'] = 'application/json';
            headers['content-length'] = payload.length;
        }
        const started = performance.now();
        const req = http.request({ host: base.hostname, port: base.port, method, path: urlPath, agent, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, text: Buffer.concat(chunks).toString() }));
            res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
    });
}

const ours = (p: string) => `/api/apps/public/${APP_ID}/${p}`;
const baseline = (p: string) => `/api/apps/public/${BASELINE_ID}/${p}`;

/** One request of a side: method, path and body for the i-th call. */
interface Side {
    name: string;
    request: (i: number, stream: number) => { method: string; path: string; as: Auth; body?: unknown };
}

async function once(side: Side, i: number, stream = 0): Promise<Answer> {
    const r = side.request(i, stream);
    return call(r.method, r.path, r.as, r.body);
}

// --- statistics ---------------------------------------------------------------------------------------------

function quantile(values: number[], q: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    if (sorted.length === 0) return Number.NaN;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const ms = (n: number) => (Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');

interface Latency {
    median: number;
    p99: number;
    errors: Record<number, number>;
}

function latency(samples: Answer[]): Latency {
    const errors: Record<number, number> = {};
    for (const s of samples) if (s.status !== 200) errors[s.status] = (errors[s.status] ?? 0) + 1;
    const times = samples.map((s) => s.ms);
    return { median: quantile(times, 0.5), p99: quantile(times, 0.99), errors };
}

const errorNote = (l: Latency) => {
    const parts = Object.entries(l.errors).map(([status, n]) => `${n}× ${status}`);
    return parts.length ? ` (${parts.join(', ')})` : '';
};

// --- the measurements ---------------------------------------------------------------------------------------

/** Warm-up, then ROUNDS rounds of one request per side, in rotating order, GAP_MS after each. */
async function interleaved(sides: Side[]): Promise<Latency[]> {
    for (let i = 0; i < WARMUP; i++) {
        for (const side of sides) {
            const answer = await once(side, i);
            if (answer.status !== 200) throw new Error(`warm-up of ${side.name}: ${answer.status} ${answer.text.slice(0, 500)}`);
        }
    }
    const samples: Answer[][] = sides.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
        for (let k = 0; k < sides.length; k++) {
            const s = (r + k) % sides.length;
            samples[s].push(await once(sides[s], WARMUP + r));
            await sleep(GAP_MS);
        }
    }
    return samples.map(latency);
}

interface Throughput {
    perSecond: number;
    errors: Record<number, number>;
    p99: number;
}

/** IN_FLIGHT closed-loop streams for SECONDS; stream k sends side.request(i, k). */
async function load(side: Side, seconds = SECONDS): Promise<{ done: number; elapsed: number; answers: Answer[] }> {
    const answers: Answer[] = [];
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
        Array.from({ length: IN_FLIGHT }, async (_, stream) => {
            for (let i = 0; performance.now() < deadline; i++) {
                answers.push(await once(side, i, stream));
            }
        }),
    );
    return { done: answers.length, elapsed: performance.now() - started, answers };
}

async function throughput(sides: Side[]): Promise<Throughput[]> {
    for (const side of sides) await load(side, Math.min(SECONDS, 1)); // warm-up
    const totals = sides.map(() => ({ done: 0, elapsed: 0, answers: [] as Answer[] }));
    for (let run = 0; run < RUNS; run++) {
        for (let k = 0; k < sides.length; k++) {
            const s = (run + k) % sides.length;
            await sleep(300);
            const result = await load(sides[s]);
            totals[s].done += result.done;
            totals[s].elapsed += result.elapsed;
            totals[s].answers.push(...result.answers);
        }
    }
    return totals.map((t) => {
        const l = latency(t.answers);
        return { perSecond: (t.done / t.elapsed) * 1000, errors: l.errors, p99: l.p99 };
    });
}

interface Events {
    afterAnswer: number[];
    answerMs: number[];
    missing: number;
}

/** SUBSCRIBERS bench users subscribe to user:carol (delivered in #events); carol writes WRITES times. */
async function events(dataDir: string): Promise<Events> {
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => benchUser(i));
    for (const name of subscribers) {
        const res = await call('POST', ours('subscriptions'), auth(name), { subject: 'user:carol', roomId: EVENTS_ROOM });
        if (res.status !== 200) throw new Error(`subscribe ${name}: ${res.status} ${res.text.slice(0, 500)}`);
    }
    const ids = new Set(subscribers.map((name) => `uid-${name}`));
    const db = new Database(path.join(dataDir, 'host.sqlite'), { readonly: true, fileMustExist: true });
    try {
        const lastSeq = () => (db.prepare('SELECT max(seq) AS seq FROM notifications').get() as { seq: number | null }).seq ?? 0;
        const updates = db.prepare<[number], { uid: string; ts: string }>(`SELECT uid, ts FROM notifications WHERE seq > ? AND doc LIKE '%"UPDATE"%' ORDER BY seq`);
        const result: Events = { afterAnswer: [], answerMs: [], missing: 0 };
        const warmup = 3;
        for (let w = 0; w < warmup + WRITES; w++) {
            const since = lastSeq();
            const answer = await call('PUT', ours('metadata/user/me'), auth('carol'), { items: [{ key: 'status', value: w, visibility: 'public' }] });
            const answeredAt = Date.now();
            if (answer.status !== 200) throw new Error(`events: write ${w}: ${answer.status} ${answer.text.slice(0, 500)}`);
            let delivered: Array<{ uid: string; ts: string }> = [];
            for (const deadline = Date.now() + 3000; Date.now() < deadline; await sleep(2)) {
                delivered = updates.all(since).filter((n) => ids.has(n.uid));
                if (delivered.length >= SUBSCRIBERS) break;
            }
            if (w < warmup) continue;
            result.answerMs.push(answer.ms);
            result.missing += Math.max(0, SUBSCRIBERS - delivered.length);
            for (const n of delivered) result.afterAnswer.push(Date.parse(n.ts) - answeredAt);
            await sleep(GAP_MS);
        }
        return result;
    } finally {
        db.close();
    }
}


// --- where a request's time goes: the engine's own trace of the app's calls -------------------------------------

interface TracedCall {
    at: number;
    name: string;
}

/** `accessor:getReader:getEnvironmentReader:getSettings:getValueById` → `settings.getValueById`. */
function shortName(method: string, line: string): string {
    const parts = method.split(':');
    const last = parts[parts.length - 1];
    const owner = (parts[parts.length - 2] ?? '').replace(/^get/, '').replace(/(Reader|Bridge)$/, '');
    const name = `${owner.charAt(0).toLowerCase()}${owner.slice(1)}.${last}`;
    if (owner !== 'Persistence') return name;
    // Which records: the record kind (`kind:prepare`…), else the family of the second association (`subject`).
    const kind = /id: 'kind:([\w-]+)'/.exec(line)?.[1] ?? /id: '[^']*'[^]*?id: '([\w-]+):/.exec(line)?.[1];
    return kind ? `${name}[${kind}]` : name;
}

/**
 * A separate host with the engine's debug log on for the app (DEBUG=appsEngine:runtime:deno:<appId>), which
 * prints every call the app makes to the engine with a millisecond time (not when it answers). One request of
 * each kind after a warm-up.
 */
async function trace(): Promise<string[]> {
    const previous = process.env.DEBUG;
    process.env.DEBUG = `appsEngine:runtime:deno:${APP_ID}`;
    let host: Host;
    try {
        host = await startHost({ startTimeoutMs: 180_000 });
    } finally {
        if (previous === undefined) delete process.env.DEBUG;
        else process.env.DEBUG = previous;
    }
    const lines: string[] = [];
    try {
        base = new URL(host.first.url);
        await host.first.setAppSetting('limit_writes_per_second', 1_000_000);
        const alice = auth('alice');
        const kinds: Array<[string, (i: number) => Promise<Answer>]> = [
            ['PUT `metadata/user/me`', (i) => call('PUT', ours('metadata/user/me'), alice, { items: [{ key: 'counter', value: i }] })],
            ['GET `metadata/user/me`', () => call('GET', ours('metadata/user/me'), alice)],
            ['state op', (i) => call('POST', ours('metadata/user/me/state'), alice, { key: 'mood', type: 'lww', op: 'add', value: `v${i}` })],
            ['room write by name', (i) => call('PUT', ours('metadata/room/team'), alice, { items: [{ key: 'topic', value: i }] })],
            ['PUT with 2 subscribers (`user/me` by carol; alice and bob subscribed)', (i) => call('PUT', ours('metadata/user/me'), auth('carol'), { items: [{ key: 'status', value: i, visibility: 'public' }] })],
        ];
        for (const name of ['alice', 'bob']) {
            const res = await call('POST', ours('subscriptions'), auth(name), { subject: 'user:carol', roomId: 'GENERAL' });
            if (res.status !== 200) throw new Error(`trace: subscribe ${name}: ${res.status} ${res.text.slice(0, 500)}`);
        }
        const callLine = /^(\S+Z) \S+ Received message from subprocess \{ jsonrpc: '2\.0', id: '[^']*', method: '([^']+)'/;
        const endLine = /^(\S+Z) \S+ Request \S+ for method api:\S+ took (\d+)ms/;
        for (const [label, send] of kinds) {
            for (let i = 0; i < 5; i++) await send(i);
            await sleep(300);
            const mark = host.log().length;
            const sentAt = Date.now();
            const answer = await send(5);
            await sleep(500);
            const calls: TracedCall[] = [];
            let answeredAt = sentAt + answer.ms;
            for (const text of host.log().slice(mark).split('\n')) {
                const c = callLine.exec(text);
                if (c) calls.push({ at: Date.parse(c[1]) - sentAt, name: shortName(c[2], text) });
                const e = endLine.exec(text);
                if (e) answeredAt = Date.parse(e[1]);
            }
            const end = answeredAt - sentAt;
            const before = calls.filter((c) => c.at <= end);
            const after = calls.filter((c) => c.at > end);
            // Consecutive calls of one kind that start within 2 ms of each other are shown as one step (sent
            // together); steps that start within 1 ms of each other are joined by ∥, others by →.
            const steps: TracedCall[][] = [];
            for (const c of before) {
                const step = steps[steps.length - 1];
                if (step && step[0].name === c.name && c.at - step[step.length - 1].at <= 2) step.push(c);
                else steps.push([c]);
            }
            const describe = (step: TracedCall[]) => `+${step[0].at} ${step[0].name}${step.length > 1 ? ` ×${step.length}` : ''}`;
            const persistence = before.filter((c) => c.name.startsWith('persistence.')).length;
            const afterCounts = new Map<string, number>();
            for (const c of after) afterCounts.set(c.name, (afterCounts.get(c.name) ?? 0) + 1);
            lines.push(
                `- ${label} (${answer.status}): ${before.length} calls before the answer at +${end} ms, ${persistence} of them persistence` +
                    (after.length ? `; ${after.length} after it (${Array.from(afterCounts, ([name, n]) => `${name} ×${n}`).join(', ')})` : '; none after it') +
                    `:\n  ${steps.map((step, k) => (k === 0 ? '' : step[0].at - steps[k - 1][0].at <= 1 ? ' ∥ ' : ' → ') + describe(step)).join('')}`,
            );
        }
    } finally {
        await host.stop();
    }
    return lines;
}

// --- the run ------------------------------------------------------------------------------------------------

async function installBaseline(host: Host): Promise<void> {
    const form = new FormData();
    form.append('app', new Blob([fs.readFileSync(BASELINE_ZIP)]), path.basename(BASELINE_ZIP));
    const res = await host.first.rest('admin', 'POST', '/api/apps', form);
    if (res.status !== 200) throw new Error(`installing the baseline app: ${res.status} ${JSON.stringify(res.body)}`);
    for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
        const app = await host.first.rest('admin', 'GET', `/api/apps/${BASELINE_ID}`);
        if ((app.body.app as { enabled?: boolean } | undefined)?.enabled) return;
        if (Date.now() > deadline) throw new Error(`the baseline app did not start: ${JSON.stringify(app.body)}`);
    }
}

interface Row {
    label: string;
    ours: Latency;
    one: Latency;
    protocol: Latency;
    oneName: string;
    target: (r: Row) => string;
}

async function main(): Promise<void> {
    if (!fs.existsSync(BASELINE_ZIP)) throw new Error(`${BASELINE_ZIP} is missing: run the bench with npm run bench (it packages the baseline app)`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-store-bench-'));
    let host: Host;
    try {
        seedWorkspace(dataDir);
        host = await startHost({ dataDir, startTimeoutMs: 180_000 });
    } catch (error) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        throw error;
    }
    let report: string[] = [];
    try {
        base = new URL(host.first.url);
        await host.first.setAppSetting('limit_writes_per_second', 1_000_000);
        await installBaseline(host);
        const alice = auth('alice');
        const put = (p: (i: number) => string, key: string, prefix: (s: string) => string): Side['request'] => (i) => ({
            method: 'PUT',
            path: prefix(p(i)),
            as: alice,
            body: { items: [{ key, value: i }] },
        });
        const side = (name: string, request: Side['request']): Side => ({ name, request });
        const get = (p: string): Side['request'] => () => ({ method: 'GET', path: p, as: alice });
        const stateBody = (i: number) => ({ key: 'mood', type: 'lww', op: 'add', value: `v${i}` });
        const state = (p: string): Side['request'] => (i) => ({ method: 'POST', path: p, as: alice, body: stateBody(i) });

        const rows: Row[] = [];
        const measure = async (label: string, oneName: string, sides: Side[], target: Row['target']) => {
            progress(label);
            const [o, one, protocol, extra] = await interleaved(sides);
            rows.push({ label, ours: o, one, protocol, oneName, target });
            return extra;
        };

        const putTarget = (r: Row) =>
            `≤ 2.5× one-call: ${verdict(r.ours.median / r.one.median, 2.5)}; ≤ 1.2× protocol: ${verdict(r.ours.median / r.protocol.median, 1.2)}`;
        await measure('PUT `metadata/user/me`, 1 item', '1 read + 1 write', [
            side('ours', put(() => 'metadata/user/me', 'counter', ours)),
            side('one', put(() => 'one/user/me', 'counter', baseline)),
            side('protocol', put(() => 'protocol/user/me', 'counter', baseline)),
        ], putTarget);
        const noop = await measure('GET `metadata/user/me`', '1 read', [
            side('ours', get(ours('metadata/user/me'))),
            side('one', get(baseline('one/user/me'))),
            side('protocol', get(baseline('protocol/user/me'))),
            side('noop', get(baseline('noop'))),
        ], (r) => `≤ 1.3× one-call: ${verdict(r.ours.median / r.one.median, 1.3)}`);
        await measure('state op `POST metadata/user/me/state`', '1 read + 1 write', [
            side('ours', state(ours('metadata/user/me/state'))),
            side('one', state(baseline('one/user/me/state'))),
            side('protocol', state(baseline('protocol/user/me/state'))),
        ], () => '–');
        await measure('room write by name `PUT metadata/room/team`', '1 read + 1 write', [
            side('ours', put(() => 'metadata/room/team', 'topic', ours)),
            side('one', put(() => 'one/room/team', 'topic', baseline)),
            side('protocol', put(() => 'protocol/room/team', 'topic', baseline)),
        ], putTarget);

        // Throughput: stream k is bench<k>; 20 subjects = stream k writes room bench-<k>, 1 subject = all write bench-00.
        const streamPut = (room: (stream: number) => string, prefix: (p: string) => string, kind: string): Side['request'] => (i, stream) => ({
            method: 'PUT',
            path: prefix(`${kind}/room/${room(stream)}`),
            as: auth(benchUser(stream)),
            body: { items: [{ key: `n${stream}`, value: i }] },
        });
        const loads: Array<{ label: string; results: Throughput[] }> = [];
        for (const [label, room] of [
            [`${IN_FLIGHT} subjects (stream k writes room bench-k)`, (stream: number) => benchRoomId(stream)],
            ['1 subject (every stream writes room bench-00)', () => benchRoomId(0)],
        ] as const) {
            progress(`throughput, ${label}`);
            const results = await throughput([
                side('ours', streamPut(room, ours, 'metadata')),
                side('one', streamPut(room, baseline, 'one')),
                side('protocol', streamPut(room, baseline, 'protocol')),
            ]);
            loads.push({ label, results });
        }

        progress(`events, ${SUBSCRIBERS} subscribers`);
        const ev = await events(dataDir);

        // --- the report ---
        const out: string[] = [];
        out.push('');
        out.push(`Real engine (Apps-Engine 1.62 + Deno, the local host's SQLite persistence), ${os.cpus().length} cores, one instance.`);
        out.push(`Latency: ${ROUNDS} requests per column after ${WARMUP} of warm-up, interleaved one by one in rotating order, ${GAP_MS} ms apart; one user (alice).`);
        out.push('');
        out.push('| operation | ours: median / p99 | one-call baseline: median / p99 | protocol baseline: median / p99 | ours ÷ one-call: median / p99 | ours ÷ protocol: median / p99 | target (medians) |');
        out.push('| --- | --- | --- | --- | --- | --- | --- |');
        for (const r of rows) {
            out.push(
                `| ${r.label} | ${ms(r.ours.median)} / ${ms(r.ours.p99)} ms${errorNote(r.ours)} | ${ms(r.one.median)} / ${ms(r.one.p99)} ms (${r.oneName})${errorNote(r.one)} | ` +
                    `${ms(r.protocol.median)} / ${ms(r.protocol.p99)} ms${errorNote(r.protocol)} | ${ratio(r.ours.median, r.one.median)} / ${ratio(r.ours.p99, r.one.p99)} | ` +
                    `${ratio(r.ours.median, r.protocol.median)} / ${ratio(r.ours.p99, r.protocol.p99)} | ${r.target(r)} |`,
            );
        }
        out.push('');
        out.push(`Throughput: PUT 1 item on a room by id, ${IN_FLIGHT} requests in flight (${IN_FLIGHT} users), ${RUNS} runs of ${SECONDS} s per column, interleaved.`);
        out.push('');
        out.push('| in flight | ours | one-call baseline (1 read + 1 write) | protocol baseline | ours ÷ one-call | ours ÷ protocol | ours p99 under load |');
        out.push('| --- | --- | --- | --- | --- | --- | --- |');
        for (const l of loads) {
            const [o, one, protocol] = l.results;
            const note = (t: Throughput) => errorNote({ median: 0, p99: 0, errors: t.errors });
            out.push(
                `| ${l.label} | ${o.perSecond.toFixed(0)} req/s${note(o)} | ${one.perSecond.toFixed(0)} req/s${note(one)} | ${protocol.perSecond.toFixed(0)} req/s${note(protocol)} | ` +
                    `${(o.perSecond / one.perSecond).toFixed(2)}× | ${(o.perSecond / protocol.perSecond).toFixed(2)}× | ${ms(o.p99)} ms |`,
            );
        }
        out.push('');
        out.push(`Events: ${SUBSCRIBERS} subscribers of user:carol, ${WRITES} writes by carol one after another; delivery = the host's notifyUser time − the client's answer time.`);
        out.push('');
        out.push('| events | median | p99 | max | target |');
        out.push('| --- | --- | --- | --- | --- |');
        const evP99 = quantile(ev.afterAnswer, 0.99);
        out.push(`| delivery after the answer (${ev.afterAnswer.length} deliveries${ev.missing ? `, ${ev.missing} missing after 3 s` : ''}) | ${ms(quantile(ev.afterAnswer, 0.5))} ms | ${ms(evP99)} ms | ${ms(Math.max(...ev.afterAnswer))} ms | p99 ≤ 20 ms: ${verdict(evP99, 20, ' ms')} |`);
        out.push(`| the write's answer (call → answer) | ${ms(quantile(ev.answerMs, 0.5))} ms | ${ms(quantile(ev.answerMs, 0.99))} ms | ${ms(Math.max(...ev.answerMs))} ms | – |`);
        out.push('  (negative delivery: the event went out before the answer)');
        out.push('');
        if (noop) {
            const [putRow, getRow] = rows;
            const calls = PUT_CALLS_BEFORE_ANSWER;
            out.push('Where the time goes (medians):');
            out.push(`- the engine per request (noop endpoint, no persistence call): ${ms(noop.median)} ms (p99 ${ms(noop.p99)} ms)`);
            out.push(`- one persistence read (one-call GET − noop): ${ms(getRow.one.median - noop.median)} ms; one write (one-call PUT − one-call GET): ${ms(putRow.one.median - getRow.one.median)} ms`);
            out.push(`- the protocol's ${calls} calls before a PUT's answer (protocol PUT − noop): ${ms(putRow.protocol.median - noop.median)} ms, ${ms((putRow.protocol.median - noop.median) / calls)} ms per call`);
            out.push(`- the app's own work beyond the protocol's calls (ours − protocol): PUT ${ms(putRow.ours.median - putRow.protocol.median)} ms, GET ${ms(getRow.ours.median - getRow.protocol.median)} ms, room write by name ${ms(rows[3].ours.median - rows[3].protocol.median)} ms`);
        }
        report = out;
    } finally {
        await host.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
    if (TRACE) {
        progress('tracing one request of each kind');
        report.push('');
        report.push('The app\'s calls to the engine, one request of each kind (a separate host with the engine\'s debug log on, which slows every call; +ms from the client sending the request):');
        report.push(...(await trace()));
    }
    report.push('');
    report.push(`(bench took ${((performance.now() - began) / 1000).toFixed(0)} s)`);
    console.log(report.join('\n'));
    agent.destroy();
}

function verdict(value: number, limit: number, unit = '×'): string {
    return `${unit === '×' ? value.toFixed(2) : ms(value)}${unit} ${value <= limit ? 'met' : 'missed'}`;
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
