// Builds the one installable zip in dist/:
//  1. stage only what the app is made of (app.json, icon, i18n, src) so the apps-compiler
//     does not try to compile tests, the host or scripts;
//  2. let the apps-compiler type-check it, validate app.json and find the implemented interfaces;
//  3. bundle src into ONE CommonJS file with esbuild, because the server's Deno runtime loads
//     only the class file and refuses any module but Node built-ins, `uuid` and the engine;
//  4. zip app.json (with our own requiredApiVersion), the bundle, i18n and the icon.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { AppsCompiler } = require('@rocket.chat/apps-compiler');
const yazl = require('yazl');

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
const stage = path.join(root, 'build', 'app');

function stageSources() {
    fs.rmSync(stage, { recursive: true, force: true });
    fs.mkdirSync(stage, { recursive: true });
    for (const entry of ['app.json', manifest.iconFile, 'i18n', 'src']) {
        fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
    inlineJsonImports(path.join(stage, 'src'));
}

// The apps-compiler cannot resolve `import x from './file.json'` (tsc, vitest and esbuild can), so
// in the staged copy such imports become constants holding the file's content.
function inlineJsonImports(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            inlineJsonImports(file);
        } else if (file.endsWith('.ts')) {
            const source = fs.readFileSync(file, 'utf8');
            const inlined = source.replace(
                /^import\s+(?:\*\s+as\s+)?(\w+)\s+from\s+'([^']+\.json)';$/gm,
                (_, name, spec) => `const ${name} = ${fs.readFileSync(path.resolve(path.dirname(file), spec), 'utf8').trim()};`,
            );
            if (inlined !== source) fs.writeFileSync(file, inlined);
        }
    }
}

async function compile() {
    const ts = require('typescript');
    const compiler = new AppsCompiler({ tool: 'metadata-store/scripts/package.mjs', version: manifest.version, when: new Date() }, ts);
    // @types/node >= 18.17 imports undici-types, which this compiler cannot resolve; library
    // typings are not ours to check anyway.
    compiler.compilerOptions.skipLibCheck = true;
    const result = await compiler.compile(stage);
    if (result.diagnostics.length) {
        for (const d of result.diagnostics) {
            console.error(`${d.filename ?? ''}:${d.line ?? ''}:${d.character ?? ''} ${d.message}`);
        }
        throw new Error(`apps-compiler reported ${result.diagnostics.length} diagnostic(s)`);
    }
    const { AppInterface } = require('@rocket.chat/apps-engine/definition/metadata');
    return compiler.getImplemented().filter((name) => Boolean(AppInterface[name]));
}

async function bundle() {
    const result = await build({
        entryPoints: [path.join(root, manifest.classFile)],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'es2020',
        minify: true,
        keepNames: true,
        legalComments: 'none',
        external: ['@rocket.chat/apps-engine', '@rocket.chat/apps-engine/*'],
        // lodash's ES build lets the bundle keep only the functions the app imports
        alias: { lodash: 'lodash-es' },
        write: false,
    });
    return result.outputFiles[0].text;
}

function writeZip(file, entries) {
    return new Promise((resolve, reject) => {
        const zip = new yazl.ZipFile();
        for (const [name, content] of entries) {
            zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime: new Date('2024-01-01T00:00:00Z') });
        }
        zip.end();
        zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
    });
}

async function main() {
    // The first line `npm start` and `npm test` print: what the wait is for, and how long it usually is (2 CPUs).
    console.log('packaging the app… (usually 30–60 s on 2 CPUs: the apps-compiler type-checks it, esbuild bundles it)');
    const started = Date.now();
    stageSources();
    const implemented = await compile();
    const code = await bundle();
    const info = { ...manifest, implements: implemented };
    const entries = [
        ['app.json', JSON.stringify(info, null, 4)],
        [manifest.classFile.replace(/\.ts$/, '.js'), code],
        [manifest.iconFile, fs.readFileSync(path.join(root, manifest.iconFile))],
        ['.packagedby', JSON.stringify({ tool: 'metadata-store/scripts/package.mjs', version: manifest.version })],
    ];
    for (const file of fs.readdirSync(path.join(root, 'i18n')).sort()) {
        entries.push([`i18n/${file}`, fs.readFileSync(path.join(root, 'i18n', file))]);
    }
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    const out = path.join(root, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);
    for (const old of fs.readdirSync(path.join(root, 'dist'))) {
        if (old.endsWith('.zip')) fs.rmSync(path.join(root, 'dist', old));
    }
    await writeZip(out, entries);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`packaged ${path.relative(root, out)} in ${seconds} s (${fs.statSync(out).size} bytes; bundle ${code.length} bytes; implements: ${implemented.join(', ') || 'none'})`);
}

main().catch((error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
});
