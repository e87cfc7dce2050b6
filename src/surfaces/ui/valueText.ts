import { JsonValue } from '../../core/json';
import { I18nKey, Translate } from '../../i18n/catalog';
import { codeSafe, displayValue, truncate } from '../command/displayValue';

/** SPEC §17: a value is shown readable by its type — text as text, numbers and yes/no plainly, objects and lists as JSON. */
export function typeName(value: JsonValue, tr: Translate): string {
    const key: I18nKey = typeof value === 'string' ? 'Meta_Panel_Type_Text'
        : typeof value === 'number' ? 'Meta_Panel_Type_Number'
            : typeof value === 'boolean' ? 'Meta_Panel_Type_Boolean'
                : Array.isArray(value) ? 'Meta_Panel_Type_List' : 'Meta_Panel_Type_Object';
    return tr(key);
}

/** Markdown for a value in the panel: one inline code span for text and scalars, a JSON block for objects and lists. */
export function valueMarkdown(value: JsonValue, max = 600): string {
    if (value !== null && typeof value === 'object') {
        return `\`\`\`\n${codeSafe(truncate(JSON.stringify(value, null, 2), max))}\n\`\`\``;
    }
    return `\`${codeSafe(truncate(typeof value === 'string' ? value : JSON.stringify(value), max))}\``;
}

/** One line inside a code span of a text: `{value}` in the texts of conflicts and confirmations. */
export function inlineValue(value: JsonValue, max = 200): string {
    return codeSafe(displayValue(value, max));
}

/** One line, short: button labels and summaries. */
export function shortValue(value: JsonValue, max = 40): string {
    return displayValue(value, max);
}

/** An ISO time as people read it in every language the app has: `2024-05-01 12:00 UTC`. */
export function when(iso: string): string {
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

/** `@alice` for a user id the panel could name, the id otherwise. */
export function who(userId: string, names: ReadonlyMap<string, string>): string {
    const name = names.get(userId);
    return name ? `@${name}` : userId;
}
