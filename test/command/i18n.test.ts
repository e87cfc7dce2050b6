import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import de from '../../i18n/de.json';
import en from '../../i18n/en.json';
import { t, translator } from '../../src/i18n/catalog';
import { settingDefinitions } from '../../src/engine/settingDefinitions';
import { SETTING } from '../../src/settings';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(file);
        return file.endsWith('.ts') ? [file] : [];
    });
}

describe('translations', () => {
    it('have every key the code uses', () => {
        const used = new Set<string>();
        for (const file of sourceFiles(path.join(root, 'src'))) {
            const source = fs.readFileSync(file, 'utf8');
            for (const match of source.matchAll(/['"`]((?:Meta|Status|Visibility)_[A-Za-z0-9_]+)['"`]/g)) used.add(match[1]);
        }
        expect(used.size).toBeGreaterThan(50);
        expect([...used].filter((key) => !(key in en))).toEqual([]);
    });

    it('have a label and a description for every app setting', () => {
        const keys = Object.values(SETTING).flatMap((id) => [`${id}_Label`, `${id}_Description`]);
        expect(keys.filter((key) => !(key in en))).toEqual([]);
    });

    it('have every label the admin settings page asks for, select choices included', () => {
        const keys = settingDefinitions().flatMap((setting) => [
            setting.i18nLabel,
            setting.i18nDescription!,
            ...(setting.values ?? []).map((choice) => choice.i18nLabel),
        ]);
        expect(keys.filter((key) => !(key in en))).toEqual([]);
    });

    it('have a label for each visibility choice', () => {
        expect(en).toHaveProperty('Visibility_Private');
        expect(en).toHaveProperty('Visibility_Public');
    });

    it('are complete in German', () => {
        expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    });

    it('use the same placeholders in every language (German leaves out {message}, the service\'s English text)', () => {
        const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((name) => name !== 'message').sort();
        const english = en as Record<string, string>;
        const german = de as Record<string, string>;
        const differing = Object.keys(english).filter((key) => placeholders(english[key]).join() !== placeholders(german[key]).join());
        expect(differing).toEqual([]);
    });

    it('wrap no English in German: no German text embeds the service\'s English {message}', () => {
        expect(Object.entries(de as Record<string, string>).filter(([, text]) => text.includes('{message}'))).toEqual([]);
    });

    it('are only non-empty texts', () => {
        for (const catalog of [en, de] as Array<Record<string, unknown>>) {
            expect(Object.values(catalog).filter((text) => typeof text !== 'string' || text.trim() === '')).toEqual([]);
        }
    });
});

describe('the translator', () => {
    it('fills {name} placeholders', () => {
        expect(t('Meta_More', { count: 3 })).toBe('+3 more');
    });

    it('picks the language of a regional tag', () => {
        expect(t('Meta_More', { count: 3 }, 'de-AT')).toBe('+3 weitere');
    });

    it('falls back to English for a language it does not have', () => {
        expect(translator('fr')('Meta_More', { count: 1 })).toBe('+1 more');
    });

    it('leaves braces without a param as written', () => {
        expect(t('Meta_Help')).toContain(`prefs='{"theme":"dark"}'`);
    });
});
