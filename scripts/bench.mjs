// Packages the baseline app the engine bench compares with (scripts/bench-package.mjs), then runs every
// scripts/bench-*.ts: each is bundled with esbuild into one CommonJS file (the sources are TypeScript;
// packages stay in node_modules) and run with node; each prints its own figures. Arguments are passed on.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { packageBaselineApp } from './bench-package.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'build', 'bench');
fs.mkdirSync(outDir, { recursive: true });

const baseline = await packageBaselineApp();
const env = { ...process.env, BENCH_BASELINE_ZIP: baseline.zip, BENCH_BASELINE_ID: baseline.id };

const benches = fs.readdirSync(path.join(root, 'scripts')).filter((f) => /^bench-.*\.ts$/.test(f)).sort();
let failed = false;
for (const file of benches) {
    const outfile = path.join(outDir, file.replace(/\.ts$/, '.cjs'));
    await build({
        entryPoints: [path.join(root, 'scripts', file)],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        packages: 'external',
        outfile,
        logLevel: 'warning',
    });
    const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', env });
    failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
