import { Item } from '../../src/core/types';
import { ChangeNotice } from '../../src/service/types';
import { AppSettingsValues, DEFAULT_SETTINGS } from '../../src/settings';

/* What the after-write effects are handed, made by hand: settings, items, and change notices. */

export function settings(overrides: Partial<AppSettingsValues> = {}): AppSettingsValues {
    return { ...DEFAULT_SETTINGS, ...overrides };
}

export function item(key: string, value: Item['value'], visibility: Item['visibility'] = 'private', revision = 1): Item {
    return { key, value, visibility, revision, updatedAt: '2024-05-01T10:00:00.000Z', updatedBy: 'u-alice' };
}

export function notice(overrides: Partial<ChangeNotice> = {}): ChangeNotice {
    return {
        subject: { namespace: 'room', id: 'r-1', name: 'planning' },
        actor: { id: 'u-alice', username: 'alice', roles: ['user'] },
        at: '2024-05-01T10:00:00.000Z',
        majorRevision: 3,
        changed: [],
        removed: [],
        stateChanged: [],
        set: { majorRevision: 3, items: [] },
        state: {},
        ...overrides,
    };
}
