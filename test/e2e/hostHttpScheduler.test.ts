// The host's HTTP and scheduler bridges on their own (no Deno), driven through the engine's own classes where the
// engine has them (AppSchedulerManager registers processors and wraps them; SchedulerModify is what an app's
// `modify.getScheduler()` calls): webhook delivery and its retries rest on both behaving like a server's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import { AppStatus } from '@rocket.chat/apps-engine/definition/AppStatus';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerModify } from '@rocket.chat/apps-engine/server/accessors/SchedulerModify';
import type { IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import type { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { AppSchedulerManager } from '@rocket.chat/apps-engine/server/managers/AppSchedulerManager';

import { HostHttpBridge } from '../../host/bridges/HttpBridge';
import { HostSchedulerBridge } from '../../host/bridges/SchedulerBridge';
import { DEFAULT_PERSISTENCE_SWITCHES, HostContext } from '../../host/engine/context';
import { jobRoutes } from '../../host/http/jobs';
import type { RequestContext } from '../../host/http/router';
import type { Instance } from '../../host/instance';
import { humanInterval, nextCronTime, nextRecurringRun, parseCron, parseWhen } from '../../host/lib/schedule';
import { seed, SEED_USERS } from '../../host/seed';
import { Store } from '../../host/store/Store';
import { startHost } from '../support/host';

const APP = 'app-under-test';
const OTHER_APP = 'another-app';

let dir: string;
let store: Store;
const cleanups: Array<() => unknown> = [];

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-http-scheduler-'));
    store = new Store(dir);
});

afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
        await cleanup();
    }
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

function context(instanceId = 'test', pollMs = 50): HostContext {
    const ctx = new HostContext(store, instanceId, 0, DEFAULT_PERSISTENCE_SWITCHES, { schedulerPollMs: pollMs });
    seed(ctx, { siteUrl: 'http://127.0.0.1:0' });
    return ctx;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = check();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(10);
    }
}

// --- HTTP ----------------------------------------------------------------------------------------------------

interface Received {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** A receiver on 127.0.0.1 that records every request and answers with `answer`. */
async function receiver(answer: (req: Received, res: http.ServerResponse) => void = (_req, res) => res.end('ok')): Promise<{ base: string; port: number; received: Received[] }> {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
            received.push(r);
            answer(r, res);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
        () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    );
    const port = (server.address() as AddressInfo).port;
    return { base: `http://127.0.0.1:${port}`, port, received };
}

/** The bridge's call as the engine's doCall makes it (the permission check aside). */
function httpCall(ctx: HostContext, method: string, url: string, request: IHttpBridgeRequestInfo['request'] = {}): Promise<IHttpResponse> {
    const bridge = new HostHttpBridge(ctx) as unknown as { call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> };
    return bridge.call({ appId: APP, method: method as RequestMethod, url, request });
}

describe('HTTP bridge: real requests to loopback, answered like Rocket.Chat', () => {
    it('POSTs `data` as JSON with the headers and params, and parses a JSON answer into data', async () => {
        const r = await receiver((_req, res) => {
            res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'x-answer': 'yes' });
            res.end(JSON.stringify({ accepted: true }));
        });
        const response = await httpCall(context(), RequestMethod.POST, `${r.base}/hook?a=1`, {
            headers: { 'X-Metadata-Delivery': 'd-1', 'content-type': 'text/plain' },
            params: { b: '2', empty: '' },
            data: { id: 'd-1', items: [1, 2] },
            timeout: 5000,
        });
        expect(response).toMatchObject({ url: `${r.base}/hook?a=1`, method: 'post', statusCode: 201, content: '{"accepted":true}', data: { accepted: true } });
        expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-answer': 'yes' });
        const [got] = r.received;
        expect(got.method).toBe('POST');
        // params go into the query when there is a body; empty values are left out, as the server does
        expect(got.url).toBe('/hook?a=1&b=2');
        expect(JSON.parse(got.body)).toEqual({ id: 'd-1', items: [1, 2] });
        // the server's fetch forces the JSON content type for an object body
        expect(got.headers['content-type']).toBe('application/json');
        expect(got.headers['x-metadata-delivery']).toBe('d-1');
        expect(got.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));
        expect(got.headers['user-agent']).toMatch(/^node-fetch/);
    });

    it('sends `content` as it is, with the content type the app gave; a non-JSON answer has data null', async () => {
        const r = await receiver((_req, res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end('{"looks":"like json"}');
        });
        const body = '{"exact":"bytes","n":1}';
        const response = await httpCall(context(), 'put', `${r.base}/raw`, { content: body, headers: { 'Content-Type': 'application/vnd.test+json' } });
        expect(r.received[0]).toMatchObject({ method: 'PUT', body });
        expect(r.received[0].headers['content-type']).toBe('application/vnd.test+json');
        expect(response.content).toBe('{"looks":"like json"}');
        expect(response.data).toBeNull();
    });

    it('puts params of a GET into the query and sends no body; a body-less POST sends its params as a form', async () => {
        const r = await receiver();
        await httpCall(context(), 'get', `${r.base}/q`, { params: { x: 'a b', y: 'ü' }, content: 'ignored for GET' });
        expect(r.received[0]).toMatchObject({ method: 'GET', url: '/q?x=a+b&y=%C3%BC', body: '' });
        await httpCall(context(), 'post', `${r.base}/form`, { params: { x: '1', y: '2' } });
        expect(r.received[1]).toMatchObject({ method: 'POST', url: '/form', body: 'x=1&y=2' });
        expect(r.received[1].headers['content-type']).toBe('application/x-www-form-urlencoded');
        // the engine always passes params ({} at least): an empty form then
        await httpCall(context(), 'post', `${r.base}/empty`, { params: {} });
        expect(r.received[2]).toMatchObject({ body: '' });
        expect(r.received[2].headers['content-type']).toBe('application/x-www-form-urlencoded');
    });

    it('answers any status (no exception for 4xx/5xx) and does not follow redirects', async () => {
        const r = await receiver((req, res) => {
            if (req.url === '/moved') {
                res.writeHead(302, { location: '/elsewhere' });
                res.end();
            } else {
                res.writeHead(503, { 'content-type': 'application/json' });
                res.end('{"error":"busy"}');
            }
        });
        const failing = await httpCall(context(), 'post', `${r.base}/hook`, { data: {} });
        expect(failing).toMatchObject({ statusCode: 503, data: { error: 'busy' } });
        const moved = await httpCall(context(), 'get', `${r.base}/moved`);
        expect(moved.statusCode).toBe(302);
        expect(moved.headers?.location).toBe('/elsewhere');
        expect(r.received.map((x) => x.url)).toEqual(['/hook', '/moved']);
    });

    it('honours the timeout in ms: a receiver that never answers fails the call soon after it', async () => {
        const r = await receiver(() => undefined); // never answers
        const started = Date.now();
        await expect(httpCall(context(), 'post', `${r.base}/slow`, { data: { a: 1 }, timeout: 300 })).rejects.toThrow(/The user aborted a request\. \(the app's timeout of 300 ms/);
        const took = Date.now() - started;
        expect(took).toBeGreaterThanOrEqual(290);
        expect(took).toBeLessThan(2000);
        expect(r.received).toHaveLength(1);
    });

    it('reports a refused connection in node-fetch words', async () => {
        // a port nothing listens on: take a server's and close it
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const free = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        await expect(httpCall(context(), 'post', `http://127.0.0.1:${free}/hook`, { data: {} })).rejects.toThrow(`request to http://127.0.0.1:${free}/hook failed, reason: connect ECONNREFUSED 127.0.0.1:${free}`);
    });

    it('reaches localhost and other 127.0.0.0/8 spellings; decodes gzip; answers the bytes with encoding null; sends Basic auth', async () => {
        const r = await receiver((req, res) => {
            if (req.url === '/gz') {
                res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
                res.end(zlib.gzipSync(JSON.stringify({ zipped: true })));
            } else {
                res.end(Buffer.from([0, 1, 2, 255]));
            }
        });
        const ctx = context();
        expect((await httpCall(ctx, 'get', `http://localhost:${r.port}/gz`)).data).toEqual({ zipped: true });
        expect((await httpCall(ctx, 'get', `http://2130706433:${r.port}/gz`)).statusCode).toBe(200);
        const raw = await httpCall(ctx, 'get', `${r.base}/bytes`, { encoding: null, auth: 'user:secret' });
        expect(Buffer.isBuffer(raw.content)).toBe(true);
        expect([...(raw.content as unknown as Buffer)]).toEqual([0, 1, 2, 255]);
        expect(r.received[2].headers.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
        await expect(httpCall(ctx, 'get', `${r.base}/bytes`, { auth: 'no-colon' })).rejects.toThrow('auth option should be of the form "username:password"');
    });

    it('refuses anything but loopback, with an error the app receives and a line in host.log', async () => {
        const ctx = context();
        for (const url of ['https://example.com/hook', 'http://10.0.0.1/hook', 'http://0.0.0.0:3000/', 'http://[::ffff:10.0.0.1]/', 'http://localhost.example.com/', 'ftp://127.0.0.1/file']) {
            await expect(httpCall(ctx, 'post', url, { data: {} }), url).rejects.toThrow(
                /^The local Apps-Engine host sends HTTP requests only to loopback addresses \(127\.0\.0\.0\/8, ::1, localhost\): refused POST /,
            );
        }
        const lines = ctx.log.list({ level: 'error' }).filter((l) => l.source === 'http');
        expect(lines).toHaveLength(6);
        expect(lines[0].text).toBe(`app ${APP}: The local Apps-Engine host sends HTTP requests only to loopback addresses (127.0.0.0/8, ::1, localhost): refused POST https://example.com/hook`);
    });
});

// --- scheduler -----------------------------------------------------------------------------------------------

interface Sent {
    instance: string;
    at: number;
    method: string;
    jobContext: Record<string, unknown>;
}

/**
 * One instance's scheduler as the engine drives it: the host bridge, the engine's AppSchedulerManager (which
 * registers the app's processors with the bridge, wrapped) and SchedulerModify (the app's modify.getScheduler()),
 * with the app's runtime replaced by a recorder of what the engine sends it.
 */
function schedulerInstance(instanceId: string, opts: { pollMs?: number; sent?: Sent[]; onRun?: (s: Sent) => Promise<void> | void } = {}) {
    const ctx = context(instanceId, opts.pollMs ?? 50);
    const bridge = new HostSchedulerBridge(ctx);
    const sent = opts.sent ?? [];
    const app = {
        status: AppStatus.AUTO_ENABLED as AppStatus,
        previous: AppStatus.INITIALIZED as AppStatus,
        async getStatus() {
            return this.status;
        },
        getPreviousStatus() {
            return this.previous;
        },
        getRuntimeController: () => ({
            sendRequest: async (req: { method: string; params: unknown[] }) => {
                const s = { instance: instanceId, at: Date.now(), method: req.method, jobContext: req.params[0] as Record<string, unknown> };
                sent.push(s);
                await opts.onRun?.(s);
                return null;
            },
        }),
    };
    const manager = { getBridges: () => ({ getSchedulerBridge: () => bridge }), getOneById: () => app } as unknown as AppManager;
    const engine = new AppSchedulerManager(manager);
    const modify = new SchedulerModify(bridge, APP);
    cleanups.push(() => bridge.stop());
    return { ctx, bridge, engine, modify, app, sent, jobs: () => bridge.jobs.list() };
}

const noop = async () => undefined;

describe('scheduler bridge: jobs in the store, run through the engine', () => {
    it('runs a one-time job when due: the engine sends scheduler:<id> with the data and jobId, then the job is gone', async () => {
        const s = schedulerInstance('i0');
        await s.engine.registerProcessors([{ id: 'deliver', processor: noop }], APP);
        const when = new Date(Date.now() + 300);
        const jobId = await s.modify.scheduleOnce({ id: 'deliver', when, data: { webhook: 'w1', attempt: 2 } });
        expect(jobId).toMatch(/^[0-9a-f]{24}$/);
        expect(s.jobs()).toMatchObject([{ _id: jobId, name: `deliver_${APP}`, appId: APP, type: 'normal', data: { webhook: 'w1', attempt: 2, appId: APP }, nextRunAt: when.toISOString() }]);
        await sleep(150);
        expect(s.sent).toEqual([]);
        await until('the run', () => s.sent.length === 1);
        expect(s.sent[0].at).toBeGreaterThanOrEqual(when.getTime());
        expect(s.sent[0].at).toBeLessThan(when.getTime() + 200);
        // the app's own processor id (the engine's registry key), and the context without the internal appId
        expect(s.sent[0]).toMatchObject({ instance: 'i0', method: 'scheduler:deliver' });
        expect(s.sent[0].jobContext).toEqual({ webhook: 'w1', attempt: 2, jobId });
        await until('the job removed', () => s.jobs().length === 0);
    });

    it('reads `when` as a Date, a date string, or a relative "in N seconds"', async () => {
        const s = schedulerInstance('i0');
        await s.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        const now = Date.now();
        await s.modify.scheduleOnce({ id: 'p', when: new Date(now + 60_000).toISOString() });
        await s.modify.scheduleOnce({ id: 'p', when: 'in 2 minutes' });
        await s.modify.scheduleOnce({ id: 'p', when: '3 minutes' });
        const due = s.jobs().map((j) => Date.parse(j.nextRunAt as string) - now);
        expect(due[0]).toBe(60_000);
        expect(due[1]).toBeGreaterThanOrEqual(120_000);
        expect(due[1]).toBeLessThan(121_000);
        expect(due[2]).toBeGreaterThanOrEqual(180_000);
        // what the host cannot read is not scheduled; like the server, the app gets undefined, and host.log says why
        expect(await s.modify.scheduleOnce({ id: 'p', when: 'tomorrow at noon' })).toBeUndefined();
        expect(s.ctx.log.list({ level: 'error' }).at(-1)?.text).toMatch(/scheduleOnce p_app-under-test: "tomorrow at noon" is not a time the host understands/);
        expect(s.jobs()).toHaveLength(3);
    });

    it('runs a recurring job now and then every interval; skipImmediate waits one interval; cancelJob(id) stops it', async () => {
        const s = schedulerInstance('i0', { pollMs: 20 });
        await s.engine.registerProcessors([{ id: 'tick', processor: noop }, { id: 'later', processor: noop }], APP);
        const started = Date.now();
        const tickId = await s.modify.scheduleRecurring({ id: 'tick', interval: 200, data: { k: 'v' } });
        await s.modify.scheduleRecurring({ id: 'later', interval: 400, skipImmediate: true });
        await until('three ticks', () => s.sent.filter((x) => x.method === 'scheduler:tick').length >= 3, 3000);
        const ticks = s.sent.filter((x) => x.method === 'scheduler:tick');
        expect(ticks[0].jobContext).toEqual({ k: 'v', jobId: tickId });
        const firstLater = await until('the skipImmediate job', () => s.sent.find((x) => x.method === 'scheduler:later'), 3000);
        expect(firstLater).toBeDefined();
        expect(Date.now() - started).toBeGreaterThanOrEqual(380);
        // scheduling the same recurring job again updates it (one job per name), it does not add one
        expect(await s.modify.scheduleRecurring({ id: 'tick', interval: 200, data: { k: 'w' } })).toBe(tickId);
        expect(s.jobs().filter((j) => j.name === `tick_${APP}`)).toHaveLength(1);
        await s.modify.cancelJob(tickId as string);
        await sleep(50);
        const count = s.sent.filter((x) => x.method === 'scheduler:tick').length;
        await sleep(500);
        expect(s.sent.filter((x) => x.method === 'scheduler:tick').length).toBe(count);
        expect(s.jobs().map((j) => j.name)).toEqual([`later_${APP}`]);
    });

    it('cancelJob(name) cancels every job of a processor, cancelAllJobs every job of the app only', async () => {
        const s = schedulerInstance('i0');
        const other = new SchedulerModify(s.bridge, OTHER_APP);
        await s.engine.registerProcessors([{ id: 'a', processor: noop }, { id: 'b', processor: noop }], APP);
        const later = new Date(Date.now() + 60_000);
        const a1 = await s.modify.scheduleOnce({ id: 'a', when: later });
        await s.modify.scheduleOnce({ id: 'a', when: later });
        await s.modify.scheduleOnce({ id: 'b', when: later });
        await s.modify.scheduleRecurring({ id: 'b-every', interval: '1 hour', skipImmediate: true });
        await other.scheduleOnce({ id: 'a', when: later });
        expect(s.jobs()).toHaveLength(5);
        await s.modify.cancelJob(a1 as string); // by id: just that one
        expect(s.jobs().filter((j) => j.name === `a_${APP}`)).toHaveLength(1);
        await s.modify.cancelJob('a'); // by name: all of them
        expect(s.jobs().filter((j) => j.name === `a_${APP}`)).toHaveLength(0);
        await s.modify.cancelAllJobs();
        expect(s.jobs().map((j) => j.name)).toEqual([`a_${OTHER_APP}`]);
    });

    it('cancelJob of a 12-character name cancels nothing, as on a server (bson reads it as an ObjectId)', async () => {
        const s = schedulerInstance('i0');
        await s.modify.scheduleOnce({ id: 'deliverhooks', when: new Date(Date.now() + 60_000) });
        await s.modify.cancelJob('deliverhooks');
        expect(s.jobs()).toHaveLength(1);
        await s.modify.cancelJob('deliver-hooks');
        expect(s.jobs()).toHaveLength(1);
    });

    it('logs a processor error and goes on: a failed one-time job stays, not to run again, with its error', async () => {
        const s = schedulerInstance('i0', {
            onRun: (x) => {
                if (x.jobContext.fail) throw new Error('receiver exploded');
            },
        });
        await s.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        const failing = await s.modify.scheduleOnce({ id: 'p', when: new Date(), data: { fail: true } });
        await s.modify.scheduleOnce({ id: 'p', when: new Date(Date.now() + 100), data: { fail: false } });
        await until('both runs', () => s.sent.length === 2);
        await until('the good one removed', () => s.jobs().length === 1);
        expect(s.jobs()[0]).toMatchObject({ _id: failing, nextRunAt: null, failCount: 1, runCount: 1, lastError: 'receiver exploded', lockedBy: null });
        expect(s.ctx.log.list({ level: 'error' }).some((l) => l.source === 'scheduler' && l.text.includes(`job ${failing} (p_${APP}) failed`) && l.text.includes('receiver exploded'))).toBe(true);
        await sleep(200);
        expect(s.sent).toHaveLength(2);
    });

    it('a job due while the app is disabled resolves without running (the engine skips it) and is gone, as on a server', async () => {
        const s = schedulerInstance('i0');
        await s.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        s.app.status = AppStatus.MANUALLY_DISABLED;
        await s.modify.scheduleOnce({ id: 'p', when: new Date() });
        await until('the job consumed', () => s.jobs().length === 0);
        expect(s.sent).toEqual([]);
    });

    it('startup settings: registering on every start and every instance keeps one recurring job and one one-time job', async () => {
        const a = schedulerInstance('a');
        const b = schedulerInstance('b');
        const processors = [
            { id: 'sweep', processor: noop, startupSetting: { type: StartupType.RECURRING as const, interval: '10 minutes', skipImmediate: true } },
            { id: 'init', processor: noop, startupSetting: { type: StartupType.ONETIME as const, when: 'in 10 minutes', data: { first: true } } },
        ];
        const ids = await a.engine.registerProcessors(processors, APP);
        expect(ids).toHaveLength(2);
        await b.engine.registerProcessors(processors, APP);
        await a.engine.registerProcessors(processors, APP);
        expect(a.jobs().map((j) => [j.name, j.type]).sort()).toEqual([
            [`init_${APP}`, 'normal'],
            [`sweep_${APP}`, 'single'],
        ]);
    });

    it('survives a restart: a job scheduled before the stop runs after the bridge is built again over the same store', async () => {
        const sent: Sent[] = [];
        const first = schedulerInstance('run-1', { sent });
        await first.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        const soon = await first.modify.scheduleOnce({ id: 'p', when: new Date(Date.now() + 400), data: { n: 'soon' } });
        const past = await first.modify.scheduleOnce({ id: 'p', when: new Date(Date.now() + 100), data: { n: 'while-down' } });
        first.bridge.stop();
        await sleep(300); // `past` falls due while nothing runs
        expect(sent).toEqual([]);
        const second = schedulerInstance('run-2', { sent });
        await second.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        await until('both jobs', () => sent.length === 2);
        expect(sent.map((x) => [x.instance, x.jobContext.jobId])).toEqual([
            ['run-2', past],
            ['run-2', soon],
        ]);
    });

    it('a run cut short by a stop runs again on the next start (at least once)', async () => {
        const sent: Sent[] = [];
        let hang = true;
        const first = schedulerInstance('run-1', { sent, onRun: () => (hang ? new Promise<void>(() => undefined) : undefined) });
        await first.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        const id = await first.modify.scheduleOnce({ id: 'p', when: new Date() });
        await until('the first run started', () => sent.length === 1);
        expect(first.jobs()[0].lockedBy).toBe('run-1');
        first.bridge.stop();
        hang = false;
        const second = schedulerInstance('run-2', { sent });
        await second.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        await until('the second run', () => sent.length === 2);
        expect(sent[1]).toMatchObject({ instance: 'run-2', jobContext: { jobId: id } });
        await until('the job done', () => second.jobs().length === 0);
    });

    it('takes over a job locked by an instance whose process is gone (a crash)', async () => {
        const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
        store.db.prepare('INSERT INTO instances (id, idx, pid, port, started_at) VALUES (?, 0, ?, 0, ?)').run('crashed', dead, new Date().toISOString());
        const s = schedulerInstance('survivor');
        const id = await s.modify.scheduleOnce({ id: 'p', when: new Date() });
        store.db.prepare('UPDATE scheduler_jobs SET locked_by = ?, locked_at = ? WHERE _id = ?').run('crashed', Date.now(), id);
        // a live lock holder (one the store does not know counts as alive) keeps it
        const held = await s.modify.scheduleOnce({ id: 'p', when: new Date() });
        store.db.prepare('UPDATE scheduler_jobs SET locked_by = ?, locked_at = ? WHERE _id = ?').run('busy-elsewhere', Date.now(), held);
        await s.engine.registerProcessors([{ id: 'p', processor: noop }], APP);
        await until('the crashed job rerun', () => s.sent.length === 1);
        expect(s.sent[0].jobContext.jobId).toBe(id);
        await sleep(200);
        expect(s.sent).toHaveLength(1);
        expect(s.ctx.log.list({ level: 'warn' }).some((l) => l.text.includes(`job ${id} (p_${APP}) was left locked by instance crashed`))).toBe(true);
    });

    it('two instances over one store run every occurrence once', async () => {
        const sent: Sent[] = [];
        const slow = async (): Promise<void> => {
            await sleep(5);
        };
        const a = schedulerInstance('a', { sent, pollMs: 5, onRun: slow });
        const b = schedulerInstance('b', { sent, pollMs: 5, onRun: slow });
        // both register the processors, as both engines do when the app is enabled on each
        await a.engine.registerProcessors([{ id: 'once', processor: noop }, { id: 'every', processor: noop }], APP);
        await b.engine.registerProcessors([{ id: 'once', processor: noop }, { id: 'every', processor: noop }], APP);
        const at = Date.now() + 100;
        const ids: string[] = [];
        for (let i = 0; i < 30; i++) {
            ids.push((await (i % 2 ? a : b).modify.scheduleOnce({ id: 'once', when: new Date(at + (i % 3)), data: { i } })) as string);
        }
        await a.modify.scheduleRecurring({ id: 'every', interval: 150 });
        await until('all one-time jobs', () => sent.filter((s) => s.method === 'scheduler:once').length >= 30);
        await sleep(700);
        const once = sent.filter((s) => s.method === 'scheduler:once');
        expect(once).toHaveLength(30);
        expect(new Set(once.map((s) => s.jobContext.jobId))).toEqual(new Set(ids));
        expect(new Set(once.map((s) => s.instance))).toEqual(new Set(['a', 'b']));
        // occurrences of the recurring job: one run each. A second run of one occurrence would come within a few ms
        // of the first; runs of consecutive occurrences are about an interval (150 ms) apart, give or take the timers
        // of a busy machine, so the bound sits well between the two.
        const every = sent.filter((s) => s.method === 'scheduler:every').map((s) => s.at);
        expect(every.length).toBeGreaterThanOrEqual(3);
        for (let i = 1; i < every.length; i++) {
            expect(every[i] - every[i - 1]).toBeGreaterThanOrEqual(75);
        }
    });
});

describe('schedule expressions', () => {
    it('human intervals as human-interval reads them; milliseconds refused (the server reads them as seconds)', () => {
        expect(humanInterval('10 seconds')).toBe(10_000);
        expect(humanInterval('1.5 minutes')).toBe(90_000);
        expect(humanInterval('one minute')).toBe(60_000);
        expect(humanInterval('minute')).toBe(60_000);
        expect(humanInterval('3 days and 4 hours')).toBe(3 * 86_400_000 + 4 * 3_600_000);
        expect(humanInterval('3 days, 4 hours and 36 seconds')).toBe(3 * 86_400_000 + 4 * 3_600_000 + 36_000);
        expect(humanInterval('2 months')).toBe(60 * 86_400_000);
        expect(humanInterval(2500)).toBe(2500);
        expect(humanInterval('2500')).toBe(2500);
        expect(() => humanInterval('100 milliseconds')).toThrow(/reads "milliseconds" as seconds/);
        expect(() => humanInterval('every so often')).toThrow(/not an interval the host understands/);
        expect(() => humanInterval(0)).toThrow(/positive/);
    });

    it('when: dates first (as Agenda), then now / in N units / N units from now', () => {
        const now = Date.UTC(2030, 0, 1, 12, 0, 0);
        expect(parseWhen('2030-01-02T00:00:00.000Z', now)).toBe(Date.UTC(2030, 0, 2));
        expect(parseWhen(new Date(now + 5), now)).toBe(now + 5);
        expect(parseWhen('now', now)).toBe(now);
        expect(parseWhen('in 5 seconds', now)).toBe(now + 5000);
        expect(parseWhen('5 seconds from now', now)).toBe(now + 5000);
        expect(parseWhen('2 minutes later', now)).toBe(now + 120_000);
        expect(() => parseWhen('next tuesday', now)).toThrow(/not a time the host understands/);
        expect(() => parseWhen({}, now)).toThrow(/must be a Date or a string/);
    });

    it('cron: 5 or 6 fields, steps, ranges, lists and names, in local time', () => {
        const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();
        const base = at(2030, 1, 1, 10, 7, 30); // a Tuesday
        expect(nextCronTime(parseCron('*/15 * * * *')!, base)).toBe(at(2030, 1, 1, 10, 15));
        expect(nextCronTime(parseCron('*/20 * * * * *')!, base)).toBe(at(2030, 1, 1, 10, 7, 40));
        expect(nextCronTime(parseCron('0 9 * * MON-FRI')!, base)).toBe(at(2030, 1, 2, 9));
        expect(nextCronTime(parseCron('30 8 1,15 * *')!, base)).toBe(at(2030, 1, 15, 8, 30));
        expect(nextCronTime(parseCron('0 0 1 mar *')!, base)).toBe(at(2030, 3, 1));
        expect(nextCronTime(parseCron('0 0 * * 0')!, base)).toBe(at(2030, 1, 6)); // Sunday
        expect(nextCronTime(parseCron('0 0 * * 7')!, base)).toBe(at(2030, 1, 6));
        // day of month OR day of week when both are restricted
        expect(nextCronTime(parseCron('0 0 13 * 5')!, base)).toBe(at(2030, 1, 4));
        expect(parseCron('10 seconds')).toBeUndefined();
        expect(() => parseCron('61 * * * *')).toThrow(/not within 0-59/);
        expect(nextRecurringRun('0 * * * *', base)).toBe(at(2030, 1, 1, 11));
        expect(nextRecurringRun('10 minutes', base)).toBe(base + 600_000);
    });
});

describe('GET /api/v1/host.jobs', () => {
    it('lists the jobs for admins, filtered by app or name; others get 403', async () => {
        const s = schedulerInstance('i0');
        await s.modify.scheduleOnce({ id: 'p', when: new Date(Date.now() + 60_000), data: { x: 1 } });
        await new SchedulerModify(s.bridge, OTHER_APP).scheduleRecurring({ id: 'q', interval: '5 minutes', skipImmediate: true });
        const router = jobRoutes({ engine: { bridges: { scheduler: s.bridge } } } as unknown as Instance);
        const { route } = router.find('GET', '/api/v1/host.jobs');
        const ask = (query: Record<string, string>, userId: string) =>
            (route as { handler: (rc: RequestContext) => Promise<unknown> }).handler({ query, user: s.ctx.users.findById(userId) } as unknown as RequestContext);
        const all = (await ask({}, SEED_USERS.admin.id)) as { jobs: Array<Record<string, unknown>>; count: number };
        expect(all.count).toBe(2);
        expect(all.jobs[0]).toMatchObject({ name: `p_${APP}`, appId: APP, type: 'normal', data: { x: 1, appId: APP }, lockedBy: null, runCount: 0 });
        expect(all.jobs[1]).toMatchObject({ name: `q_${OTHER_APP}`, type: 'single', repeatInterval: '5 minutes' });
        expect(((await ask({ appId: OTHER_APP }, SEED_USERS.admin.id)) as { count: number }).count).toBe(1);
        expect(((await ask({ name: `p_${APP}` }, SEED_USERS.admin.id)) as { count: number }).count).toBe(1);
        await expect(ask({}, SEED_USERS.alice.id)).rejects.toMatchObject({ status: 403 });
    });
});

describe('the running host', () => {
    it('serves host.jobs (admin only) and takes --scheduler-poll', async () => {
        const host = await startHost({ schedulerPollMs: 200 });
        cleanups.push(() => host.stop());
        // the app's one job: the webhook sweep, scheduled by its processor's startup setting when the app was enabled
        expect((await host.first.jobs()).map((job) => [job.name, job.repeatInterval])).toEqual([[`webhook-sweep_${host.appId}`, '10 seconds']]);
        const denied = await host.first.rest('alice', 'GET', '/api/v1/host.jobs');
        expect(denied.status).toBe(403);
    }, 120_000);
});
