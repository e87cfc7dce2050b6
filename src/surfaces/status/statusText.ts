import { openChange, openData } from '../../access/visibility';
import { Item } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { ChangeNotice } from '../../service/types';
import { codeSafe, displayValue, truncate } from '../command/displayValue';
import { neutraliseMentions } from './neutraliseMentions';

const MAX_KEYS = 10;
const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 40;

export interface StatusChange {
    changed: Item[];
    removed: string[];
    stateChanged: string[];
}

/**
 * What a status message says of a change: what the app shows in the open sees of it
 * (access/visibility.ts), the changed items with their values. Undefined when that is nothing.
 */
export function statusChange(notice: ChangeNotice): StatusChange | undefined {
    const change = openChange(notice);
    if (!change) return undefined;
    const shown = new Map(openData(notice.set.items).items.map((item) => [item.key, item]));
    return { changed: change.changed.flatMap((key) => shown.get(key) ?? []), removed: change.removed, stateChanged: change.stateChanged };
}

/** The status line of a change: undefined when there is nothing to say. */
export function statusText(notice: ChangeNotice, tr: Translate): string | undefined {
    const change = statusChange(notice);
    return change && statusLine(notice.actor.username, change, tr);
}

/** "alice changed metadata: `theme` = `dark` · removed: `old`" */
export function statusLine(actor: string, change: StatusChange, tr: Translate): string {
    const parts: string[] = [];
    const changed = list(change.changed.map(showItem), tr);
    if (changed) parts.push(tr('Status_Changed', { actor, keys: changed }));
    const removed = list(change.removed.map(keyCode), tr);
    if (removed) parts.push(tr(parts.length > 0 ? 'Status_Removed_Also' : 'Status_Removed', { actor, keys: removed }));
    const state = list(change.stateChanged.map(keyCode), tr);
    if (state) parts.push(tr(parts.length > 0 ? 'Status_State_Also' : 'Status_State', { actor, keys: state }));
    return neutraliseMentions(parts.join(' · '));
}

function showItem(item: Item): string {
    return `${keyCode(item.key)} = \`${codeSafe(displayValue(item.value, MAX_VALUE_CHARS))}\``;
}

function keyCode(key: string): string {
    return `\`${codeSafe(truncate(key, MAX_KEY_CHARS))}\``;
}

function list(shown: readonly string[], tr: Translate): string {
    const parts = shown.slice(0, MAX_KEYS);
    if (shown.length > MAX_KEYS) parts.push(tr('Status_More', { count: shown.length - MAX_KEYS }));
    return parts.join(', ');
}
