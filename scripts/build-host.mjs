// Bundles the local Apps-Engine host (host/, TypeScript) into build/host.cjs, which `npm start` and the e2e harness
// (test/support/host.ts) run with plain node. Packages stay external: the engine must be loaded from
// node_modules (it finds its deno-runtime/ next to itself) and better-sqlite3 is native.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const hostBundle = path.join(root, 'build', 'host.cjs');

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
    return hostBundle;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    buildHost().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
