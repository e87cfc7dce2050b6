import { Item, StateKeyView, StateView } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { MetadataView } from '../../service/types';
import { codeSafe, displayValue, truncate } from './displayValue';
import { NO_NAMES, ReplyNames, subjectLabel } from './subjectLabel';

export const MAX_TABLE_ROWS = 50;
const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 40;
const MAX_SUMMARY_ENTRIES = 10;
const MAX_SUMMARY_VALUE_CHARS = 30;
const MAX_HOLDERS = 5;

/** The reply to `get`: a heading, a monospace table of the items, then one line per state key. */
export function formatView(view: MetadataView, tr: Translate, requestedKeys?: readonly string[], names: ReplyNames = NO_NAMES): string {
    const subject = subjectLabel(view.subject, names);
    const lines: string[] = [];
    if (view.items.length === 0 && Object.keys(view.state).length === 0 && !requestedKeys?.length) {
        return tr('Meta_Get_Empty', { subject, major: view.majorRevision });
    }
    lines.push(tr('Meta_Get_Heading', { subject, major: view.majorRevision, count: view.items.length }));
    if (view.items.length > 0) lines.push(itemTable(view.items, tr));
    if (view.items.length > MAX_TABLE_ROWS) {
        lines.push(tr('Meta_Get_More_Items', { count: view.items.length - MAX_TABLE_ROWS }));
    }
    const found = new Set(view.items.map((item) => item.key));
    const missing = (requestedKeys ?? []).filter((key) => !found.has(key));
    if (missing.length > 0) lines.push(tr('Meta_Get_Not_Found', { keys: missing.map(code).join(', ') }));
    for (const key of Object.keys(view.state).sort()) lines.push(stateLine(key, view.state[key], tr, names));
    return lines.join('\n');
}

function itemTable(items: readonly Item[], tr: Translate): string {
    const header = [tr('Meta_Table_Key'), tr('Meta_Table_Value'), tr('Meta_Table_Rev'), tr('Meta_Table_Visibility')];
    const rows = items.slice(0, MAX_TABLE_ROWS).map((item) => [
        codeSafe(truncate(item.key, MAX_KEY_CHARS)),
        codeSafe(displayValue(item.value, MAX_VALUE_CHARS)),
        String(item.revision),
        tr(item.visibility === 'public' ? 'Meta_Visibility_public' : 'Meta_Visibility_private'),
    ]);
    const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column]))));
    const render = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column])).join(' | ').trimEnd();
    const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
    return ['```', render(header), rule, ...rows.map(render), '```'].join('\n');
}

/** `votes (set): pizza ×2 (@alice, @bob), pasta ×1 (@carol)`: each value, how many hold it, and who. */
export function stateLine(key: string, view: StateKeyView, tr: Translate, names: ReplyNames = NO_NAMES): string {
    const entries = view.summary
        .slice(0, MAX_SUMMARY_ENTRIES)
        .map((entry) => `${code(displayValue(entry.value, MAX_SUMMARY_VALUE_CHARS))} ×${entry.count} (${holders(entry.users, names, tr)})`);
    if (view.summary.length > MAX_SUMMARY_ENTRIES) {
        entries.push(tr('Meta_More', { count: view.summary.length - MAX_SUMMARY_ENTRIES }));
    }
    return tr('Meta_Get_State_Line', {
        key: code(truncate(key, MAX_KEY_CHARS)),
        type: view.type,
        summary: entries.length > 0 ? entries.join(', ') : tr('Meta_Get_State_Empty'),
    });
}

/** Who holds a value: `@name` where the reply knows it, else the user id; the first few, then a count. */
function holders(userIds: readonly string[], names: ReplyNames, tr: Translate): string {
    const shown = userIds.slice(0, MAX_HOLDERS).map((id) => {
        const username = names.users.get(id);
        return username ? `@${username}` : id;
    });
    if (userIds.length > MAX_HOLDERS) shown.push(tr('Meta_More', { count: userIds.length - MAX_HOLDERS }));
    return shown.join(', ');
}

/** The user ids a reply about `state` would name: every holder it shows. */
export function stateHolders(state: StateView): string[] {
    const ids = new Set<string>();
    for (const key of Object.keys(state)) {
        for (const entry of state[key].summary.slice(0, MAX_SUMMARY_ENTRIES)) entry.users.slice(0, MAX_HOLDERS).forEach((id) => ids.add(id));
    }
    return [...ids];
}

export function code(text: string): string {
    return `\`${codeSafe(text)}\``;
}

function width(text: string): number {
    return Array.from(text).length;
}

function pad(text: string, size: number): string {
    return text + ' '.repeat(Math.max(0, size - width(text)));
}
