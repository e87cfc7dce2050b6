import { toDocument } from '../core/document';
import { HistoryRecord } from '../core/history';
import { JsonObject, JsonValue } from '../core/json';
import { selectItems } from '../core/metadataSet';
import { Item, MetadataSet, Visibility } from '../core/types';
import { AccessFacts } from './facts';
import { canRead, canReadPrivate } from './rules';

/*
 * The audience rule of SPEC §6, the one place it is written: what one reader sees of a subject's items
 * and of a change to them. Every surface shows items through it: answers and SNAPSHOTs
 * (service/buildView.ts), UPDATE events, room status messages, the customFields mirror and history.
 *
 * A reader may read private items, or not. One who may not learns nothing of them: no value, no key, not
 * how many changed, not whether one was removed or turned private. So what such a reader sees of a change
 * is what reading the set before and after it would show them: a key is changed when the write touched
 * it and it is visible after; it is removed when it was visible before and is not now — whether the write
 * removed it or turned it private, the two read alike.
 *
 * What the app shows in the open is shown as to a reader without private access (`openData`,
 * `openChange`): any user may read a user's or a room's customFields (the mirror), and a public channel's
 * messages are read by non-members (the room status messages; the app posts the same kind of message in
 * every room).
 */

/** The items one reader may see, and the document built from those alone (no private value nested in a public parent). */
export interface VisibleData {
    items: Item[];
    document: JsonObject;
}

/**
 * The items a reader may see, narrowed to `keys` and their branches when given (chosen keys never
 * reveal a private item), and their document.
 */
export function visibleData(items: readonly Item[], mayReadPrivate: boolean, keys?: readonly string[]): VisibleData {
    const visible = mayReadPrivate ? items.slice() : items.filter(isPublic);
    const chosen = keys && keys.length > 0 ? selectItems(visible, [...keys]) : visible;
    return { items: chosen, document: toDocument(chosen) };
}

/** What the app shows in the open: the customFields mirror. */
export function openData(items: readonly Item[]): VisibleData {
    return visibleData(items, false);
}

/** One write (or a coalesced run of them) as the after-write effects receive it (service/types.ts ChangeNotice). */
export interface Change {
    /** item keys written / removed, and state keys changed */
    changed: readonly string[];
    removed: readonly string[];
    stateChanged: readonly string[];
    /** the items before; absent: nobody can be shown to have seen a removed key, so no removal is shown */
    before?: MetadataSet;
    /** the items after */
    set: MetadataSet;
}

/** A change as one reader sees it, and whether they read private items (for the data sent along). */
export interface VisibleChange {
    changed: string[];
    removed: string[];
    stateChanged: string[];
    mayReadPrivate: boolean;
}

/**
 * A change as one reader sees it, by the rule above; undefined when they see nothing of it, so there
 * is nothing to tell them. State is not private: whoever sees the subject sees its state keys change.
 */
export function visibleChange(change: Change, mayReadPrivate: boolean): VisibleChange | undefined {
    const stateChanged = [...change.stateChanged];
    let changed: string[];
    let removed: string[];
    if (mayReadPrivate) {
        changed = [...change.changed];
        removed = [...change.removed];
    } else {
        const visibleAfter = publicKeys(change.set);
        const visibleBefore = change.before ? publicKeys(change.before) : new Set<string>();
        changed = change.changed.filter((key) => visibleAfter.has(key));
        // A key turned private is among the changed keys: it reads as removed.
        removed = sortedSet([...change.removed, ...change.changed].filter((key) => visibleBefore.has(key) && !visibleAfter.has(key)));
    }
    if (changed.length + removed.length + stateChanged.length === 0) return undefined;
    return { changed, removed, stateChanged, mayReadPrivate };
}

/** A change as one reader (an event's subscriber) sees it: nothing when they may no longer see the subject. */
export function changeSeenBy(facts: AccessFacts, change: Change): VisibleChange | undefined {
    return canRead(facts) ? visibleChange(change, canReadPrivate(facts)) : undefined;
}

/** A change as what the app shows in the open sees it: a room's status message. */
export function openChange(change: Change): VisibleChange | undefined {
    return visibleChange(change, false);
}

export interface VisibleHistoryEntry {
    majorRevision: number;
    at: string;
    actor: string;
    changed: { key: string; value: JsonValue; visibility: Visibility }[];
    removed: string[];
}

/**
 * A history entry as one reader may read it now (SPEC §14), by the same rule; history keeps what the set
 * before no longer tells: which removed keys were public, and which keys turned private (`hidden`).
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
        removed: sortedSet(removed),
    };
}

function isPublic(item: Item): boolean {
    return item.visibility === 'public';
}

function publicKeys(set: MetadataSet): Set<string> {
    return new Set(set.items.filter(isPublic).map((item) => item.key));
}

function sortedSet(keys: readonly string[]): string[] {
    return [...new Set(keys)].sort();
}
