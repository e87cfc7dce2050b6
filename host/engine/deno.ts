import fs from 'node:fs';
import path from 'node:path';

import { denoPaths, repoRoot } from '../paths';

/**
 * Points the engine at the Deno runtime prepared by scripts/prepare-deno.mjs (postinstall), or fails with what to
 * do. The engine spawns `deno` from PATH with only PATH and DENO_DIR in its environment, so both are set on this
 * process before any app is loaded: .deno/bin (our wrapper, which swaps the engine's --config for the prepared
 * runtime copy's) goes first on PATH, and DENO_DIR is the prepared cache.
 */
export function usePreparedDenoRuntime(): ReturnType<typeof denoPaths> {
    const root = repoRoot();
    const paths = denoPaths(root);
    const fix = 'Run `node scripts/prepare-deno.mjs` (it runs on `npm ci` / `npm install` as the postinstall step).';
    if (!fs.existsSync(paths.stamp) || !fs.existsSync(path.join(paths.runtime, 'main.ts')) || !fs.existsSync(path.join(paths.bin, 'deno'))) {
        throw new Error(`The Deno runtime for the Apps-Engine is not prepared in ${paths.home}. ${fix}`);
    }
    const stamp = JSON.parse(fs.readFileSync(paths.stamp, 'utf8')) as { engineVersion: string };
    const engineVersion = (JSON.parse(fs.readFileSync(require.resolve('@rocket.chat/apps-engine/package.json'), 'utf8')) as { version: string }).version;
    if (stamp.engineVersion !== engineVersion) {
        throw new Error(`The Deno runtime in ${paths.home} was prepared for apps-engine ${stamp.engineVersion}, but ${engineVersion} is installed. ${fix}`);
    }
    process.env.PATH = `${paths.bin}${path.delimiter}${process.env.PATH ?? ''}`;
    process.env.DENO_DIR = paths.cache;
    return paths;
}
