import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The layer rules are checked, not only written down: every rule of .dependency-cruiser.cjs and of the
 * "Persistence" block of eslint.config.mjs fails on a planted violation here, the allowed cases pass, and the
 * real tree passes (`npm run boundaries` and `npm run lint` check it too, in `npm test`).
 */

const root = path.resolve(__dirname, '../..');
const config = path.join(root, '.dependency-cruiser.cjs');
const cli = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const run = promisify(execFile);

interface Violation {
    from: string;
    to: string;
    rule: string;
}

/**
 * `npm run boundaries` over `src` of `cwd`: its exit code (the number of errors) and the violations its report
 * lists (`error <rule>: <from> → <to>`).
 */
async function cruise(cwd: string): Promise<{ code: number; violations: Violation[] }> {
    let stdout: string;
    let code = 0;
    try {
        ({ stdout } = await run(process.execPath, [cli, 'src', '--config', config], { cwd, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } }));
    } catch (error) {
        const failed = error as { code?: unknown; stdout?: string };
        if (typeof failed.code !== 'number' || failed.stdout === undefined) throw error;
        ({ code, stdout } = failed as { code: number; stdout: string });
    }
    const violations = [...stdout.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)].map(([, rule, from, to]) => ({ rule, from, to }));
    return { code, violations };
}

/** A small tree shaped like the app (inside the repo, so node_modules and package.json are found as for src/). */
const tree: Record<string, string> = {
    'src/MetadataStoreApp.ts': `import { wire } from './engine/adapter';\nexport const app = wire;\n`,
    'src/engine/adapter.ts': `import { Store } from '../store/store';\nimport { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';\nexport const wire = (p: IPersistence) => new Store(p);\n`,
    'src/store/store.ts': `import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';\nimport { rule } from '../core/rule';\nexport type Fate = 'decided' | 'lost';\nexport class Store { constructor(readonly p: IPersistence) { rule(); } }\n`,
    'src/core/rule.ts': `export function rule(): number { return 1; }\n`,
    'src/service/service.ts': `import type { Fate } from '../store/store';\nexport const fate: Fate = 'lost';\n`,
    'src/surfaces/http/endpoint.ts': `import { fate } from '../../service/service';\nexport const answer = fate;\n`,
    'host/host.ts': `export const host = 1;\n`,

    // allowed: a runtime dependency of package.json in the core; a surface naming a store type in \`import type\`
    'src/core/allowed/lodash.ts': `import { isPlainObject } from 'lodash';\nexport const plain = isPlainObject;\n`,
    'src/surfaces/http/typeOnly.ts': `import type { Fate } from '../../store/store';\nexport const f: Fate = 'decided';\n`,

    // planted violations, one per file: file name = the rule it breaks
    'src/core/core-imports-only-core/store.ts': `import { Store } from '../../store/store';\nexport const s = Store;\n`,
    'src/core/core-imports-only-core/storeType.ts': `import type { Fate } from '../../store/store';\nexport const f: Fate = 'lost';\n`,
    'src/core/core-imports-only-core/engine.ts': `import type { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';\nexport type P = IPersistence;\n`,
    'src/core/core-imports-only-core/builtin.ts': `import { createHash } from 'crypto';\nexport const h = createHash;\n`,
    'src/core/core-imports-only-core/service.ts': `import { fate } from '../../service/service';\nexport const f = fate;\n`,
    'src/service/src-never-imports-host.ts': `import { host } from '../../host/host';\nexport const h = host;\n`,
    'src/surfaces/http/store-code-only-in-store-and-engine.ts': `import { Store } from '../../store/store';\nexport const s = Store;\n`,
    'src/surfaces/http/store-code-only-in-store-and-engine-types.ts': `import { Fate } from '../../store/store';\nexport const f: Fate = 'lost';\n`,
    'src/service/store-code-only-in-store-and-engine.ts': `import { Store } from '../store/store';\nexport const s = Store;\n`,
    'src/store/store-imports-only-core.ts': `import { fate } from '../service/service';\nexport const f = fate;\n`,
    'src/service/service-and-access-never-import-surfaces-or-engine.ts': `import { answer } from '../surfaces/http/endpoint';\nexport const a = answer;\n`,
    'src/surfaces/http/engine-wired-only-by-the-app-class.ts': `import { wire } from '../../engine/adapter';\nexport const w = wire;\n`,
    'src/service/app-class-is-the-root.ts': `import { app } from '../MetadataStoreApp';\nexport const a = app;\n`,
    'src/surfaces/http/src-imports-resolve.ts': `import { nothing } from '../../store/nowhere';\nexport const n = nothing;\n`,
};

describe('the layer rules (dependency-cruiser)', () => {
    let dir: string;
    beforeAll(() => {
        fs.mkdirSync(path.join(root, 'build'), { recursive: true });
        dir = fs.mkdtempSync(path.join(root, 'build', 'boundaries-'));
        for (const [file, text] of Object.entries(tree)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        }
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('fail on a planted violation of every rule, and only there', async () => {
        const { code, violations } = await cruise(dir);
        const planted = Object.keys(tree).filter((file) => /\/(core-imports-only-core\/|[a-z]+(-[a-z]+)+(-types)?\.ts$)/.test(file));
        const ruleOf = (file: string) => (file.includes('/core-imports-only-core/') ? 'core-imports-only-core' : path.basename(file, '.ts').replace(/-types$/, ''));
        expect(violations.map((v) => `${v.from} breaks ${v.rule}`).sort()).toEqual(planted.map((file) => `${file} breaks ${ruleOf(file)}`).sort());
        expect(code).toBe(planted.length);
        // every rule of the configuration is planted at least once
        const rules = (await import(config)).default.forbidden.map((r: { name: string }) => r.name);
        expect(new Set(planted.map(ruleOf))).toEqual(new Set(rules));
    });

    it('pass on the real tree', async () => {
        expect(await cruise(root)).toEqual({ code: 0, violations: [] });
    });
});

describe('the persistence rules (eslint)', () => {
    const eslint = new ESLint({ cwd: root });
    const errors = async (file: string, text: string) =>
        (await eslint.lintText(text, { filePath: path.join(root, file) }))[0].messages
            .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
            .map((m) => m.ruleId);

    const reader = `import { IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';\nexport type R = IPersistenceRead;\n`;
    const deepReader = `import { IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors/IPersistenceRead';\nexport type R = IPersistenceRead;\n`;
    const handle = `import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';\nexport type P = IPersistence;\n`;
    const records = `import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';\nexport type A = RocketChatAssociationRecord;\n`;
    const items = `import { IPersistenceItem } from '@rocket.chat/apps-engine/definition/persistence';\nexport type I = IPersistenceItem;\n`;
    const write = `export const w = (persistence: { updateByAssociation(a: unknown, b: unknown): void }) => persistence.updateByAssociation(1, 2);\n`;
    const read = `export const r = (read: { getPersistenceReader(): unknown }) => read.getPersistenceReader();\n`;
    const plain = `import { IRead } from '@rocket.chat/apps-engine/definition/accessors';\nexport type R = IRead;\n`;

    it.each([
        ['src/surfaces/http/planted.ts', reader],
        ['src/engine/planted.ts', deepReader],
        ['src/service/planted.ts', handle],
        ['src/access/planted.ts', handle],
        ['src/engine/planted.ts', records],
        ['src/surfaces/mirror/planted.ts', items],
        ['src/service/planted.ts', write],
        ['src/surfaces/events/planted.ts', write],
        ['src/engine/planted.ts', write],
        ['src/surfaces/http/planted.ts', read],
        ['src/MetadataStoreApp.ts', read],
    ])('fail on %s importing or calling persistence: %s', async (file, text) => {
        expect(await errors(file, text)).toHaveLength(1);
    });

    it.each([
        ['src/store/planted.ts', reader],
        ['src/store/planted.ts', records],
        ['src/store/planted.ts', write],
        ['src/store/planted.ts', read],
        ['src/engine/planted.ts', read],
        ['src/engine/planted.ts', handle],
        ['src/surfaces/http/planted.ts', handle],
        ['src/MetadataStoreApp.ts', handle],
        ['src/service/planted.ts', plain],
    ])('allow %s: %s', async (file, text) => {
        expect(await errors(file, text)).toEqual([]);
    });
});
