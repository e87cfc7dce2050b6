import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { settingDefinitions } from '../../src/engine/settingDefinitions';
import { parseSettings, readSettings, SettingsCache } from '../../src/engine/settingsReader';
import { DEFAULT_SETTINGS, SETTING } from '../../src/settings';
import { FakeEngine } from '../support/fakeEngine';

describe('app settings as the admin sees them', () => {
    it('every setting is registered, with its default and an i18n label and description', () => {
        const definitions = settingDefinitions();
        expect(definitions.map((d) => d.id).sort()).toEqual(Object.values(SETTING).sort());
        for (const d of definitions) {
            expect([d.i18nLabel, d.i18nDescription]).toEqual([`${d.id}_Label`, `${d.id}_Description`]);
        }
    });

    it('every label the settings use is in the English i18n file', () => {
        const english = JSON.parse(fs.readFileSync(path.join(__dirname, '../../i18n/en.json'), 'utf8')) as Record<string, string>;
        const keys = settingDefinitions().flatMap((d) => [d.i18nLabel, d.i18nDescription, ...(d.values ?? []).map((v) => v.i18nLabel)]);
        expect(keys.filter((key) => !key || !(key in english))).toEqual([]);
    });

    it('the default visibility is a choice of private or public, private out of the box', () => {
        const setting = settingDefinitions().find((d) => d.id === SETTING.defaultVisibility);
        expect([setting?.type, setting?.packageValue, setting?.values?.map((v) => v.key)]).toEqual([SettingType.SELECT, 'private', ['private', 'public']]);
    });

    it('the admin roles are one comma-separated text, "admin" out of the box', () => {
        const setting = settingDefinitions().find((d) => d.id === SETTING.adminRoles);
        expect([setting?.type, setting?.packageValue]).toEqual([SettingType.STRING, 'admin']);
    });

    it('the limits default to SPEC §12', () => {
        const byId = new Map(settingDefinitions().map((d) => [d.id, d.packageValue]));
        expect([SETTING.valueBytes, SETTING.setBytes, SETTING.itemsPerSet, SETTING.itemsPerRequest, SETTING.causeBytes, SETTING.writesPerSecond]
            .map((id) => byId.get(id))).toEqual([16384, 65536, 1000, 100, 65535, 20]);
    });
});

describe('reading the settings', () => {
    it('unset settings read as their defaults', async () => {
        expect(await readSettings(new FakeEngine().read)).toEqual(DEFAULT_SETTINGS);
    });

    it('the values the admin set are used', async () => {
        const engine = new FakeEngine();
        Object.assign(engine.settings, {
            [SETTING.defaultVisibility]: 'public',
            [SETTING.adminRoles]: ' admin , auditor,,',
            [SETTING.membersMayWriteRooms]: true,
            [SETTING.coalesceWindowMs]: 250,
            [SETTING.customFieldsKey]: 'meta',
            [SETTING.writesPerSecond]: '5',
        });
        expect(await readSettings(engine.read)).toMatchObject({
            defaultVisibility: 'public',
            adminRoles: ['admin', 'auditor'],
            membersMayWriteRooms: true,
            coalesceWindowMs: 250,
            customFieldsKey: 'meta',
            writesPerSecond: 5,
        });
    });

    it('an unusable value falls back to the default', () => {
        expect(parseSettings({ defaultVisibility: 'secret', valueBytes: -1, itemsPerSet: 'many', coalesceWindowMs: Number.NaN, customFieldsKey: ' ' }))
            .toEqual(DEFAULT_SETTINGS);
    });

    it('an empty admin roles setting means no role is admin', () => {
        expect(parseSettings({ adminRoles: '' }).adminRoles).toEqual([]);
    });

    it('a setting the server fails to read falls back to its default', async () => {
        const engine = new FakeEngine();
        const read = engine.read;
        const failing = {
            ...read,
            getEnvironmentReader: () => ({ getSettings: () => ({ getValueById: async () => { throw new Error('gone'); } }) }),
        } as unknown as typeof read;
        expect(await readSettings(failing)).toEqual(DEFAULT_SETTINGS);
    });
});

describe('the settings cache of an instance', () => {
    /** An engine whose settings reads are counted. */
    function counted() {
        const reads = { count: 0, fail: false };
        const read = {
            getEnvironmentReader: () => ({
                getSettings: () => ({
                    getValueById: async () => {
                        reads.count += 1;
                        if (reads.fail) throw new Error('engine down');
                        return undefined;
                    },
                }),
            }),
        } as unknown as Parameters<SettingsCache['read']>[0];
        return { read, reads };
    }

    it('reads the settings once for every request within the time to live', async () => {
        let now = 0;
        const cache = new SettingsCache(2000, () => now);
        const { read, reads } = counted();
        await cache.read(read);
        const once = reads.count;
        now = 1999;
        await cache.read(read);
        expect(reads.count).toBe(once);
    });

    it('reads them again once the time to live passed', async () => {
        let now = 0;
        const cache = new SettingsCache(2000, () => now);
        const { read, reads } = counted();
        await cache.read(read);
        now = 2000;
        await cache.read(read);
        expect(reads.count).toBe(2 * Object.keys(SETTING).length);
    });

    it('reads them again at once after an admin changed one on this instance', async () => {
        const cache = new SettingsCache(2000, () => 0);
        const { read, reads } = counted();
        await cache.read(read);
        cache.forget();
        await cache.read(read);
        expect(reads.count).toBe(2 * Object.keys(SETTING).length);
    });
});
