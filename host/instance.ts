// One host instance = what one Rocket.Chat server process is to the Apps-Engine: its own AppManager (a
// per-process singleton) with its own Deno runtimes, an HTTP server, and the shared store.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import util from 'node:util';

import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { AppsHost, type AppSummary } from './engine/AppsHost';
import { HostContext, type PersistenceSwitches } from './engine/context';
import { usePreparedDenoRuntime } from './engine/deno';
import { DdpServer } from './ddp/DdpServer';
import type { PauseWriteSpec } from './engine/faults';
import { serveAppEndpoint } from './http/appEndpoints';
import { appsAdminRoutes } from './http/appsAdmin';
import { faultRoutes } from './http/faults';
import { jobRoutes } from './http/jobs';
import { restRoutes } from './http/rest';
import { roomEditRoutes } from './http/roomEdits';
import { lifecycleRoutes } from './http/lifecycleRoutes';
import { uiInteractionRoutes } from './http/uiInteraction';
import { userEditRoutes } from './http/userEdits';
import { webClientRoutes } from './http/webClient';
import { HttpError, parseQuery, readBody, sendJson, type RequestContext, type Router } from './http/router';
import { seed, SEED_USERS } from './seed';
import { randomId } from './store/ids';
import { Store } from './store/Store';

export interface InstanceOptions {
    dataDir: string;
    /** 0 = any free port */
    port: number;
    bind: string;
    index: number;
    /** install (or update) this package when it is not the installed one; only the first instance of a cluster does */
    appZip?: string;
    switches: PersistenceSwitches;
    /** --pause-write: faults to arm for this instance on start (those naming another instance are skipped) */
    pauseWrites?: PauseWriteSpec[];
    /** --scheduler-poll: how often the scheduler looks for due jobs scheduled elsewhere (ms) */
    schedulerPollMs?: number;
    /** Message_CustomFields_Enabled for a fresh data dir */
    messageCustomFields?: boolean;
    verbose: boolean;
    /** prefix for this instance's console lines (cluster mode) */
    label?: string;
}

export interface InstanceInfo {
    index: number;
    id: string;
    pid: number;
    port: number;
    url: string;
    apps: AppSummary[];
    /** what happened to the package given with --app */
    install?: { action: 'installed' | 'updated' | 'unchanged'; app: AppSummary };
}

/**
 * The engine answers a Deno process's requests by writing to its stdin; when that process was killed meanwhile
 * (an update or restart replacing it), the write fails with EPIPE on a stream nobody listens to for errors, which
 * would crash the host. A Rocket.Chat server logs such errors with its process-wide handler and carries on; so does
 * the host. Any other uncaught exception still stops the process, loudly.
 */
function surviveDeadRuntimePipes(ctx: HostContext): void {
    process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
        if ((error?.code === 'EPIPE' || error?.code === 'ERR_STREAM_DESTROYED') && error.syscall !== 'listen') {
            ctx.log.add('error', 'engine', `write to an exited Deno runtime failed (${error.code}), ignored: ${error.stack}`);
            return;
        }
        process.stderr.write(`\nhost: uncaught exception: ${error?.stack ?? error}\n`);
        process.exit(1);
    });
}

/** Routes the engine's console errors and warnings (permission denials, runtime failures) into the host log too. */
function captureConsole(ctx: HostContext, label: string): void {
    for (const level of ['error', 'warn'] as const) {
        const original = console[level].bind(console);
        console[level] = (...args: unknown[]) => {
            const text = util.format(...args);
            ctx.log.add(level, 'engine', text);
            original(label ? `${label} ${text}` : text);
        };
    }
}

function echoAppLogs(verbose: boolean, label: string) {
    return (entry: ILoggerStorageEntry) => {
        for (const line of entry.entries ?? []) {
            const severity = String(line.severity);
            if (verbose || severity === 'error' || severity === 'warning') {
                const text = line.args.map((a) => (typeof a === 'string' ? a : util.inspect(a, { depth: 5, breakLength: Infinity }))).join(' ');
                process.stderr.write(`${label}[app ${entry.method}] ${severity}: ${text}\n`);
            }
        }
    };
}

export class Instance {
    readonly ctx: HostContext;

    engine!: AppsHost;

    port = 0;

    private readonly server: http.Server;

    private readonly routers: Router[] = [];

    /** Rocket.Chat's realtime API (DDP) at /websocket, on the same port */
    private readonly ddp: DdpServer;

    private ready = false;

    private constructor(
        readonly options: InstanceOptions,
        private readonly store: Store,
    ) {
        this.ctx = new HostContext(store, randomId(8), options.index, options.switches, { schedulerPollMs: options.schedulerPollMs });
        this.server = http.createServer((req, res) => {
            this.handle(req, res).catch((error) => {
                if (!res.headersSent) {
                    sendJson(res, 500, { success: false, error: (error as Error)?.message ?? String(error) });
                }
            });
        });
        this.ddp = new DdpServer(this.ctx, { isReady: () => this.ready, instanceHeader: `${options.index}:${this.ctx.instanceId}:${process.pid}` });
        this.server.on('upgrade', (req, socket, head) => this.ddp.handleUpgrade(req, socket, head));
    }

    static async start(options: InstanceOptions): Promise<Instance> {
        const denoRuntime = usePreparedDenoRuntime();
        if (process.env.NODE_ENV === 'test') {
            // The engine turns every app permission check off under NODE_ENV=test; a host that should behave like a
            // server must not inherit that from a test runner.
            delete process.env.NODE_ENV;
        }
        const store = new Store(options.dataDir);
        const instance = new Instance(options, store);
        const label = options.label ?? '';
        captureConsole(instance.ctx, label);
        surviveDeadRuntimePipes(instance.ctx);
        await instance.listen();
        seed(instance.ctx, { siteUrl: `http://${options.bind}:${instance.port}`, messageCustomFields: options.messageCustomFields });
        store.db
            .prepare('INSERT INTO instances (id, idx, pid, port, started_at) VALUES (?, ?, ?, ?, ?)')
            .run(instance.ctx.instanceId, options.index, process.pid, instance.port, new Date().toISOString());
        // Faults are per run: what an earlier run of this instance left armed is disarmed, then --pause-write arms.
        instance.ctx.faults.resetOwn();
        for (const spec of options.pauseWrites ?? []) {
            if (spec.instance === undefined || spec.instance === options.index) instance.ctx.faults.arm({ ...spec, instance: options.index });
        }
        instance.engine = new AppsHost(instance.ctx, denoRuntime.runtimeRoot, echoAppLogs(options.verbose, label));
        // the web client first: its /api/apps/languages must win over the admin API's /api/apps/:id; so must the UIKit
        // routes' /api/apps/actionButtons
        instance.routers.push(webClientRoutes(instance), restRoutes(instance), userEditRoutes(instance), roomEditRoutes(instance), lifecycleRoutes(instance), uiInteractionRoutes(instance), appsAdminRoutes(instance), faultRoutes(instance), jobRoutes(instance));
        await instance.engine.start();
        instance.ready = true;
        return instance;
    }

    /** Installs or updates the given package as the seeded admin (what `npm start` does on the first instance). */
    async installPackage(zipPath: string): Promise<InstanceInfo['install']> {
        if (!fs.existsSync(zipPath)) {
            throw new Error(`No app package at ${zipPath} (run \`npm run package\`)`);
        }
        const admin = this.ctx.convert.userById(SEED_USERS.admin.id) as IUser;
        return this.engine.installOrUpdate(fs.readFileSync(zipPath), admin);
    }

    async info(): Promise<InstanceInfo> {
        return {
            index: this.options.index,
            id: this.ctx.instanceId,
            pid: process.pid,
            port: this.port,
            url: `http://${this.options.bind}:${this.port}`,
            apps: await this.engine.list(),
        };
    }

    async stop(): Promise<void> {
        this.ready = false;
        this.ddp.close();
        await new Promise<void>((resolve) => {
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
        await this.engine?.stop();
        try {
            this.store.db.prepare('UPDATE instances SET stopped_at = ? WHERE id = ?').run(new Date().toISOString(), this.ctx.instanceId);
        } finally {
            this.store.close();
        }
    }

    private listen(): Promise<void> {
        return new Promise((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(this.options.port, this.options.bind, () => {
                this.port = (this.server.address() as AddressInfo).port;
                resolve();
            });
        });
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
        // Which instance answered (cluster mode, and diagnosing a client talking to a stale process).
        res.setHeader('x-host-instance', `${this.options.index}:${this.ctx.instanceId}:${process.pid}`);
        if (!this.ready) {
            sendJson(res, 503, { success: false, error: 'The host is starting' });
            return;
        }
        if (await serveAppEndpoint(this, req, res, url)) {
            return;
        }
        const method = req.method ?? 'GET';
        let methodMismatch = false;
        for (const router of this.routers) {
            const found = router.find(method, url.pathname);
            methodMismatch ||= found.methodMismatch;
            if (!found.route) {
                continue;
            }
            let body: Buffer | undefined;
            const rawBody = async (limit = 10 * 1024 * 1024) => (body ??= await readBody(req, limit));
            const rc: RequestContext = {
                req,
                res,
                url,
                params: found.params,
                query: parseQuery(url),
                user: this.ctx.users.authenticate(req.headers['x-user-id'] as string | undefined, req.headers['x-auth-token'] as string | undefined),
                rawBody,
                json: async () => {
                    const text = (await rawBody()).toString('utf8');
                    if (!text.trim()) {
                        return {};
                    }
                    try {
                        const parsed = JSON.parse(text);
                        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
                    } catch {
                        throw new HttpError(400, { success: false, error: 'Invalid JSON body' });
                    }
                },
            };
            try {
                const result = await found.route.handler(rc);
                if (!res.headersSent) {
                    sendJson(res, 200, result);
                }
            } catch (error) {
                if (error instanceof HttpError) {
                    sendJson(res, error.status, error.body);
                } else {
                    this.ctx.log.add('error', 'rest', `${method} ${url.pathname}: ${(error as Error)?.stack ?? error}`);
                    sendJson(res, 500, { success: false, error: (error as Error)?.message ?? String(error) });
                }
            }
            return;
        }
        sendJson(res, methodMismatch ? 405 : 404, { success: false, error: methodMismatch ? 'Method not allowed' : `Not found: ${method} ${url.pathname}` });
    }
}
