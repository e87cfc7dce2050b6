// Prepares everything the Apps-Engine's Deno runtime needs to run on this machine, inside the repo
// (.deno/, gitignored), so that a fresh `npm ci` is enough to run the local host (host/).
//
// Why each step (see shared ENGINE-NOTES.md for the measurements):
//  - The engine spawns `deno run --cached-only --config=<engine>/deno-runtime/deno.jsonc …`, so the Deno cache
//    must be filled beforehand with `deno install` of the runtime's main.ts.
//  - That runtime imports three `jsr:@std/*` modules (not reachable here, not on npm) and value-imports
//    `src/definition/exceptions/AppsEngineException.ts`, which the npm package does not ship. We do not patch
//    node_modules: we COPY the runtime to .deno/runtime/deno-runtime/ and give the copy our own import map that
//    points those specifiers to small local stand-ins (.deno/runtime/shims/).
//  - The engine hard-codes the --config path (its own deno.jsonc in node_modules) and finds `deno` on PATH. The
//    host therefore puts .deno/bin first on PATH; .deno/bin/deno is a 3-line wrapper that swaps --config for our
//    copy's config and execs the real binary from @deno/linux-x64-glibc. Everything else the engine passes
//    (--cached-only, --allow-read, the script path, …) is untouched.
//  - The engine runs `<tempFilePath>/deno-runtime/main.ts` after symlinking its own runtime there unless that path
//    already exists. The host uses .deno/runtime as tempFilePath, where our copy already sits, so the engine runs
//    the copy (Deno 2 also refuses to run scripts under node_modules, which is why the engine symlinks at all).
//  - `deno install` needs DENO_TLS_CA_STORE=system,mozilla on these machines, and must run outside node_modules
//    (inside it silently does nothing): our copy is outside.
//
// Idempotent: a stamp (.deno/READY.json) records the inputs; when they match, nothing is redone.
// Usage: node scripts/prepare-deno.mjs [--force] [--check]
//   --check  only verify the prepared runtime (exit 1 when missing or stale).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const paths = {
    root,
    denoHome: path.join(root, '.deno'),
    /** DENO_DIR: the module cache the engine's `--cached-only` run reads */
    cache: path.join(root, '.deno', 'cache'),
    /** prepended to PATH by the host; holds the `deno` wrapper */
    bin: path.join(root, '.deno', 'bin'),
    /** the engine's tempFilePath: holds our runtime copy as `deno-runtime/` */
    runtimeRoot: path.join(root, '.deno', 'runtime'),
    runtime: path.join(root, '.deno', 'runtime', 'deno-runtime'),
    shims: path.join(root, '.deno', 'runtime', 'shims'),
    stamp: path.join(root, '.deno', 'READY.json'),
};

function engineDir() {
    return path.dirname(require.resolve('@rocket.chat/apps-engine/package.json'));
}

function denoBinary() {
    try {
        return path.join(path.dirname(require.resolve('@deno/linux-x64-glibc/package.json')), 'deno');
    } catch {
        return null;
    }
}

// The stand-ins. Each implements exactly what deno-runtime uses of the jsr module (checked against
// apps-engine 1.62: messenger.ts and metricsCollector.ts call writeAll, handleUploadEvents.ts calls
// toArrayBuffer, lib/parseArgs.ts calls parseArgs but nothing imports that file).
const SHIMS = {
    'std-io.ts': `// Stand-in for jsr:@std/io writeAll: write every byte, looping over short writes.
export async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, data: Uint8Array): Promise<void> {
\tlet written = 0;
\twhile (written < data.length) {
\t\twritten += await writer.write(data.subarray(written));
\t}
}
`,
    'std-streams.ts': `// Stand-in for jsr:@std/streams toArrayBuffer: read a byte stream to its end.
export async function toArrayBuffer(readable: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
\tconst chunks: Uint8Array[] = [];
\tlet size = 0;
\tfor await (const chunk of readable) {
\t\tchunks.push(chunk);
\t\tsize += chunk.length;
\t}
\tconst out = new Uint8Array(size);
\tlet offset = 0;
\tfor (const chunk of chunks) {
\t\tout.set(chunk, offset);
\t\toffset += chunk.length;
\t}
\treturn out.buffer;
}
`,
    'std-cli-parse-args.ts': `// Stand-in for jsr:@std/cli parseArgs, for the way the engine starts the runtime
// (\`--subprocess <appId> --spawnId <n>\`): --key value, --key=value, bare --flag (true), numbers as numbers.
export function parseArgs(args: string[]): Record<string, unknown> & { _: unknown[] } {
\tconst out: Record<string, unknown> & { _: unknown[] } = { _: [] };
\tconst value = (v: string): unknown => (/^-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?$/.test(v) ? Number(v) : v);
\tfor (let i = 0; i < args.length; i++) {
\t\tconst arg = args[i];
\t\tif (!arg.startsWith('--')) {
\t\t\tout._.push(value(arg));
\t\t\tcontinue;
\t\t}
\t\tconst eq = arg.indexOf('=');
\t\tif (eq > 0) {
\t\t\tout[arg.slice(2, eq)] = value(arg.slice(eq + 1));
\t\t} else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
\t\t\tout[arg.slice(2)] = value(args[++i]);
\t\t} else {
\t\t\tout[arg.slice(2)] = true;
\t\t}
\t}
\treturn out;
}
`,
};

function appsEngineExceptionShim(engine) {
    // The runtime value-imports the TypeScript source, which the npm package does not ship; the compiled class is
    // the same one, so re-export it (the runtime itself loads engine files this way, see lib/require.ts).
    const compiled = path.join(engine, 'definition', 'exceptions', 'AppsEngineException.js');
    return `// Stand-in for @rocket.chat/apps-engine/src/definition/exceptions/AppsEngineException.ts (not in the npm package).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const { AppsEngineException } = require(${JSON.stringify(compiled)});
`;
}

function inputsDigest(engine, denoBin) {
    const hash = crypto.createHash('sha256');
    hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
    hash.update(fs.readFileSync(path.join(engine, 'package.json')));
    hash.update(fs.readFileSync(path.join(engine, 'deno-runtime', 'deno.jsonc')));
    hash.update(fs.readFileSync(path.join(engine, 'deno-runtime', 'deno.lock')));
    hash.update(String(fs.statSync(denoBin).size));
    hash.update(root);
    return hash.digest('hex');
}

function readStamp() {
    try {
        return JSON.parse(fs.readFileSync(paths.stamp, 'utf8'));
    } catch {
        return null;
    }
}

function copyRuntime(engine) {
    fs.rmSync(paths.runtimeRoot, { recursive: true, force: true });
    fs.mkdirSync(paths.shims, { recursive: true });
    // Tests and any cache dir are not part of the runtime.
    fs.cpSync(path.join(engine, 'deno-runtime'), paths.runtime, {
        recursive: true,
        filter: (src) => !['tests', '.deno', '.deno-cache'].includes(path.basename(src)),
    });
    for (const [name, text] of Object.entries(SHIMS)) {
        fs.writeFileSync(path.join(paths.shims, name), text);
    }
    fs.writeFileSync(path.join(paths.shims, 'AppsEngineException.ts'), appsEngineExceptionShim(engine));
}

function writeConfig(engine) {
    const original = JSON.parse(fs.readFileSync(path.join(engine, 'deno-runtime', 'deno.jsonc'), 'utf8'));
    const rel = (to) => {
        const r = path.relative(paths.runtime, to).split(path.sep).join('/');
        return r.startsWith('.') ? r : `./${r}`;
    };
    const imports = { ...original.imports };
    // `@rocket.chat/apps-engine/` keeps pointing at the engine's (absent) src/ folder on purpose: the runtime's
    // lib/require.ts resolves specifiers through this map and then strips `apps-engine/src/` to load the compiled
    // files from the package, which only works when the mapped path contains `apps-engine/src/`.
    imports['@rocket.chat/apps-engine/'] = `${rel(path.join(engine, 'src'))}/`;
    imports['@rocket.chat/apps-engine/definition/exceptions/AppsEngineException.ts'] = rel(path.join(paths.shims, 'AppsEngineException.ts'));
    imports['@std/io'] = rel(path.join(paths.shims, 'std-io.ts'));
    imports['@std/streams'] = rel(path.join(paths.shims, 'std-streams.ts'));
    imports['@std/cli'] = rel(path.join(paths.shims, 'std-cli-parse-args.ts'));
    imports['@std/cli/parse-args'] = rel(path.join(paths.shims, 'std-cli-parse-args.ts'));
    const config = {
        imports,
        unstable: original.unstable,
        // npm packages come from DENO_DIR only; never from the repo's own node_modules / package.json.
        nodeModulesDir: 'none',
    };
    fs.writeFileSync(path.join(paths.runtime, 'deno.jsonc'), `${JSON.stringify(config, null, '\t')}\n`);

    // Keep the engine's npm pins (the lock decides e.g. which @rocket.chat/ui-kit 0.31.x is used) minus jsr.
    const lock = JSON.parse(fs.readFileSync(path.join(engine, 'deno-runtime', 'deno.lock'), 'utf8'));
    delete lock.jsr;
    lock.specifiers = Object.fromEntries(Object.entries(lock.specifiers ?? {}).filter(([k]) => !k.startsWith('jsr:')));
    if (lock.workspace?.dependencies) {
        lock.workspace.dependencies = lock.workspace.dependencies.filter((d) => !d.startsWith('jsr:'));
    }
    fs.writeFileSync(path.join(paths.runtime, 'deno.lock'), `${JSON.stringify(lock, null, 2)}\n`);
}

function writeWrapper(denoBin) {
    fs.mkdirSync(paths.bin, { recursive: true });
    const realDeno = path.relative(paths.bin, denoBin);
    const config = path.relative(paths.bin, path.join(paths.runtime, 'deno.jsonc'));
    const script = `#!/bin/sh
# Generated by scripts/prepare-deno.mjs. The Apps-Engine runs \`deno … --config=<its deno.jsonc in node_modules> …\`;
# swap that one argument for our runtime copy's config (jsr stand-ins), keep all the others, run the real deno.
here=$(cd "$(dirname "$0")" && pwd)
for arg in "$@"; do
  shift
  case "$arg" in
    --config=*) set -- "$@" "--config=$here/${config}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
exec "$here/${realDeno}" "$@"
`;
    const file = path.join(paths.bin, 'deno');
    fs.writeFileSync(file, script);
    fs.chmodSync(file, 0o755);
}

/** The environment the host gives the engine (and that we use here): our wrapper first on PATH, our cache. */
export function denoEnv(base = process.env) {
    return {
        ...base,
        PATH: `${paths.bin}${path.delimiter}${base.PATH ?? ''}`,
        DENO_DIR: paths.cache,
        DENO_TLS_CA_STORE: 'system,mozilla',
        DENO_NO_UPDATE_CHECK: '1',
        // Deno reads NPM_CONFIG_REGISTRY; npm gives scripts its configured registry in lower case.
        ...(base.npm_config_registry && !base.NPM_CONFIG_REGISTRY ? { NPM_CONFIG_REGISTRY: base.npm_config_registry } : {}),
    };
}

function run(cmd, args, opts) {
    const result = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
    if (result.error) throw result.error;
    return result;
}

function install(engine) {
    const started = Date.now();
    fs.mkdirSync(paths.cache, { recursive: true });
    const env = denoEnv();
    const result = run(path.join(paths.bin, 'deno'), ['install', `--config=${path.join(paths.runtime, 'deno.jsonc')}`, '--entrypoint', 'main.ts'], {
        cwd: paths.runtime,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) {
        throw new Error(`deno install of ${path.relative(root, paths.runtime)}/main.ts failed (exit ${result.status})`);
    }
    // Smoke test as the engine runs it (--cached-only, the engine's --config swapped by the wrapper, the engine's
    // --allow-read dirs: the engine package, the node_modules holding it, the tempFilePath): without --subprocess,
    // main.ts exits with 1001 (233 as an exit status) once its whole import graph was loaded from the cache and
    // evaluated; a missing module or permission fails earlier with exit 1.
    const allowRead = [engine, path.dirname(path.dirname(engine)), paths.runtimeRoot].join(',');
    const smoke = run(
        'deno',
        [
            'run',
            '--cached-only',
            `--config=${path.join(engine, 'deno-runtime', 'deno.jsonc')}`,
            `--allow-read=${allowRead}`,
            '--allow-env=NODE_EXTRA_CA_CERTS',
            path.join(paths.runtime, 'main.ts'),
        ],
        { cwd: root, env },
    );
    if (smoke.status !== 1001 % 256) {
        throw new Error(`the prepared Deno runtime does not load from the cache (exit ${smoke.status}):\n${smoke.stderr}`);
    }
    return Date.now() - started;
}

function main() {
    const force = process.argv.includes('--force');
    const checkOnly = process.argv.includes('--check');
    const engine = engineDir();
    const denoBin = denoBinary();
    if (!denoBin || !fs.existsSync(denoBin)) {
        // Only linux-x64-glibc ships here (optionalDependencies). Do not break `npm ci` for people who only run
        // unit tests elsewhere; the host refuses to start with this same message.
        console.warn(`prepare-deno: no Deno binary (@deno/linux-x64-glibc is not installed on ${process.platform}-${process.arch}); the local host will not run.`);
        process.exit(checkOnly ? 1 : 0);
    }
    const digest = inputsDigest(engine, denoBin);
    const stamp = readStamp();
    const ready = stamp?.digest === digest && fs.existsSync(path.join(paths.runtime, 'main.ts')) && fs.existsSync(path.join(paths.bin, 'deno'));
    if (checkOnly) {
        if (!ready) {
            console.error('prepare-deno: the Deno runtime is not prepared or is stale: run `node scripts/prepare-deno.mjs`.');
            process.exit(1);
        }
        console.log('prepare-deno: ready');
        return;
    }
    if (ready && !force) {
        console.log(`prepare-deno: up to date (${path.relative(root, paths.denoHome)}/, apps-engine ${stamp.engineVersion}, deno ${stamp.denoVersion})`);
        return;
    }
    copyRuntime(engine);
    writeConfig(engine);
    writeWrapper(denoBin);
    const ms = install(engine);
    const denoVersion = run(denoBin, ['--version'], {}).stdout.split('\n')[0].replace(/^deno /, '');
    const engineVersion = JSON.parse(fs.readFileSync(path.join(engine, 'package.json'), 'utf8')).version;
    fs.writeFileSync(paths.stamp, `${JSON.stringify({ digest, engineVersion, denoVersion, preparedAt: new Date().toISOString() }, null, 2)}\n`);
    console.log(`prepare-deno: ready in ${ms} ms (${path.relative(root, paths.denoHome)}/, apps-engine ${engineVersion}, ${denoVersion})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    try {
        main();
    } catch (error) {
        console.error(`prepare-deno: ${error.message}`);
        process.exit(1);
    }
}
