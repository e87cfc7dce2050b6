import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository root: the nearest folder above this file (host/… when run from source, build/ when bundled)
 * holding app.json and package.json. METADATA_STORE_ROOT overrides it.
 */
export function repoRoot(): string {
    if (process.env.METADATA_STORE_ROOT) {
        return path.resolve(process.env.METADATA_STORE_ROOT);
    }
    let dir = __dirname;
    for (;;) {
        if (fs.existsSync(path.join(dir, 'app.json')) && fs.existsSync(path.join(dir, 'package.json'))) {
            return dir;
        }
        const parent = path.dirname(dir);
        if (parent === dir) {
            throw new Error(`Cannot find the repository root (a folder with app.json and package.json) above ${__dirname}`);
        }
        dir = parent;
    }
}

/** Where scripts/prepare-deno.mjs put the Deno runtime copy, its cache and the `deno` wrapper. */
export function denoPaths(root = repoRoot()) {
    const home = path.join(root, '.deno');
    return {
        home,
        cache: path.join(home, 'cache'),
        bin: path.join(home, 'bin'),
        /** handed to the AppManager as tempFilePath: the engine runs `<tempFilePath>/deno-runtime/main.ts` */
        runtimeRoot: path.join(home, 'runtime'),
        runtime: path.join(home, 'runtime', 'deno-runtime'),
        stamp: path.join(home, 'READY.json'),
    };
}

/** The packaged app: dist/<nameSlug>_<version>.zip as `npm run package` writes it. */
export function defaultAppZip(root = repoRoot()): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { nameSlug: string; version: string };
    return path.join(root, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);
}
