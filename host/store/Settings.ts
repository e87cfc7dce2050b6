import type { SettingDoc } from './docs';
import { fromJson, Store, toJson } from './Store';

/** The message custom fields schema a fresh Rocket.Chat ships (Administration → Message → Custom Fields). */
export const DEFAULT_MESSAGE_CUSTOM_FIELDS = `
{
	"properties": {
		"priority": {
			"type": "string",
			"nullable": false,
			"enum": ["low", "medium", "high"]
		}
	},
	"required": ["priority"]
}
`;

/**
 * The server settings the host knows, with Rocket.Chat's ids, types and defaults. Apps read them through the
 * settings bridge (`server-setting.read`); admins change them with `POST /api/v1/settings/:_id`.
 */
export function defaultSettings(siteUrl: string): SettingDoc[] {
    return [
        { _id: 'Site_Url', type: 'string', value: siteUrl, packageValue: 'http://localhost:3000', public: true },
        { _id: 'Site_Name', type: 'string', value: 'Rocket.Chat (local host)', packageValue: 'Rocket.Chat', public: true },
        { _id: 'Language', type: 'string', value: 'en', packageValue: '', public: true },
        { _id: 'Message_CustomFields_Enabled', type: 'boolean', value: false, packageValue: false },
        { _id: 'Message_CustomFields', type: 'code', value: DEFAULT_MESSAGE_CUSTOM_FIELDS, packageValue: DEFAULT_MESSAGE_CUSTOM_FIELDS },
        { _id: 'Message_MaxAllowedSize', type: 'int', value: 5000, packageValue: 5000, public: true },
        { _id: 'Message_AllowEditing', type: 'boolean', value: true, packageValue: true, public: true },
        // Administration → Accounts → Registration → Custom Fields: the user customFields users.update may set ('' = none).
        { _id: 'Accounts_CustomFields', type: 'code', value: '', packageValue: '' },
        { _id: 'UTF8_User_Names_Validation', type: 'string', value: '[0-9a-zA-Z-_.]+', packageValue: '[0-9a-zA-Z-_.]+', public: true },
        // A secret setting, so that "apps cannot read secrets" can be seen.
        { _id: 'SMTP_Password', type: 'password', value: 'not-for-apps', packageValue: '', secret: true },
    ];
}

export class Settings {
    constructor(private readonly store: Store) {}

    /** Inserts the defaults that are missing (never overwrites what an admin set). */
    seed(defaults: SettingDoc[]): void {
        const now = new Date();
        for (const setting of defaults) {
            this.store.db.prepare('INSERT OR IGNORE INTO settings (_id, doc) VALUES (?, ?)').run(setting._id, toJson({ ...setting, createdAt: now, _updatedAt: now }));
        }
    }

    findById(id: string): SettingDoc | undefined {
        const row = this.store.db.prepare<[string], { doc: string }>('SELECT doc FROM settings WHERE _id = ?').get(id);
        return row ? fromJson<SettingDoc>(row.doc) : undefined;
    }

    value<T>(id: string): T | undefined {
        const s = this.findById(id);
        return (s?.value ?? s?.packageValue) as T | undefined;
    }

    list(): SettingDoc[] {
        return this.store.db
            .prepare<[], { doc: string }>('SELECT doc FROM settings ORDER BY _id')
            .all()
            .map((r) => fromJson<SettingDoc>(r.doc));
    }

    setValue(id: string, value: unknown): boolean {
        return this.store.tx(() => {
            const s = this.findById(id);
            if (!s) {
                return false;
            }
            this.store.db.prepare('UPDATE settings SET doc = ? WHERE _id = ?').run(toJson({ ...s, value, _updatedAt: new Date() }), id);
            return true;
        });
    }
}
