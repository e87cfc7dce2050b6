import { DEFAULT_RETENTION, HistoryRetention } from './core/history';
import { DEFAULT_LIMITS } from './core/limits';
import { Limits, Visibility } from './core/types';

/** App setting ids; each has an i18n label `<id>_Label` and description `<id>_Description`. */
export const SETTING = {
    defaultVisibility: 'default_visibility',
    adminRoles: 'admin_roles',
    membersMayWriteRooms: 'members_may_write_rooms',
    coalesceWindowMs: 'coalesce_window_ms',
    roomStatusMessages: 'room_status_messages',
    stateStatusMessages: 'state_status_messages',
    customFieldsKey: 'custom_fields_key',
    valueBytes: 'limit_value_bytes',
    setBytes: 'limit_set_bytes',
    itemsPerSet: 'limit_items_per_set',
    itemsPerRequest: 'limit_items_per_request',
    causeBytes: 'limit_cause_bytes',
    writesPerSecond: 'limit_writes_per_second',
    nestingDepth: 'limit_nesting_depth',
    keySegments: 'limit_key_segments',
    historyRevisions: 'history_revisions',
    historyDays: 'history_days',
} as const;

/** The limits of SPEC §12 are settings too, with the core's defaults. */
export interface AppSettingsValues extends Limits {
    defaultVisibility: Visibility;
    /** roles that count as admins (comma-separated in the setting) */
    adminRoles: string[];
    membersMayWriteRooms: boolean;
    coalesceWindowMs: number;
    roomStatusMessages: boolean;
    /** status messages for state operations too (a vote, a choice); off: item changes only */
    stateStatusMessages: boolean;
    customFieldsKey: string;
    /** SPEC §14: history kept per subject */
    historyRetention: HistoryRetention;
}

export const DEFAULT_SETTINGS: AppSettingsValues = {
    defaultVisibility: 'private',
    adminRoles: ['admin'],
    membersMayWriteRooms: false,
    coalesceWindowMs: 0,
    roomStatusMessages: true,
    stateStatusMessages: false,
    customFieldsKey: 'metadata',
    historyRetention: DEFAULT_RETENTION,
    ...DEFAULT_LIMITS,
};
