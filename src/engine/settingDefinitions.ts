import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

import { DEFAULT_SETTINGS, SETTING } from '../settings';

type Definition = Omit<ISetting, 'i18nLabel' | 'i18nDescription' | 'required' | 'public'>;

/** The app settings as the admin UI shows them; labels are `<id>_Label` / `<id>_Description` in i18n/. */
export function settingDefinitions(): ISetting[] {
    const d = DEFAULT_SETTINGS;
    const definitions: Definition[] = [
        {
            id: SETTING.defaultVisibility,
            type: SettingType.SELECT,
            packageValue: d.defaultVisibility,
            values: [
                { key: 'private', i18nLabel: `${SETTING.defaultVisibility}_private` },
                { key: 'public', i18nLabel: `${SETTING.defaultVisibility}_public` },
            ],
        },
        { id: SETTING.adminRoles, type: SettingType.STRING, packageValue: d.adminRoles.join(',') },
        { id: SETTING.membersMayWriteRooms, type: SettingType.BOOLEAN, packageValue: d.membersMayWriteRooms },
        { id: SETTING.coalesceWindowMs, type: SettingType.NUMBER, packageValue: d.coalesceWindowMs },
        { id: SETTING.roomStatusMessages, type: SettingType.BOOLEAN, packageValue: d.roomStatusMessages },
        { id: SETTING.stateStatusMessages, type: SettingType.BOOLEAN, packageValue: d.stateStatusMessages },
        { id: SETTING.customFieldsKey, type: SettingType.STRING, packageValue: d.customFieldsKey },
        { id: SETTING.valueBytes, type: SettingType.NUMBER, packageValue: d.valueBytes },
        { id: SETTING.setBytes, type: SettingType.NUMBER, packageValue: d.setBytes },
        { id: SETTING.itemsPerSet, type: SettingType.NUMBER, packageValue: d.itemsPerSet },
        { id: SETTING.itemsPerRequest, type: SettingType.NUMBER, packageValue: d.itemsPerRequest },
        { id: SETTING.causeBytes, type: SettingType.NUMBER, packageValue: d.causeBytes },
        { id: SETTING.writesPerSecond, type: SettingType.NUMBER, packageValue: d.writesPerSecond },
        { id: SETTING.nestingDepth, type: SettingType.NUMBER, packageValue: d.nestingDepth },
        { id: SETTING.keySegments, type: SettingType.NUMBER, packageValue: d.keySegments },
        { id: SETTING.historyRevisions, type: SettingType.NUMBER, packageValue: d.historyRetention.revisions },
        { id: SETTING.historyDays, type: SettingType.NUMBER, packageValue: d.historyRetention.days },
    ];
    return definitions.map((definition) => ({
        ...definition,
        required: false,
        public: false,
        i18nLabel: `${definition.id}_Label`,
        i18nDescription: `${definition.id}_Description`,
    }));
}
