// Entry point of the local host (bundled to build/host.cjs by scripts/build-host.mjs; `npm start` packages the app,
// builds this and runs it).
//
//  - one instance (default): this process is the instance;
//  - `--instances N`: this process supervises N instance processes over ONE shared store (each its own
//    AppManager — a per-process singleton — and its own Deno runtimes and port). The first installs or updates
//    the package; the others start after it and load the app from the shared app storage, like Rocket.Chat
//    instances load apps from the shared database; later changes reach them through the cluster events.
//
// When started with an IPC channel (test/support/host.ts), the process reports {type: 'ready', instances} or
// {type: 'fatal', message} to its parent and stops when the parent goes away.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

import { banner } from './banner';
import { instanceArgs, parseCli, type HostOptions } from './cli';
import { AppOperationError } from './engine/AppsHost';
import { Instance, type InstanceInfo } from './instance';
import { startPrompt } from './interactive';
import { phase } from './phase';

export type HostMessage = { type: 'ready'; instances: InstanceInfo[] } | { type: 'fatal'; message: string };

function report(message: HostMessage): void {
    process.send?.(message);
}

function fatal(error: unknown, prefix = ''): never {
    const message = error instanceof AppOperationError ? error.message : ((error as Error)?.stack ?? String(error));
    process.stderr.write(`\n${prefix}\x1b[31mhost: ${message}\x1b[0m\n`);
    report({ type: 'fatal', message });
    process.exit(1);
}

/** Stops on SIGINT/SIGTERM, and when the parent that started us over IPC goes away. */
function onShutdown(stop: () => Promise<void>): void {
    let stopping = false;
    const go = () => {
        if (stopping) return;
        stopping = true;
        const force = setTimeout(() => process.exit(0), 5000);
        force.unref();
        stop()
            .catch((error) => process.stderr.write(`host: error while stopping: ${error}\n`))
            .finally(() => process.exit(0));
    };
    process.on('SIGINT', go);
    process.on('SIGTERM', go);
    process.on('disconnect', go);
    process.on('message', (m: { type?: string }) => m?.type === 'shutdown' && go());
}

async function runInstance(opts: HostOptions): Promise<void> {
    const index = opts.instanceIndex ?? 0;
    const label = opts.instanceIndex !== undefined ? `[${index}]` : '';
    let instance: Instance | undefined;
    onShutdown(async () => instance?.stop());
    try {
        const started = await phase('starting the engine…', 'about a second', () => Instance.start({
            dataDir: opts.dataDir,
            port: opts.port,
            bind: opts.bind,
            index,
            switches: opts.switches,
            pauseWrites: opts.pauseWrites,
            schedulerPollMs: opts.schedulerPollMs,
            messageCustomFields: opts.messageCustomFields,
            verbose: opts.verbose,
            label,
        }));
        instance = started;
        const zip = opts.appZip;
        const install = zip ? await phase('installing the app…', 'about a second', () => started.installPackage(zip)) : undefined;
        await instance.engine.assertStarted();
        const info: InstanceInfo = { ...(await instance.info()), install };
        report({ type: 'ready', instances: [info] });
        if (opts.instanceIndex === undefined) {
            process.stdout.write(`${banner([info], opts)}\n`);
            if (opts.prompt && process.stdin.isTTY) {
                startPrompt([info.url], info.install?.app.id ?? info.apps[0]?.id, () => process.kill(process.pid, 'SIGINT'));
            }
        }
    } catch (error) {
        await instance?.stop().catch(() => undefined);
        fatal(error, label);
    }
}

function startChild(opts: HostOptions, index: number): Promise<{ child: ChildProcess; info: InstanceInfo }> {
    const port = opts.port === 0 ? 0 : opts.port + index;
    const child = fork(process.argv[1], instanceArgs(opts, index, port), { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: process.execArgv });
    const prefix = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
        let partial = '';
        stream?.on('data', (chunk: Buffer) => {
            const lines = (partial + chunk.toString()).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) out.write(line.startsWith('[') ? `${line}\n` : `[${index}] ${line}\n`);
        });
    };
    prefix(child.stdout, process.stdout);
    prefix(child.stderr, process.stderr);
    return new Promise((resolve, reject) => {
        child.once('message', (m: HostMessage) => {
            if (m.type === 'ready') resolve({ child, info: m.instances[0] });
            else reject(new Error(`instance ${index}: ${m.message}`));
        });
        child.once('exit', (code) => reject(new Error(`instance ${index} exited (code ${code}) before it was ready`)));
    });
}

async function runCluster(opts: HostOptions): Promise<void> {
    const children: ChildProcess[] = [];
    let stopping = false;
    const stopAll = async () => {
        stopping = true;
        await Promise.all(
            children.map(
                (child) =>
                    new Promise<void>((resolve) => {
                        if (child.exitCode !== null) return resolve();
                        child.once('exit', () => resolve());
                        child.kill('SIGTERM');
                    }),
            ),
        );
    };
    onShutdown(stopAll);
    try {
        // The first instance installs or updates the package; the others then load it from the shared storage.
        const first = await startChild(opts, 0);
        children.push(first.child);
        const rest = await Promise.all(Array.from({ length: opts.instances - 1 }, (_, i) => startChild(opts, i + 1)));
        children.push(...rest.map((r) => r.child));
        const infos = [first.info, ...rest.map((r) => r.info)];
        for (const child of children) {
            child.once('exit', (code) => {
                if (!stopping) {
                    process.stderr.write(`\x1b[31mhost: an instance exited (code ${code}); stopping the cluster\x1b[0m\n`);
                    void stopAll().then(() => process.exit(1));
                }
            });
        }
        report({ type: 'ready', instances: infos });
        process.stdout.write(`${banner(infos, opts)}\n`);
        if (opts.prompt && process.stdin.isTTY) {
            startPrompt(
                infos.map((i) => i.url),
                first.info.install?.app.id ?? first.info.apps[0]?.id,
                () => process.kill(process.pid, 'SIGINT'),
            );
        }
    } catch (error) {
        await stopAll();
        fatal(error);
    }
}

async function main(): Promise<void> {
    let opts: HostOptions;
    try {
        opts = parseCli(process.argv.slice(2));
    } catch (error) {
        fatal((error as Error).message);
    }
    if (opts.fresh && opts.instanceIndex === undefined) {
        fs.rmSync(opts.dataDir, { recursive: true, force: true });
    }
    if (opts.instances > 1 && opts.instanceIndex === undefined) {
        await runCluster(opts);
    } else {
        await runInstance(opts);
    }
}

void main();
