import { JsonObject, JsonValue } from '../../core/json';
import { isAtOrUnder } from '../../core/keys';
import { ItemWrite, StateRequest } from '../../core/types';
import { I18nKey, Translate } from '../../i18n/catalog';
import { MetadataView } from '../../service/types';
import { displayValue, readsAsText, truncate } from './displayValue';
import { code, stateLine } from './formatView';
import { NO_NAMES, ReplyNames, subjectLabel } from './subjectLabel';

const MAX_LISTED = 20;
const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 40;

/**
 * What one write did, as the subject's history tells it (only what the caller may read): the keys it
 * wrote and removed, a key replaced by an overlapping one among them. Both empty: the write changed
 * nothing. Replies without it say what was asked only.
 */
export interface WriteChange {
    changed: readonly string[];
    removed: readonly string[];
}

export type ValueType = 'text' | 'number' | 'boolean' | 'object' | 'list';

/** `set`/`update`: each written key with its value, type, revision and visibility, then what it replaced. */
export function formatSaved(
    action: 'set' | 'update',
    view: MetadataView,
    written: readonly ItemWrite[],
    tr: Translate,
    change?: WriteChange,
    names: ReplyNames = NO_NAMES,
): string {
    const heading = tr(action === 'set' ? 'Meta_Saved_Heading' : 'Meta_Updated_Heading', {
        subject: subjectLabel(view.subject, names),
        major: view.majorRevision,
    });
    const byKey = new Map(view.items.map((item) => [item.key, item]));
    const lines = written.slice(0, MAX_LISTED).map(({ key }) => {
        const item = byKey.get(key);
        if (!item) return tr('Meta_Saved_Key', { key: keyCode(key) });
        const details = [
            ...(typeSurprises(item.value) ? [typeName(item.value, tr)] : []),
            ...(change && !change.changed.includes(key) ? [tr('Meta_Unchanged')] : []),
            tr('Meta_Rev', { rev: item.revision }),
            tr(item.visibility === 'public' ? 'Meta_Visibility_public' : 'Meta_Visibility_private'),
        ];
        return tr('Meta_Saved_Item', { key: keyCode(key), value: code(displayValue(item.value, MAX_VALUE_CHARS)), details: details.join(' · ') });
    });
    if (written.length > MAX_LISTED) lines.push(tr('Meta_More', { count: written.length - MAX_LISTED }));
    if (change && change.removed.length > 0) lines.push(tr('Meta_Saved_Replaced', { keys: keyList(change.removed, tr) }));
    const typed = written.map(({ key }) => byKey.get(key)).find((item) => item && (typeof item.value === 'number' || typeof item.value === 'boolean'));
    if (typed) {
        const text = String(typed.value);
        lines.push(tr('Meta_Saved_Typed_Hint', { key: keyCode(typed.key), type: typeName(typed.value, tr), fix: code(`${typed.key}=“${text}”`) }));
    }
    return [heading, ...lines].join('\n');
}

/** `remove`: `keys` absent means the whole set went; keys removed with those named (their branches) are listed. */
export function formatRemoved(
    view: MetadataView,
    keys: readonly string[] | undefined,
    tr: Translate,
    change?: WriteChange,
    names: ReplyNames = NO_NAMES,
): string {
    const subject = subjectLabel(view.subject, names);
    if (keys === undefined) return tr('Meta_Removed_All', { subject, major: view.majorRevision });
    const lines = [tr('Meta_Removed', { subject, major: view.majorRevision, keys: keyList(keys, tr) })];
    const alongside = (change?.removed ?? []).filter((key) => !keys.includes(key));
    if (alongside.length > 0) lines.push(tr('Meta_Removed_Branch', { keys: keyList(alongside, tr) }));
    return lines.join('\n');
}

/**
 * `merge`: what the write set and removed (a key replaced by an overlapping one counts as removed),
 * and which `null`s of the patch found nothing to remove. Without the write's change, read from the patch.
 */
export function formatMerged(view: MetadataView, patch: JsonObject, tr: Translate, change?: WriteChange, names: ReplyNames = NO_NAMES): string {
    const asked = patchPaths(patch);
    const set = change ? [...change.changed] : asked.set;
    const removed = change ? [...change.removed] : asked.removed;
    const missing = change ? asked.removed.filter((path) => !change.removed.some((key) => isAtOrUnder(key, path))) : [];
    const lines = [tr('Meta_Merged', { subject: subjectLabel(view.subject, names), major: view.majorRevision })];
    if (set.length > 0) lines.push(tr('Meta_Merged_Set', { keys: keyList(set, tr) }));
    if (removed.length > 0) lines.push(tr('Meta_Merged_Removed', { keys: keyList(removed, tr) }));
    if (missing.length > 0) lines.push(tr('Meta_Merged_Missing', { keys: keyList(missing, tr) }));
    if (change && set.length === 0 && removed.length === 0) lines.push(tr('Meta_Merged_Nothing'));
    return lines.join('\n');
}

/** `state`: what the caller's entry did, then the key's summary as it now stands, naming who holds what. */
export function formatStateChange(view: MetadataView, request: StateRequest, tr: Translate, names: ReplyNames = NO_NAMES): string {
    const params = {
        subject: subjectLabel(view.subject, names),
        key: keyCode(request.key),
        value: request.value === undefined ? '' : withType(request.value, tr),
    };
    const done =
        request.op === 'add'
            ? tr('Meta_State_Added', params)
            : tr(request.value === undefined ? 'Meta_State_Cleared' : 'Meta_State_Removed', params);
    const keyView = view.state[request.key];
    return keyView ? `${done}\n${stateLine(request.key, keyView, tr, names)}` : done;
}

/** Leaf paths of a merge patch: `null` members remove, everything else sets. */
export function patchPaths(patch: JsonObject): { set: string[]; removed: string[] } {
    const set: string[] = [];
    const removed: string[] = [];
    const walk = (node: Record<string, unknown>, prefix: string) => {
        for (const name of Object.keys(node)) {
            const path = prefix ? `${prefix}.${name}` : name;
            const member = node[name];
            if (member === null) removed.push(path);
            else if (typeof member === 'object' && !Array.isArray(member) && Object.keys(member as object).length > 0) {
                walk(member as Record<string, unknown>, path);
            } else set.push(path);
        }
    };
    walk(patch, '');
    return { set, removed };
}

export function valueType(value: JsonValue): ValueType {
    if (typeof value === 'string') return 'text';
    if (typeof value === 'number') return 'number';
    if (typeof value === 'boolean') return 'boolean';
    return Array.isArray(value) ? 'list' : 'object';
}

/**
 * Plain text is what a value is unless it reads as something else, so the reply names every other
 * type — and text that would read as another type when typed again (`"5"`).
 */
export function typeSurprises(value: JsonValue): boolean {
    return typeof value !== 'string' || !readsAsText(value);
}

const TYPE_TEXT: Record<ValueType, I18nKey> = {
    text: 'Meta_Type_text',
    number: 'Meta_Type_number',
    boolean: 'Meta_Type_boolean',
    object: 'Meta_Type_object',
    list: 'Meta_Type_list',
};

/** `` `pizza` ``, `` `5` (number) ``: the value, and its type when it could surprise. */
function withType(value: JsonValue, tr: Translate): string {
    const shown = code(displayValue(value, MAX_VALUE_CHARS));
    return typeSurprises(value) ? `${shown} (${typeName(value, tr)})` : shown;
}

function typeName(value: JsonValue, tr: Translate): string {
    return tr(TYPE_TEXT[valueType(value)]);
}

function keyCode(key: string): string {
    return code(truncate(key, MAX_KEY_CHARS));
}

function keyList(keys: readonly string[], tr: Translate): string {
    const listed = keys.slice(0, MAX_LISTED).map(keyCode);
    if (keys.length > MAX_LISTED) listed.push(tr('Meta_More', { count: keys.length - MAX_LISTED }));
    return listed.join(', ');
}
