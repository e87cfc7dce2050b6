// What Rocket.Chat does with `customFields` given to users.update (saveCustomFields → validateCustomFields +
// saveCustomFieldsWithoutValidation): nothing at all unless the admin declared fields in `Accounts_CustomFields`;
// otherwise the declared fields are checked (required, minLength, maxLength) and the user's WHOLE customFields
// object is replaced by the declared ones — an undeclared key such as an app's mirror is dropped until its owner
// writes it again. The host does the same, so tests see what a server admin's edit really does.
import type { HostContext } from '../engine/context';

interface FieldMeta {
    required?: boolean;
    minLength?: number;
    maxLength?: number;
}

/** The customFields to store, or undefined when the server would store nothing (no declared fields). */
export function accountCustomFields(ctx: HostContext, formData: Record<string, unknown>): Record<string, unknown> | undefined {
    const setting = ctx.settings.value<string>('Accounts_CustomFields');
    if (typeof setting !== 'string' || setting.trim() === '') {
        return undefined;
    }
    let meta: Record<string, FieldMeta>;
    try {
        meta = JSON.parse(setting) as Record<string, FieldMeta>;
    } catch {
        throw new Error('Invalid JSON for Custom Fields [error-invalid-customfield-json]');
    }
    const fields: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(meta)) {
        const value = formData[name];
        const text = typeof value === 'string' ? value.trim() : value;
        if (field.required && (text === undefined || text === null || text === '')) {
            throw new Error(`Field ${name} is required [error-user-registration-custom-field]`);
        }
        if (typeof text === 'string' && field.maxLength !== undefined && text.length > field.maxLength) {
            throw new Error(`Max length of field ${name} ${field.maxLength} [error-user-registration-custom-field]`);
        }
        if (typeof text === 'string' && field.minLength !== undefined && text.length < field.minLength) {
            throw new Error(`Min length of field ${name} ${field.minLength} [error-user-registration-custom-field]`);
        }
        fields[name] = text;
    }
    return fields;
}
