import { Item } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { ChangeNotice } from '../../service/types';
import { codeSafe, displayValue, truncate } from '../command/displayValue';
import { neutraliseMentions } from './neutraliseMentions';

const MAX_KEYS = 10;
const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 40;

/** Which changed and removed keys a status message may name; the rest it only counts. */
export interface PublicChange {
    changed: Item[];
    removed: string[];
    privateChanged: number;
    privateRemoved: number;
}

/**
 * Public channels can be read by non-members, who may not read private items: so a status message
 * names public items only (with their values) and merely counts private ones. A key removed is
 * public only if it was public before the write; without `before` it counts as private.
 */
export function publicChange(notice: ChangeNotice): PublicChange {
    const now = new Map(notice.set.items.map((item) => [item.key, item]));
    const before = new Map((notice.before?.items ?? []).map((item) => [item.key, item]));
    const changed = notice.changed.map((key) => now.get(key)).filter((item): item is Item => item?.visibility === 'public');
    const removed = notice.removed.filter((key) => before.get(key)?.visibility === 'public');
    return {
        changed,
        removed,
        privateChanged: notice.changed.length - changed.length,
        privateRemoved: notice.removed.length - removed.length,
    };
}

/**
 * "alice changed metadata: `theme` = `dark`, 1 private item · removed: `old`". Undefined when there
 * is nothing to say.
 */
export function statusText(notice: ChangeNotice, tr: Translate): string | undefined {
    const change = publicChange(notice);
    const actor = notice.actor.username;
    const parts: string[] = [];
    const changed = list(change.changed.map(showItem), change.privateChanged, tr);
    if (changed) parts.push(tr('Status_Changed', { actor, keys: changed }));
    const removed = list(change.removed.map(keyCode), change.privateRemoved, tr);
    if (removed) parts.push(tr(parts.length > 0 ? 'Status_Removed_Also' : 'Status_Removed', { actor, keys: removed }));
    const state = list(notice.stateChanged.map(keyCode), 0, tr);
    if (state) parts.push(tr(parts.length > 0 ? 'Status_State_Also' : 'Status_State', { actor, keys: state }));
    return parts.length > 0 ? neutraliseMentions(parts.join(' · ')) : undefined;
}

function showItem(item: Item): string {
    return `${keyCode(item.key)} = \`${codeSafe(displayValue(item.value, MAX_VALUE_CHARS))}\``;
}

function keyCode(key: string): string {
    return `\`${codeSafe(truncate(key, MAX_KEY_CHARS))}\``;
}

function list(shown: readonly string[], privateCount: number, tr: Translate): string {
    const parts = shown.slice(0, MAX_KEYS);
    if (shown.length > MAX_KEYS) parts.push(tr('Status_More', { count: shown.length - MAX_KEYS }));
    if (privateCount > 0) parts.push(tr('Status_Private_Count', { count: privateCount }));
    return parts.join(', ');
}
