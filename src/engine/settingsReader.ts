import { IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { MAX_KEY_SEGMENTS, MAX_NESTING_DEPTH } from '../core/limits';
import { Visibility } from '../core/types';
import { AppSettingsValues, DEFAULT_SETTINGS, SETTING } from '../settings';

type SettingName = keyof typeof SETTING;

/**
 * The settings as last read, for at most `SETTINGS_TTL_MS`: reading all of them costs one engine call
 * each, about as much as a persistence call, on every request. A copy, never the truth: an admin's
 * change reaches every instance within the TTL (at once on the instance where it was made, see
 * `forgetSettings`), and an instance that restarts reads them afresh.
 */
export class SettingsCache {
    private cached: { values: Promise<AppSettingsValues>; readAt: number } | undefined;

    constructor(private readonly ttlMs = SETTINGS_TTL_MS, private readonly now: () => number = () => Date.now()) {}

    read(read: IRead): Promise<AppSettingsValues> {
        const now = this.now();
        if (this.cached && now - this.cached.readAt < this.ttlMs) return this.cached.values;
        const values = readSettings(read);
        this.cached = { values, readAt: now };
        // A failed read is not kept.
        values.catch(() => {
            if (this.cached?.values === values) this.cached = undefined;
        });
        return values;
    }

    /** An admin changed a setting on this instance. */
    forget(): void {
        this.cached = undefined;
    }
}

export const SETTINGS_TTL_MS = 2000;

/** Reads the app settings as they stand now (an admin may change them at any time, on any instance). */
export async function readSettings(read: IRead): Promise<AppSettingsValues> {
    const reader = read.getEnvironmentReader().getSettings();
    const names = Object.keys(SETTING) as SettingName[];
    const values = await Promise.all(names.map(async (name) => {
        try {
            return await reader.getValueById(SETTING[name]);
        } catch {
            return undefined;
        }
    }));
    const raw: Partial<Record<SettingName, unknown>> = {};
    names.forEach((name, index) => {
        raw[name] = values[index];
    });
    return parseSettings(raw);
}

/** Turns raw setting values into typed ones; anything unusable falls back to its default. */
export function parseSettings(raw: Partial<Record<SettingName, unknown>>): AppSettingsValues {
    const d = DEFAULT_SETTINGS;
    return {
        defaultVisibility: visibility(raw.defaultVisibility, d.defaultVisibility),
        adminRoles: roles(raw.adminRoles, d.adminRoles),
        membersMayWriteRooms: bool(raw.membersMayWriteRooms, d.membersMayWriteRooms),
        coalesceWindowMs: count(raw.coalesceWindowMs, d.coalesceWindowMs, 0),
        roomStatusMessages: bool(raw.roomStatusMessages, d.roomStatusMessages),
        stateStatusMessages: bool(raw.stateStatusMessages, d.stateStatusMessages),
        customFieldsKey: text(raw.customFieldsKey, d.customFieldsKey),
        valueBytes: count(raw.valueBytes, d.valueBytes, 1),
        setBytes: count(raw.setBytes, d.setBytes, 1),
        itemsPerSet: count(raw.itemsPerSet, d.itemsPerSet, 1),
        itemsPerRequest: count(raw.itemsPerRequest, d.itemsPerRequest, 1),
        causeBytes: count(raw.causeBytes, d.causeBytes, 0),
        writesPerSecond: count(raw.writesPerSecond, d.writesPerSecond, 0),
        // Above the ceiling a stored value could outgrow the engine's channel (core/limits.ts): clamped.
        nestingDepth: Math.min(count(raw.nestingDepth, d.nestingDepth, 1), MAX_NESTING_DEPTH),
        keySegments: Math.min(count(raw.keySegments, d.keySegments, 1), MAX_KEY_SEGMENTS),
        historyRetention: {
            revisions: count(raw.historyRevisions, d.historyRetention.revisions, 1),
            days: count(raw.historyDays, d.historyRetention.days, 1),
        },
    };
}

function visibility(value: unknown, fallback: Visibility): Visibility {
    return value === 'public' || value === 'private' ? value : fallback;
}

/** A comma-separated list; an empty setting means no role counts as admin. */
function roles(value: unknown, fallback: string[]): string[] {
    if (Array.isArray(value)) value = value.join(',');
    if (typeof value !== 'string') return fallback.slice();
    return [...new Set(value.split(',').map((role) => role.trim()).filter(Boolean))];
}

function bool(value: unknown, fallback: boolean): boolean {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return fallback;
}

/** A whole number ≥ min (settings of type int may arrive as strings). */
function count(value: unknown, fallback: number, min: number): number {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) && n >= min ? Math.floor(n) : fallback;
}

function text(value: unknown, fallback: string): string {
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}
