// Packages the tests' probe app (test/support/probe-app: message-delete listeners, a /probe command that posts,
// edits and deletes messages as the app's bot) into build/test-apps/host-probe.zip, the way scripts/bench-package.mjs
// packages the bench's baseline app: one CommonJS bundle with the engine external, app.json as written (its
// `implements` listed by hand, as the apps-compiler would find them) and the icon. Start a host with it:
// `startHost({ appZip: probeAppZip() })`.
import AdmZip from 'adm-zip';
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const dir = path.join(__dirname, 'probe-app');

export const PROBE_APP_ID = (JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8')) as { id: string }).id;

/** Packages the probe app (every call: it takes well under a second) and returns the zip's path. */
export function probeAppZip(): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8')) as { classFile: string; iconFile: string };
    const bundle = buildSync({
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
    const zip = new AdmZip();
    zip.addFile('app.json', Buffer.from(JSON.stringify(manifest, null, 4)));
    zip.addFile(manifest.classFile.replace(/\.ts$/, '.js'), Buffer.from(bundle.outputFiles[0].text));
    zip.addFile(manifest.iconFile, fs.readFileSync(path.join(root, 'icon.png')));
    const out = path.join(root, 'build', 'test-apps', 'host-probe.zip');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // test files may package it at the same time: each writes its own file and renames it into place
    const tmp = `${out}.${process.pid}.tmp`;
    zip.writeZip(tmp);
    fs.renameSync(tmp, out);
    return out;
}
