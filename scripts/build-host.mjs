// Bundles the local Apps-Engine host (host/, TypeScript) into build/host.cjs, which `npm start` and the e2e harness
// (test/support/host.ts) run with plain node. Packages stay external: the engine must be loaded from
// node_modules (it finds its deno-runtime/ next to itself) and better-sqlite3 is native.
// Also bundles the host's web client (host/web/client.ts, for the browser, @rocket.chat/ui-kit included) into
// build/web/client.js, which the host serves at /web/client.js.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const hostBundle = path.join(root, 'build', 'host.cjs');
export const webBundle = path.join(root, 'build', 'web', 'client.js');

export async function buildHost() {
    await build({
        entryPoints: [path.join(root, 'host', 'main.ts')],
        outfile: hostBundle,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        packages: 'external',
        sourcemap: 'linked',
        logLevel: 'warning',
    });
    await build({
        entryPoints: [path.join(root, 'host', 'web', 'client.ts')],
        outfile: webBundle,
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'chrome110',
        sourcemap: 'linked',
        logLevel: 'warning',
    });
    return hostBundle;
}

// Run by `npm start` between packaging the app and starting the host: each phase says what it does and how long it
// usually takes (on a 2-CPU machine), so the wait is never a bare cursor.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    // npm ci prepared the runtime (postinstall); this finds it up to date at once, or prepares it when npm ci ran
    // with --ignore-scripts or the engine changed since.
    console.log('preparing Deno… (usually instant: npm ci prepared it; else a few seconds)');
    const prepared = spawnSync(process.execPath, [path.join(root, 'scripts', 'prepare-deno.mjs')], { stdio: 'inherit' });
    if (prepared.status !== 0) process.exit(prepared.status ?? 1);
    console.log('building the host… (usually about a second)');
    buildHost().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
