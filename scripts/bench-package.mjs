// Packages the bench's baseline app (bench/baseline-app) into build/bench/baseline-app.zip, the way
// scripts/package.mjs packages the real app minus the apps-compiler check (the engine does not need it):
// one CommonJS bundle (the engine external), app.json and the icon. `npm run typecheck` and `npm run lint`
// cover the sources. Used by scripts/bench.mjs; `node scripts/bench-package.mjs` runs it alone.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const yazl = require('yazl');

export const baselineZip = path.join(root, 'build', 'bench', 'baseline-app.zip');

export async function packageBaselineApp() {
    const dir = path.join(root, 'bench', 'baseline-app');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8'));
    const result = await build({
        entryPoints: [path.join(dir, manifest.classFile)],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'es2020',
        keepNames: true,
        legalComments: 'none',
        external: ['@rocket.chat/apps-engine', '@rocket.chat/apps-engine/*'],
        write: false,
        logLevel: 'warning',
    });
    const entries = [
        ['app.json', JSON.stringify(manifest, null, 4)],
        [manifest.classFile.replace(/\.ts$/, '.js'), result.outputFiles[0].text],
        [manifest.iconFile, fs.readFileSync(path.join(root, 'icon.png'))],
    ];
    fs.mkdirSync(path.dirname(baselineZip), { recursive: true });
    await new Promise((resolve, reject) => {
        const zip = new yazl.ZipFile();
        for (const [name, content] of entries) {
            zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime: new Date('2024-01-01T00:00:00Z') });
        }
        zip.end();
        zip.outputStream.pipe(fs.createWriteStream(baselineZip)).on('close', resolve).on('error', reject);
    });
    return { zip: baselineZip, id: manifest.id };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    packageBaselineApp()
        .then(({ zip }) => console.log(`packaged ${path.relative(root, zip)}`))
        .catch((error) => {
            console.error(error);
            process.exit(1);
        });
}
