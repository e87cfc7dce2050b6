// docs/reference.md stays true: it names every endpoint the app registers (as its OpenAPI document lists them), every
// `/meta` action the parser knows, every error code with its status, every setting with its label and default, and
// the event types; and it names no endpoint or action the app does not have.
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ERROR_STATUS } from '../../src/core/errors';
import { DEFAULT_SETTINGS, SETTING } from '../../src/settings';
import { isCommandSyntaxError } from '../../src/surfaces/command/CommandSyntaxError';
import { ACTIONS, parseMetaCommand } from '../../src/surfaces/command/parseMetaCommand';
import { openApiDocument } from '../../src/surfaces/http/openapi';
import { SURFACE_ERROR_STATUS } from '../../src/surfaces/http/respond';

const root = path.resolve(__dirname, '../..');
const reference = fs.readFileSync(path.join(root, 'docs', 'reference.md'), 'utf8');
const english = JSON.parse(fs.readFileSync(path.join(root, 'i18n', 'en.json'), 'utf8')) as Record<string, string>;
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { id: string; version: string };
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** `GET /metadata/{ns}/{id}`, … : the operations the app takes (an operation without an id is the 405 of a method it does not). */
function operations(): string[] {
    const paths = openApiDocument(manifest.id, manifest.version).paths as Record<string, Record<string, { operationId?: string }>>;
    return Object.entries(paths).flatMap(([route, methods]) => METHODS
        .filter((method) => methods[method]?.operationId)
        .map((method) => `${method.toUpperCase()} ${route}`));
}

describe('docs/reference.md', () => {
    it('has a section for every endpoint of the OpenAPI document', () => {
        const listed = operations();
        expect(listed.length).toBeGreaterThan(15);
        expect(listed.filter((operation) => !reference.includes(`### \`${operation}\``))).toEqual([]);
    });

    it('names no endpoint the app does not have', () => {
        const known = new Set(operations());
        const named = [...reference.matchAll(/`((?:GET|PUT|POST|PATCH|DELETE) \/[^\s`?]+)/g)].map((match) => match[1]);
        expect(named.length).toBeGreaterThan(15);
        expect(named.filter((operation) => !known.has(operation))).toEqual([]);
    });

    it('explains every /meta action the parser knows, and only those', () => {
        expect(ACTIONS.filter((action) => !reference.includes(`\`/meta ${action}`))).toEqual([]);
        const named = [...reference.matchAll(/`\/meta ([a-z]+)/g)].map((match) => match[1]);
        expect(named.filter((action) => !(ACTIONS as readonly string[]).includes(action))).toEqual([]);
    });

    it('the parser knows every action of that list (none of them is an unknown action)', () => {
        for (const action of ACTIONS) {
            try {
                parseMetaCommand([action], { roomId: 'r1' });
            } catch (error) {
                if (!isCommandSyntaxError(error)) throw error;
                expect(error.key, action).not.toMatch(/Unknown_Action/);
            }
        }
    });

    it('lists every error code with its status', () => {
        const codes = { ...ERROR_STATUS, ...SURFACE_ERROR_STATUS };
        expect(Object.entries(codes).filter(([code, status]) => !reference.includes(`\`${status} ${code}\``))).toEqual([]);
    });

    it('lists every setting with its id, its English label and its default', () => {
        const defaults: Record<keyof typeof SETTING, unknown> = {
            ...DEFAULT_SETTINGS,
            historyRevisions: DEFAULT_SETTINGS.historyRetention.revisions,
            historyDays: DEFAULT_SETTINGS.historyRetention.days,
        };
        const shown = (value: unknown) => (typeof value === 'boolean' ? (value ? 'on' : 'off') : Array.isArray(value) ? value.join(',') : String(value));
        const rows = reference.split('\n').filter((line) => line.startsWith('| `'));
        const wrong = (Object.keys(SETTING) as Array<keyof typeof SETTING>).filter((name) => {
            const id = SETTING[name];
            const row = rows.find((line) => line.startsWith(`| \`${id}\` |`));
            return !row || !row.includes(`| ${english[`${id}_Label`]} |`) || !row.includes(`| \`${shown(defaults[name])}\` |`);
        });
        expect(wrong).toEqual([]);
    });

    it('names the event types and the webhook headers', () => {
        for (const word of ['"SNAPSHOT"', '"UPDATE"', '"REMOVED"', 'customFields.metadataEvent', 'X-Metadata-Delivery', 'X-Metadata-Signature']) {
            expect(reference, word).toContain(word);
        }
    });
});
