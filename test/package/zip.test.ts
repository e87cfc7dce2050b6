import AdmZip from 'adm-zip';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm test` packages before it runs vitest; this suite checks what a server would receive.
const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
const zipPath = path.join(root, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);

function readZip(): Map<string, Buffer> {
    const zip = new AdmZip(zipPath);
    return new Map(zip.getEntries().map((entry) => [entry.entryName, entry.getData()]));
}

const ALLOWED_RUNTIME_MODULES = new Set(['uuid', ...builtinModules]);

describe('the packaged zip', () => {
    it('is the only zip in dist/', () => {
        expect(fs.readdirSync(path.join(root, 'dist')).filter((f) => f.endsWith('.zip'))).toEqual([path.basename(zipPath)]);
    });

    it('carries an app.json a server accepts', () => {
        const info = JSON.parse(readZip().get('app.json')!.toString('utf8'));
        expect(info).toMatchObject({ id: manifest.id, name: 'Metadata Store', nameSlug: 'metadata-store', version: manifest.version });
        expect(info.classFile).toBe('src/MetadataStoreApp.ts');
        // a range, not the exact devDependency version: the server checks it with semver.satisfies
        expect(info.requiredApiVersion).toMatch(/^\^1\.\d+\.\d+$/);
        const permissions = info.permissions.map((p: { name: string }) => p.name);
        expect(permissions).toEqual(expect.arrayContaining(['persistence', 'slashcommand', 'api', 'message.write']));
    });

    it('holds one bundled main file, the icon and the translations', () => {
        const names = [...readZip().keys()].sort();
        const scripts = names.filter((n) => n.endsWith('.js'));
        expect(scripts).toEqual(['src/MetadataStoreApp.js']);
        expect(names).toContain('icon.png');
        expect(names).toContain('i18n/en.json');
        expect(names.some((n) => n.endsWith('.ts') || n.startsWith('node_modules/'))).toBe(false);
    });

    it('requires nothing the server runtime refuses', () => {
        const code = readZip().get('src/MetadataStoreApp.js')!.toString('utf8');
        const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
        const refused = required.filter((m) => !m.startsWith('@rocket.chat/apps-engine/') && !ALLOWED_RUNTIME_MODULES.has(m.replace(/^node:/, '')));
        expect(refused).toEqual([]);
        expect(code).not.toMatch(/require\(\s*[^"'`\s)]/); // no dynamic requires the check above could miss
    });

    it('never reads globalThis (the server\'s Deno runtime runs the app with globalThis bound to undefined)', () => {
        const code = readZip().get('src/MetadataStoreApp.js')!.toString('utf8');
        expect(code.match(/.{0,60}\bglobalThis\b.{0,60}/g) ?? []).toEqual([]);
    });

    it('exports exactly one class from the main file', async () => {
        const code = readZip().get('src/MetadataStoreApp.js')!.toString('utf8');
        const exports: Record<string, unknown> = {};
        const module = { exports };
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        new Function('exports', 'module', 'require', code)(exports, module, (m: string) => require(m));
        const values = Object.values(module.exports);
        expect(values).toHaveLength(1);
        expect(typeof values[0]).toBe('function');
        expect((values[0] as { name: string }).name).toBe('MetadataStoreApp');
    });
});
