// End-to-end harness: runs the PACKAGED app (dist/*.zip) in the real Apps-Engine through the local host
// (host/, bundled to build/host.cjs) in separate processes, and talks to it over its REST API like a client would.
//
//   const host = await startHost({ instances: 2 });
//   const a = host.instances[0];
//   await a.command('alice', 'team', 'set theme=dark');            // → { status, body, replies }
//   await a.api('alice', 'GET', 'metadata/user/me');                // the app's endpoints, authenticated as alice
//   await host.restart();  await host.updateApp({ version: '0.1.1' });  await host.stop();
//
// Every startHost() gets its own data dir (a fresh temp dir unless given) and free ports, so test files can run in
// parallel. The host runs with app permission checks ON (NODE_ENV is removed from its environment).
import AdmZip from 'adm-zip';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { AppSummary } from '../../host/engine/AppsHost';
import type { PersistenceSwitches } from '../../host/engine/context';
import type { InstanceInfo } from '../../host/instance';
import type { HostMessage } from '../../host/main';
import { SEED_ROOMS, SEED_USERS } from '../../host/seed';
import type { NotificationRecord } from '../../host/store/docs';
import type { JobView } from '../../host/store/Jobs';

const root = path.resolve(__dirname, '../..');
const hostBundle = path.join(root, 'build', 'host.cjs');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { id: string; nameSlug: string; version: string };

export const APP_ID = manifest.id;
export const DEFAULT_ZIP = path.join(root, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);
export { SEED_ROOMS, SEED_USERS };

export type UserName = keyof typeof SEED_USERS;
/** a seeded room by key (general, team, secret, dmAliceBob, dmAliceCarol) or any room id */
export type RoomRef = keyof typeof SEED_ROOMS | (string & {});

export interface StartHostOptions {
    /** host processes over one shared store (default 1) */
    instances?: number;
    /** keep the store here (kept on stop); default: a fresh temp dir, deleted on stop */
    dataDir?: string;
    /** Rocket.Chat version flavours of the persistence bridge (defaults: throws-after-write, one, purge one) */
    persistence?: Partial<PersistenceSwitches>;
    /** Message_CustomFields_Enabled on a fresh store (default false, as on a server) */
    messageCustomFields?: boolean;
    /** --scheduler-poll: how often each instance looks for due app jobs scheduled elsewhere (host default 1000 ms) */
    schedulerPollMs?: number;
    /** the package to install or update on start (default: dist/<slug>_<version>.zip, packaged when stale) */
    appZip?: string;
    /** false: start with what the store has installed (default true) */
    install?: boolean;
    /** print the host's output as it runs (default: only shown when start fails; also HOST_VERBOSE=1) */
    verbose?: boolean;
    /** give up waiting for the host after this long (default 90 s) */
    startTimeoutMs?: number;
}

export interface HttpResult<T = Record<string, unknown>> {
    status: number;
    body: T;
    headers: Headers;
}

export interface CommandResult extends HttpResult {
    /** the ephemeral messages the caller received while the command ran */
    replies: NotificationRecord[];
}

// --- building ------------------------------------------------------------------------------------------------

function newestMtime(entry: string): number {
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) {
        return stat.mtimeMs;
    }
    return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((e) => newestMtime(path.join(entry, e))));
}

function withLock<T>(name: string, fn: () => T): T {
    const lock = path.join(root, 'build', `.${name}.lock`);
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    const deadline = Date.now() + 180_000;
    for (;;) {
        try {
            fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
            break;
        } catch {
            const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
            if (age > 300_000) fs.rmSync(lock, { force: true });
            if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        }
    }
    try {
        return fn();
    } finally {
        fs.rmSync(lock, { force: true });
    }
}

let built = false;
let packaged = false;

/**
 * Bundles the host (always, it takes ~100 ms) and packages the app when dist/'s zip is older than its sources
 * (unless `app: false`: a host started with another package does not need it). Safe to call from parallel test files.
 */
export function ensureBuilt(opts: { app?: boolean } = {}): void {
    const app = opts.app ?? true;
    if (built && (packaged || !app)) {
        return;
    }
    withLock('harness-build', () => {
        const sources = ['src', 'i18n', 'app.json', 'icon.png', path.join('scripts', 'package.mjs')].map((p) => path.join(root, p)).filter((p) => fs.existsSync(p));
        const zipTime = fs.existsSync(DEFAULT_ZIP) ? fs.statSync(DEFAULT_ZIP).mtimeMs : 0;
        if (app && zipTime < Math.max(...sources.map(newestMtime))) {
            const pkg = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8' });
            if (pkg.status !== 0) {
                throw new Error(`npm run package failed:\n${pkg.stdout}\n${pkg.stderr}`);
            }
        }
        const host = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-host.mjs')], { cwd: root, encoding: 'utf8' });
        if (host.status !== 0) {
            throw new Error(`building the host failed:\n${host.stdout}\n${host.stderr}`);
        }
    });
    built = true;
    packaged ||= app;
}

/** A copy of a package with another version in its app.json (to exercise updates), written to a temp file. */
export function withVersion(zipPath: string, version: string): string {
    const zip = new AdmZip(zipPath);
    const info = JSON.parse(zip.readAsText('app.json'));
    zip.updateFile('app.json', Buffer.from(JSON.stringify({ ...info, version }, null, 4)));
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-store-zip-')), `${info.nameSlug}_${version}.zip`);
    zip.writeZip(out);
    return out;
}

// --- one instance's client -----------------------------------------------------------------------------------

export class HostInstance {
    private readonly credentials = new Map<UserName, { userId: string; authToken: string }>();

    constructor(
        readonly info: InstanceInfo,
        private readonly appId: string,
    ) {}

    get index(): number {
        return this.info.index;
    }

    get url(): string {
        return this.info.url;
    }

    get port(): number {
        return this.info.port;
    }

    /** Logs in with the seeded password (POST /api/v1/login); cached per user. */
    async login(user: UserName): Promise<{ userId: string; authToken: string }> {
        const cached = this.credentials.get(user);
        if (cached) {
            return cached;
        }
        const res = await this.rest(null, 'POST', '/api/v1/login', { user, password: SEED_USERS[user].password });
        if (res.status !== 200) {
            throw new Error(`login as ${user} failed: ${res.status} ${JSON.stringify(res.body)}`);
        }
        const data = res.body.data as { userId: string; authToken: string };
        this.credentials.set(user, data);
        return data;
    }

    /** Any request to the host. `as`: a seeded user (logged in), explicit headers, or null for none. */
    async rest<T = Record<string, unknown>>(as: UserName | null | Record<string, string>, method: string, urlPath: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<HttpResult<T>> {
        const headers: Record<string, string> = { ...extraHeaders };
        if (typeof as === 'string') {
            const { userId, authToken } = await this.login(as);
            headers['X-User-Id'] = userId;
            headers['X-Auth-Token'] = authToken;
        } else if (as) {
            Object.assign(headers, as);
        }
        let payload: string | FormData | undefined;
        if (body instanceof FormData) {
            payload = body;
        } else if (body !== undefined) {
            payload = typeof body === 'string' ? body : JSON.stringify(body);
            headers['Content-Type'] ??= 'application/json';
        }
        const res = await fetch(`${this.url}${urlPath}`, { method, headers, body: payload });
        const text = await res.text();
        let parsed: unknown = text;
        try {
            parsed = text ? JSON.parse(text) : undefined;
        } catch {
            // not JSON: keep the text
        }
        return { status: res.status, body: parsed as T, headers: res.headers };
    }

    /** An app endpoint: `path` relative to /api/apps/public/<appId>/ (e.g. `metadata/user/me?keys=a`). */
    api<T = Record<string, unknown>>(as: UserName | null | Record<string, string>, method: string, endpointPath: string, body?: unknown): Promise<HttpResult<T>> {
        return this.rest<T>(as, method, `/api/apps/public/${this.appId}/${endpointPath.replace(/^\//, '')}`, body);
    }

    /**
     * Runs a slash command (default /meta) as `user` in `room` — in a thread with `tmid` — and returns the answer and
     * the caller's ephemeral replies.
     */
    async command(user: UserName, room: RoomRef, params: string, opts: string | { command?: string; tmid?: string } = {}): Promise<CommandResult> {
        const { command = 'meta', tmid } = typeof opts === 'string' ? { command: opts } : opts;
        const before = await this.notifications(user);
        const since = before.length ? before[before.length - 1].seq : 0;
        const res = await this.rest(user, 'POST', '/api/v1/commands.run', { command, params, roomId: roomId(room), ...(tmid && { tmid }) });
        const replies = await this.notifications(user, { since });
        return { ...res, replies };
    }

    /** A room's messages, oldest first. */
    async messages(room: RoomRef, as: UserName = 'admin'): Promise<Array<Record<string, unknown>>> {
        const res = await this.rest(as, 'GET', `/api/v1/host.messages?roomId=${encodeURIComponent(roomId(room))}&count=1000`);
        if (res.status !== 200) {
            throw new Error(`messages of ${room}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        return (res.body.messages as Array<Record<string, unknown>>).reverse();
    }

    /** The user's ephemeral messages after `since` (oldest first); `wait` long-polls up to that many ms for one. */
    async notifications(user: UserName, opts: { since?: number; wait?: number; roomId?: string } = {}): Promise<NotificationRecord[]> {
        const q = new URLSearchParams({ since: String(opts.since ?? 0) });
        if (opts.wait) q.set('wait', String(opts.wait));
        if (opts.roomId) q.set('roomId', opts.roomId);
        const res = await this.rest(user, 'GET', `/api/v1/host.notifications?${q}`);
        return res.body.notifications as NotificationRecord[];
    }

    async roomInfo(room: RoomRef, as: UserName = 'admin'): Promise<Record<string, unknown>> {
        const res = await this.rest(as, 'GET', `/api/v1/rooms.info?roomId=${encodeURIComponent(roomId(room))}`);
        return res.body.room as Record<string, unknown>;
    }

    async userInfo(username: string, as: UserName = 'admin'): Promise<Record<string, unknown> | undefined> {
        const res = await this.rest(as, 'GET', `/api/v1/users.info?username=${encodeURIComponent(username)}`);
        return res.body.user as Record<string, unknown> | undefined;
    }

    /** Posts a message as `user` (chat.postMessage); `tmid` makes it a thread reply. Returns the stored message. */
    async postMessage(user: UserName, room: RoomRef, text: string, opts: { tmid?: string } = {}): Promise<Record<string, unknown>> {
        return this.ok(await this.rest(user, 'POST', '/api/v1/chat.postMessage', { roomId: roomId(room), text, ...opts }), 'chat.postMessage').message as Record<string, unknown>;
    }

    /** An admin's users.update of another user's customFields (only the fields declared in Accounts_CustomFields stick, as on a server). */
    async updateUserCustomFields(userId: string, customFields: Record<string, unknown>, as: UserName = 'admin'): Promise<Record<string, unknown>> {
        return this.ok(await this.rest(as, 'POST', '/api/v1/users.update', { userId, data: { customFields } }), 'users.update').user as Record<string, unknown>;
    }

    /** rooms.saveRoomSettings with roomCustomFields: replaces the room's whole customFields, as on a server. */
    async saveRoomCustomFields(room: RoomRef, roomCustomFields: Record<string, unknown>, as: UserName = 'admin'): Promise<void> {
        this.ok(await this.rest(as, 'POST', '/api/v1/rooms.saveRoomSettings', { rid: roomId(room), roomCustomFields }), 'rooms.saveRoomSettings');
    }

    /** users.setPreferences for the caller, e.g. `{ language: 'de' }`. */
    async setPreferences(user: UserName, data: Record<string, unknown>): Promise<Record<string, unknown>> {
        return this.ok(await this.rest(user, 'POST', '/api/v1/users.setPreferences', { data }), 'users.setPreferences').user as Record<string, unknown>;
    }

    /** channels.kick / groups.kick (by the room's type): `as` removes `userId` from the room. */
    async kick(as: UserName, room: RoomRef, userId: string): Promise<HttpResult> {
        return this.rest(as, 'POST', `/api/v1/${await this.roomApi(room)}.kick`, { roomId: roomId(room), userId });
    }

    /** channels.invite / groups.invite (by the room's type): `as` adds `userId` to the room. */
    async invite(as: UserName, room: RoomRef, userId: string): Promise<HttpResult> {
        return this.rest(as, 'POST', `/api/v1/${await this.roomApi(room)}.invite`, { roomId: roomId(room), userId });
    }

    /** rooms.delete: `as` deletes the room (IPostRoomDeleted follows, fire-and-forget). */
    async deleteRoom(as: UserName, room: RoomRef): Promise<HttpResult> {
        return this.rest(as, 'POST', '/api/v1/rooms.delete', { roomId: roomId(room) });
    }

    /** channels.leave / groups.leave (by the room's type): `as` leaves the room (IPostRoomUserLeave follows). */
    async leave(as: UserName, room: RoomRef): Promise<HttpResult> {
        return this.rest(as, 'POST', `/api/v1/${await this.roomApi(room)}.leave`, { roomId: roomId(room) });
    }

    /** users.delete: `as` (an admin) deletes the user (IPostUserDeleted follows). */
    async deleteUser(as: UserName, userId: string): Promise<HttpResult> {
        return this.rest(as, 'POST', '/api/v1/users.delete', { userId });
    }

    /** Enables or disables the app on this instance's engine (as an admin in Administration → Apps). */
    async setAppEnabled(enabled: boolean): Promise<void> {
        const status = enabled ? 'manually_enabled' : 'manually_disabled';
        this.ok(await this.rest('admin', 'POST', `/api/apps/${this.appId}/status`, { status }), `app status ${status}`);
        await this.waitForApp((app) => app?.enabled === enabled);
    }

    /** The app's persistence records whose associations mention `contains` (the host's own endpoint). */
    async persistenceRecords(contains: string): Promise<Array<{ associations: Array<{ model: string; id: string }>; data: Record<string, unknown> }>> {
        const res = await this.rest('admin', 'GET', `/api/v1/host.persistence?contains=${encodeURIComponent(contains)}`);
        return this.ok(res, 'host.persistence').records as Array<{ associations: Array<{ model: string; id: string }>; data: Record<string, unknown> }>;
    }

    private async roomApi(room: RoomRef): Promise<'channels' | 'groups'> {
        return (await this.roomInfo(room)).t === 'p' ? 'groups' : 'channels';
    }

    private ok(res: HttpResult, what: string): Record<string, unknown> {
        if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
    }

    /** The app as this instance's engine sees it. */
    async app(): Promise<AppSummary | undefined> {
        const res = await this.rest('admin', 'GET', `/api/apps/${this.appId}`);
        return res.status === 200 ? (res.body.app as AppSummary) : undefined;
    }

    async commands(): Promise<Array<{ command: string; appId: string }>> {
        const res = await this.rest('admin', 'GET', '/api/v1/commands.list');
        return res.body.commands as Array<{ command: string; appId: string }>;
    }

    async setServerSetting(id: string, value: unknown): Promise<void> {
        const res = await this.rest('admin', 'POST', `/api/v1/settings/${id}`, { value });
        if (res.status !== 200) throw new Error(`setting ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    }

    async appSettings(): Promise<Record<string, { id: string; value?: unknown; packageValue: unknown }>> {
        const res = await this.rest('admin', 'GET', `/api/apps/${this.appId}/settings`);
        return res.body.settings as Record<string, { id: string; value?: unknown; packageValue: unknown }>;
    }

    async setAppSetting(id: string, value: unknown): Promise<void> {
        const res = await this.rest('admin', 'POST', `/api/apps/${this.appId}/settings`, { settings: [{ id, value }] });
        if (res.status !== 200) throw new Error(`app setting ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    }

    /** What the engine and the app complained about (all instances): permission denials, errors, app warnings. */
    async hostLog(opts: { since?: number; level?: 'error' | 'warn' } = {}): Promise<Array<{ seq: number; level: string; source: string; text: string; instance: string }>> {
        const q = new URLSearchParams({ since: String(opts.since ?? 0), ...(opts.level && { level: opts.level }) });
        const res = await this.rest('admin', 'GET', `/api/v1/host.log?${q}`);
        return res.body.lines as Array<{ seq: number; level: string; source: string; text: string; instance: string }>;
    }

    /** The apps' scheduler jobs in the shared store (GET /api/v1/host.jobs), soonest first. */
    async jobs(filter: { appId?: string; name?: string } = {}): Promise<JobView[]> {
        const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as Array<[string, string]>);
        return this.ok(await this.rest('admin', 'GET', `/api/v1/host.jobs?${q}`), 'host.jobs').jobs as JobView[];
    }

    /** Waits until this instance's engine reports the app in a state that passes `check`. */
    async waitForApp(check: (app: AppSummary | undefined) => boolean, timeoutMs = 20_000): Promise<AppSummary | undefined> {
        const deadline = Date.now() + timeoutMs;
        let app = await this.app();
        while (!check(app)) {
            if (Date.now() > deadline) {
                const log = (await this.hostLog().catch(() => [])).slice(-30).map((l) => `  [${l.instance} ${l.level} ${l.source}] ${l.text.slice(0, 500)}`);
                throw new Error(
                    `instance ${this.index}: the app did not reach the expected state in ${timeoutMs} ms; it is ${JSON.stringify(app && { version: app.version, status: app.status })}\nhost log:\n${log.join('\n')}`,
                );
            }
            await new Promise((r) => setTimeout(r, 100));
            app = await this.app();
        }
        return app;
    }
}

export function roomId(room: RoomRef): string {
    return (SEED_ROOMS as Record<string, { id: string }>)[room]?.id ?? room;
}

// --- the host ------------------------------------------------------------------------------------------------

export class Host {
    private child?: ChildProcess;

    private output: string[] = [];

    private clients: HostInstance[] = [];

    private constructor(
        private readonly opts: StartHostOptions,
        readonly dataDir: string,
        private readonly ownsDataDir: boolean,
    ) {}

    static async start(opts: StartHostOptions = {}): Promise<Host> {
        ensureBuilt({ app: !opts.appZip });
        const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-store-host-'));
        const host = new Host(opts, dataDir, !opts.dataDir);
        try {
            await host.spawn(opts.install !== false);
        } catch (error) {
            if (host.ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
            throw error;
        }
        return host;
    }

    get appId(): string {
        return APP_ID;
    }

    /** Clients of the running instances (new ones after each restart: ports change). */
    get instances(): HostInstance[] {
        return this.clients;
    }

    /** Instance 0's client methods, for single-instance tests. */
    get first(): HostInstance {
        return this.clients[0];
    }

    /** What the host printed so far (for diagnosing). */
    log(): string {
        return this.output.join('');
    }

    /**
     * Stops every instance and starts them again on the same store: gracefully (SIGTERM) by default, or
     * `hard` — SIGKILL of the whole process group (instances and their Deno runtimes), like a crash.
     */
    async restart(opts: { hard?: boolean; install?: boolean } = {}): Promise<void> {
        await this.halt(opts.hard ? 'SIGKILL' : 'SIGTERM');
        await this.spawn(opts.install ?? false);
    }

    /**
     * Uploads a package as an update (POST /api/apps/<id> on instance 0, as admin) and waits until every instance
     * runs that version enabled. `version` repackages the current zip with that version first.
     */
    async updateApp(opts: { zip?: string; version?: string } = {}): Promise<AppSummary> {
        let zip = opts.zip ?? this.opts.appZip ?? DEFAULT_ZIP;
        if (opts.version) zip = withVersion(zip, opts.version);
        const version = JSON.parse(new AdmZip(zip).readAsText('app.json')).version as string;
        const form = new FormData();
        form.append('app', new Blob([fs.readFileSync(zip)]), path.basename(zip));
        const res = await this.first.rest('admin', 'POST', `/api/apps/${APP_ID}`, form);
        if (opts.version) {
            fs.rmSync(path.dirname(zip), { recursive: true, force: true });
        }
        if (res.status !== 200) {
            throw new Error(`update failed: ${res.status} ${JSON.stringify(res.body, null, 2)}`);
        }
        for (const instance of this.clients) {
            await instance.waitForApp((app) => app?.version === version && app.enabled);
        }
        return res.body.app as AppSummary;
    }

    /** Stops the host; deletes the data dir when startHost created it. */
    async stop(): Promise<void> {
        await this.halt('SIGTERM');
        if (this.ownsDataDir) {
            fs.rmSync(this.dataDir, { recursive: true, force: true });
        }
    }

    private args(install: boolean): string[] {
        const o = this.opts;
        const args = [hostBundle, '--port', '0', '--instances', String(o.instances ?? 1), '--data-dir', this.dataDir, '--no-prompt'];
        if (install) args.push('--app', o.appZip ?? DEFAULT_ZIP);
        else args.push('--no-install');
        if (o.persistence?.updateByAssociations) args.push('--persistence-update', o.persistence.updateByAssociations);
        if (o.persistence?.removeByAssociations) args.push('--persistence-remove', o.persistence.removeByAssociations);
        if (o.persistence?.purge) args.push('--persistence-purge', o.persistence.purge);
        if (o.messageCustomFields) args.push('--message-custom-fields');
        if (o.schedulerPollMs !== undefined) args.push('--scheduler-poll', String(o.schedulerPollMs));
        return args;
    }

    private spawn(install: boolean): Promise<void> {
        const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
        // vitest sets NODE_ENV=test, which turns the engine's permission checks off: the host must not inherit it.
        delete env.NODE_ENV;
        delete env.VITEST;
        const verbose = this.opts.verbose ?? process.env.HOST_VERBOSE === '1';
        this.output = [];
        // detached: its own process group, so a hard stop takes the instances and their Deno processes with it.
        const child = spawn(process.execPath, ['--enable-source-maps', ...this.args(install)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
        this.child = child;
        const collect = (chunk: Buffer) => {
            this.output.push(chunk.toString());
            if (verbose) process.stderr.write(chunk);
        };
        child.stdout?.on('data', collect);
        child.stderr?.on('data', collect);
        const timeoutMs = this.opts.startTimeoutMs ?? 90_000;
        return new Promise((resolve, reject) => {
            let settled = false;
            const fail = (why: string) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                void this.halt('SIGKILL').finally(() => reject(new Error(`${why}\n--- host output ---\n${this.log().slice(-8000)}`)));
            };
            const timer = setTimeout(() => fail(`the host did not report ready within ${timeoutMs} ms`), timeoutMs);
            child.once('message', (m: HostMessage) => {
                if (settled) return;
                if (m.type === 'ready') {
                    settled = true;
                    clearTimeout(timer);
                    this.clients = m.instances.map((info) => new HostInstance(info, APP_ID));
                    resolve();
                } else {
                    fail(`the host failed to start: ${m.message}`);
                }
            });
            child.once('exit', (code, signal) => fail(`the host exited (code ${code}, signal ${signal}) before it was ready`));
        });
    }

    private async halt(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
        const child = this.child;
        this.child = undefined;
        this.clients = [];
        if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const killGroup = (sig: NodeJS.Signals) => {
            try {
                process.kill(-(child.pid as number), sig);
            } catch {
                // already gone
            }
        };
        if (signal === 'SIGKILL') {
            killGroup('SIGKILL');
        } else {
            child.kill('SIGTERM');
            const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
            // whatever the graceful stop left behind in the group (it should be nothing)
            killGroup('SIGKILL');
        }
        await exited;
    }
}

export function startHost(opts: StartHostOptions = {}): Promise<Host> {
    return Host.start(opts);
}
