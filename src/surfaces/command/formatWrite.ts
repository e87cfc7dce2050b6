import { JsonObject } from '../../core/json';
import { ItemWrite, StateRequest } from '../../core/types';
import { Translate } from '../../i18n/catalog';
import { MetadataView } from '../../service/types';
import { displayValue, truncate } from './displayValue';
import { code, stateLine } from './formatView';
import { subjectLabel } from './subjectLabel';

const MAX_LISTED = 20;
const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 40;

/** `set`/`update`: each written key with its value, revision and visibility as they now stand. */
export function formatSaved(action: 'set' | 'update', view: MetadataView, written: readonly ItemWrite[], tr: Translate): string {
    const heading = tr(action === 'set' ? 'Meta_Saved_Heading' : 'Meta_Updated_Heading', {
        subject: subjectLabel(view.subject),
        major: view.majorRevision,
    });
    const byKey = new Map(view.items.map((item) => [item.key, item]));
    const lines = written.slice(0, MAX_LISTED).map(({ key }) => {
        const item = byKey.get(key);
        if (!item) return tr('Meta_Saved_Key', { key: keyCode(key) });
        return tr('Meta_Saved_Item', {
            key: keyCode(key),
            value: code(displayValue(item.value, MAX_VALUE_CHARS)),
            rev: item.revision,
            visibility: item.visibility,
        });
    });
    if (written.length > MAX_LISTED) lines.push(tr('Meta_More', { count: written.length - MAX_LISTED }));
    return [heading, ...lines].join('\n');
}

/** `remove`: `keys` absent means the whole set went. */
export function formatRemoved(view: MetadataView, keys: readonly string[] | undefined, tr: Translate): string {
    const subject = subjectLabel(view.subject);
    if (keys === undefined) return tr('Meta_Removed_All', { subject, major: view.majorRevision });
    return tr('Meta_Removed', { subject, major: view.majorRevision, keys: keyList(keys, tr) });
}

/** `merge`: what the patch set and removed, read from the patch as dot keys. */
export function formatMerged(view: MetadataView, patch: JsonObject, tr: Translate): string {
    const { set, removed } = patchPaths(patch);
    const lines = [tr('Meta_Merged', { subject: subjectLabel(view.subject), major: view.majorRevision })];
    if (set.length > 0) lines.push(tr('Meta_Merged_Set', { keys: keyList(set, tr) }));
    if (removed.length > 0) lines.push(tr('Meta_Merged_Removed', { keys: keyList(removed, tr) }));
    return lines.join('\n');
}

/** `state`: what the caller's entry did, then the key's summary as it now stands. */
export function formatStateChange(view: MetadataView, request: StateRequest, tr: Translate): string {
    const params = {
        subject: subjectLabel(view.subject),
        key: keyCode(request.key),
        value: request.value === undefined ? '' : code(displayValue(request.value, MAX_VALUE_CHARS)),
    };
    const done =
        request.op === 'add'
            ? tr('Meta_State_Added', params)
            : tr(request.value === undefined ? 'Meta_State_Cleared' : 'Meta_State_Removed', params);
    const keyView = view.state[request.key];
    return keyView ? `${done}\n${stateLine(request.key, keyView, tr)}` : done;
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

function keyCode(key: string): string {
    return code(truncate(key, MAX_KEY_CHARS));
}

function keyList(keys: readonly string[], tr: Translate): string {
    const listed = keys.slice(0, MAX_LISTED).map(keyCode);
    if (keys.length > MAX_LISTED) listed.push(tr('Meta_More', { count: keys.length - MAX_LISTED }));
    return listed.join(', ');
}
