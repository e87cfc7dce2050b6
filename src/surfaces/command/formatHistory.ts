import { isAtOrUnder } from '../../core/keys';
import { Translate } from '../../i18n/catalog';
import { HistoryView } from '../../service/types';
import { displayValue, truncate } from './displayValue';
import { code } from './formatView';
import { ReplyNames, subjectLabel } from './subjectLabel';

/** Entries a reply shows at most: the newest ones. */
export const MAX_HISTORY_LINES = 10;
const MAX_LISTED = 5;
const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 30;

/** `/meta history`: the newest changes, one line each, oldest of them first; `key`: only those at or under it. */
export function formatHistory(view: HistoryView, key: string | undefined, names: ReplyNames, tr: Translate): string {
    const subject = subjectLabel(view.subject, names);
    const touches = (k: string) => key === undefined || isAtOrUnder(k, key);
    const entries = view.entries
        .map((entry) => ({ ...entry, changed: entry.changed.filter((c) => touches(c.key)), removed: entry.removed.filter(touches) }))
        .filter((entry) => key === undefined || entry.changed.length + entry.removed.length > 0)
        .slice(-MAX_HISTORY_LINES);
    const about = key === undefined ? '' : ` ${code(truncate(key, MAX_KEY_CHARS))}`;
    if (entries.length === 0) return tr('Meta_History_Empty', { subject, key: about, major: view.majorRevision });
    const lines = entries.map((entry) => {
        const parts: string[] = [];
        if (entry.changed.length > 0) {
            parts.push(tr('Meta_History_Set', { items: listed(entry.changed.map((c) => `${code(truncate(c.key, MAX_KEY_CHARS))}=${code(displayValue(c.value, MAX_VALUE_CHARS))}`)) }));
        }
        if (entry.removed.length > 0) parts.push(tr('Meta_History_Removed', { keys: listed(entry.removed.map((k) => code(truncate(k, MAX_KEY_CHARS)))) }));
        if (parts.length === 0) parts.push(tr('Meta_History_Nothing_Visible'));
        const actor = names.users.get(entry.actor);
        return tr('Meta_History_Line', {
            revision: entry.majorRevision,
            at: entry.at.slice(0, 16).replace('T', ' '),
            actor: actor ? `@${actor}` : entry.actor || '?',
            changes: parts.join('; '),
        });
    });
    return [tr('Meta_History_Heading', { subject, key: about, major: view.majorRevision }), ...lines].join('\n');
}

function listed(parts: string[]): string {
    return parts.length > MAX_LISTED ? `${parts.slice(0, MAX_LISTED).join(', ')} …` : parts.join(', ');
}
