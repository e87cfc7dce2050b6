import { HistoryRecord } from '../core/history';
import { JsonValue } from '../core/json';
import { Item, MetadataSet, Visibility } from '../core/types';

/** The items a reader may see: all of them, or only the public ones. */
export function visibleItems(items: readonly Item[], mayReadPrivate: boolean): Item[] {
    return mayReadPrivate ? items.slice() : items.filter((item) => item.visibility === 'public');
}

export interface VisibleChange {
    changed: string[];
    removed: string[];
}

/**
 * What a write changed as one reader sees it. A reader without private access must not even learn
 * the keys of private items, so: a key counts as changed when it is visible after the write, and as
 * removed when it was visible before and is not now (removed, or turned private).
 */
export function visibleChange(
    change: { changed: readonly string[]; removed: readonly string[]; before: MetadataSet | undefined; after: MetadataSet },
    mayReadPrivate: boolean,
): VisibleChange {
    if (mayReadPrivate) return { changed: change.changed.slice(), removed: change.removed.slice() };
    const visibleAfter = publicKeys(change.after);
    // Without the earlier set nothing can be shown to have been visible: report no removals rather than leak.
    const visibleBefore = change.before ? publicKeys(change.before) : new Set<string>();
    const changed = change.changed.filter((key) => visibleAfter.has(key));
    const removed = [...change.removed, ...change.changed]
        .filter((key) => visibleBefore.has(key) && !visibleAfter.has(key));
    return { changed, removed: [...new Set(removed)].sort() };
}

function publicKeys(set: MetadataSet): Set<string> {
    return new Set(set.items.filter((item) => item.visibility === 'public').map((item) => item.key));
}

export interface VisibleHistoryEntry {
    majorRevision: number;
    at: string;
    actor: string;
    changed: { key: string; value: JsonValue; visibility: Visibility }[];
    removed: string[];
}

/**
 * A history entry as one reader may read it now (SPEC §14), by the rule of `visibleChange`: without
 * private access, private items are left out, and a key turned private reads as removed.
 */
export function visibleHistoryEntry(entry: HistoryRecord, mayReadPrivate: boolean): VisibleHistoryEntry {
    const shown = (visibility: Visibility) => mayReadPrivate || visibility === 'public';
    const removed = entry.removed.filter((r) => shown(r.visibility)).map((r) => r.key);
    if (!mayReadPrivate) removed.push(...entry.hidden);
    return {
        majorRevision: entry.revision,
        at: entry.at,
        actor: entry.actor,
        changed: entry.changed.filter((c) => shown(c.visibility)).map((c) => ({ key: c.key, value: c.value, visibility: c.visibility })),
        removed: [...new Set(removed)].sort(),
    };
}
