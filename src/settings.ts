import { Visibility } from './core/types';

/** App setting ids; each has an i18n label `<id>_Label` and description `<id>_Description`. */
export const SETTING = {
    defaultVisibility: 'default_visibility',
    adminRoles: 'admin_roles',
    membersMayWriteRooms: 'members_may_write_rooms',
    coalesceWindowMs: 'coalesce_window_ms',
    roomStatusMessages: 'room_status_messages',
    customFieldsKey: 'custom_fields_key',
    valueBytes: 'limit_value_bytes',
    setBytes: 'limit_set_bytes',
    itemsPerSet: 'limit_items_per_set',
    itemsPerRequest: 'limit_items_per_request',
    causeBytes: 'limit_cause_bytes',
    writesPerSecond: 'limit_writes_per_second',
} as const;

export interface AppSettingsValues {
    defaultVisibility: Visibility;
    /** roles that count as admins (comma-separated in the setting) */
    adminRoles: string[];
    membersMayWriteRooms: boolean;
    coalesceWindowMs: number;
    roomStatusMessages: boolean;
    customFieldsKey: string;
    valueBytes: number;
    setBytes: number;
    itemsPerSet: number;
    itemsPerRequest: number;
    causeBytes: number;
    writesPerSecond: number;
}

export const DEFAULT_SETTINGS: AppSettingsValues = {
    defaultVisibility: 'private',
    adminRoles: ['admin'],
    membersMayWriteRooms: false,
    coalesceWindowMs: 0,
    roomStatusMessages: true,
    customFieldsKey: 'metadata',
    valueBytes: 16 * 1024,
    setBytes: 64 * 1024,
    itemsPerSet: 1000,
    itemsPerRequest: 100,
    causeBytes: 65535,
    writesPerSecond: 20,
};
