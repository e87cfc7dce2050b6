import { flattenDocument, mergePatch } from './document';
import { MetadataError } from './errors';
import { checkVisibilityField, expectArray, expectRecord } from './fields';
import { JsonObject, JsonValue, NullableJsonValue } from './json';
import {
    ancestorKeys, compareKeys, isAtOrUnder, isDescendantKey, memberKey, quoteKey, validateKey,
} from './keys';
import { checkKeySegments, checkNesting, checkRequestItemCount, checkSetLimits, validateValue } from './limits';
import { itemsOrDocument } from './requests';
import { checkRevisionField, checkRevisions } from './revisions';
import {
    Item, Limits, MergeRequest, MetadataSet, RemoveRequest, SetRequest, UpdateRequest, Visibility, WriteOutcome,
} from './types';
import { isPlainRecord, jsonEquals } from './values';

export interface WriteContext {
    actorId: string;
    /** when the write happens, ISO-8601 (every `now` of the app is ms since the epoch) */
    at: string;
    defaultVisibility: Visibility;
    limits: Limits;
}

export function emptySet(): MetadataSet {
    return { majorRevision: 0, items: [] };
}

/** One item a request writes, after its key, value and checks were validated. */
interface CheckedWrite {
    key: string;
    value: JsonValue;
    revision?: number;
    visibility?: Visibility;
}

/** Everything a write does, decided before anything is applied. */
interface WritePlan {
    writes: CheckedWrite[];
    /** keys whose item and every item under it go */
    removals: string[];
}

export function applySet(set: MetadataSet, request: SetRequest, ctx: WriteContext): WriteOutcome {
    const { majorRevision } = checkCommonFields(request, 'set');
    const writes = itemsOrDocument(request) === 'items'
        ? checkItemWrites(request.items, ctx.limits)
        : checkDocumentWrites(request.document, ctx.limits);
    checkNoOverlap(writes.map((write) => write.key));
    const current = indexItems(set);
    checkRevisions(set, majorRevision, writes, current);
    return commit(set, current, { writes, removals: [] }, ctx);
}

export function applyUpdate(set: MetadataSet, request: UpdateRequest, ctx: WriteContext): WriteOutcome {
    const { majorRevision } = checkCommonFields(request, 'update');
    if (request.items === undefined) {
        throw new MetadataError('invalid_request', 'an update request needs "items" (a list of {key, value})');
    }
    const writes = checkItemWrites(request.items, ctx.limits);
    checkNoOverlap(writes.map((write) => write.key));
    const current = indexItems(set);
    checkRevisions(set, majorRevision, writes, current);
    const missing = writes.map((write) => write.key).filter((key) => !current.has(key));
    if (missing.length > 0) {
        throw new MetadataError(
            'item_not_found',
            `no item ${missing.map((key) => quoteKey(key)).join(', ')}; update changes only existing items ` +
                '(use set to create items), nothing was written',
            { items: missing },
        );
    }
    return commit(set, current, { writes, removals: [] }, ctx);
}

/**
 * Removing `a` removes the item `a` and every item under it, as the document view shows them as one;
 * a key with nothing at or under it is missing.
 */
export function applyRemove(set: MetadataSet, request: RemoveRequest, ctx: WriteContext): WriteOutcome {
    const { majorRevision } = checkCommonFields(request, 'remove');
    const current = indexItems(set);
    const listed = request.items === undefined ? [] : expectArray(request.items, 'items');
    if (listed.length === 0) {
        checkRevisions(set, majorRevision, [], current);
        return commit(set, current, { writes: [], removals: [...current.keys()] }, ctx);
    }
    checkRequestItemCount(listed.length, ctx.limits);
    const refs = listed.map((ref, index) => {
        const field = `items[${index}]`;
        const record = expectRecord(ref, field, 'an object {key, revision?}');
        return { key: validateKey(record.key), revision: checkRevisionField(record.revision, `${field}.revision`) };
    });
    const keys = refs.map((ref) => ref.key);
    checkNoOverlap(keys);
    checkRevisions(set, majorRevision, refs, current);
    const present = [...current.keys()];
    const missing = keys.filter((key) => !present.some((existing) => isAtOrUnder(existing, key)));
    if (missing.length > 0) {
        throw new MetadataError(
            'item_not_found',
            `no item ${missing.map((key) => quoteKey(key)).join(', ')} to remove, nothing was removed`,
            { items: missing },
        );
    }
    return commit(set, current, { writes: [], removals: keys }, ctx);
}

/**
 * An admin's repair (SPEC §12: no input can make a subject unreadable): removes the listed keys and
 * their branches, or every item, judging neither the keys nor the values — what was stored under
 * older, looser limits must be removable too. Keys that are not there are skipped.
 */
export function applyRepair(set: MetadataSet, keys: readonly string[] | 'all', ctx: WriteContext): WriteOutcome {
    const current = indexItems(set);
    return commit(set, current, { writes: [], removals: keys === 'all' ? [...current.keys()] : [...keys] }, ctx);
}

/** RFC 7396 on the document view, applied item by item (see planMerge). */
export function applyMerge(set: MetadataSet, request: MergeRequest, ctx: WriteContext): WriteOutcome {
    const { majorRevision } = checkCommonFields(request, 'merge');
    const patch = expectRecord(request.patch, 'patch', 'a JSON object (the merge patch)');
    checkNesting(patch, ctx.limits, 'the merge patch');
    const current = indexItems(set);
    const plan: WritePlan = { writes: [], removals: [] };
    planMerge(current, patch as { [key: string]: NullableJsonValue }, '', ctx.limits, plan);
    checkRequestItemCount(plan.writes.length + plan.removals.length, ctx.limits);
    checkRevisions(set, majorRevision, [], current);
    return commit(set, current, plan, ctx);
}

/**
 * For each patch member at path P: null removes P and everything under it; an existing item at P is
 * merged as one value (an object-valued item stays one item); a non-empty object recurses, and leaves
 * `{}` at P when nothing else is left there (see leavesSomethingAt); `{}` over existing items changes
 * nothing (as in the document), else it is stored; anything else replaces P.
 */
function planMerge(
    current: ReadonlyMap<string, Item>,
    patch: { [key: string]: NullableJsonValue },
    prefix: string,
    limits: Limits,
    plan: WritePlan,
): void {
    for (const name of Object.keys(patch)) {
        const key = memberKey(prefix, name, 'patch member');
        const member = patch[name];
        const existing = current.get(key);
        if (member === null) {
            plan.removals.push(key);
        } else if (existing) {
            checkKeySegments(key, limits);
            plan.writes.push({ key, value: validateValue(mergePatch(existing.value, member), limits, key) });
        } else if (isPlainRecord(member) && Object.keys(member).length > 0) {
            planMerge(current, member as { [key: string]: NullableJsonValue }, key, limits, plan);
            if (!leavesSomethingAt(current, plan, key)) {
                checkKeySegments(key, limits);
                plan.writes.push({ key, value: {} });
            }
        } else if (isPlainRecord(member) && hasItemsUnder(current, key)) {
            continue;
        } else {
            checkKeySegments(key, limits);
            plan.writes.push({ key, value: validateValue(member, limits, key) });
        }
    }
}

/** No keys (or none) selects everything; a key selects its item and the items under it. */
export function selectItems(items: Item[], keys?: string[]): Item[] {
    if (keys === undefined || keys.length === 0) return items;
    return items.filter((item) => keys.some((key) => isAtOrUnder(item.key, key)));
}

function checkCommonFields(
    request: SetRequest | UpdateRequest | RemoveRequest | MergeRequest,
    operation: string,
): { majorRevision: number | undefined } {
    expectRecord(request, `the ${operation} request`);
    const majorRevision = checkRevisionField(request.majorRevision, 'majorRevision');
    // The cause is never stored: the service checks it once for every write, items and state alike (core/limits validateCause).
    return { majorRevision };
}

function checkItemWrites(items: unknown, limits: Limits): CheckedWrite[] {
    const list = expectArray(items, 'items', 'an array of {key, value, revision?, visibility?}');
    checkRequestItemCount(list.length, limits);
    return list.map((entry, index) => {
        const field = `items[${index}]`;
        const record = expectRecord(entry, field, 'an object {key, value, revision?, visibility?}');
        const key = validateKey(record.key);
        checkKeySegments(key, limits);
        return {
            key,
            value: validateValue(record.value, limits, key),
            revision: checkRevisionField(record.revision, `${field}.revision`),
            visibility: checkVisibilityField(record.visibility, `${field}.visibility`),
        };
    });
}

function checkDocumentWrites(document: unknown, limits: Limits): CheckedWrite[] {
    const record = expectRecord(document, 'document') as JsonObject;
    checkNesting(record, limits, 'the document');
    const leaves = flattenDocument(record);
    checkRequestItemCount(leaves.length, limits);
    return leaves.map(({ key, value }) => {
        checkKeySegments(key, limits);
        return { key, value: validateValue(value, limits, key) };
    });
}

/** One request addresses each part of the document once: `a` twice, or `a` with `a.b`, is ambiguous (a set holds neither). */
export function checkNoOverlap(keys: string[]): void {
    const seen = new Set<string>();
    for (const key of keys) {
        if (seen.has(key)) {
            throw new MetadataError('invalid_request', `key ${quoteKey(key)} appears more than once in the request`);
        }
        seen.add(key);
    }
    for (const key of keys) {
        const ancestor = ancestorKeys(key).find((candidate) => seen.has(candidate));
        if (ancestor !== undefined) {
            throw new MetadataError(
                'invalid_request',
                `keys ${quoteKey(ancestor)} and ${quoteKey(key)} overlap in one request; give one or the other`,
            );
        }
    }
}

function indexItems(set: MetadataSet): Map<string, Item> {
    return new Map(set.items.map((item) => [item.key, item]));
}

/**
 * RFC 7396 keeps an object where the patch has one: `{"a":{"b":null}}` gives `{"a":{}}` whatever was at
 * `a`. In the item view an object exists only as an item or as items under its key, so when a merge
 * leaves nothing at or under P, P becomes an item holding `{}` (`{"a":{"bb":{"ccc":null}}}` on `{}`
 * stores `a.bb` = `{}`, and the document reads `{"a":{"bb":{}}}`).
 */
function leavesSomethingAt(current: ReadonlyMap<string, Item>, plan: WritePlan, key: string): boolean {
    if (plan.writes.some((write) => isAtOrUnder(write.key, key))) return true;
    for (const existing of current.keys()) {
        if (isAtOrUnder(existing, key) && !plan.removals.some((removal) => isAtOrUnder(existing, removal))) return true;
    }
    return false;
}

function hasItemsUnder(current: ReadonlyMap<string, Item>, key: string): boolean {
    for (const existing of current.keys()) if (isDescendantKey(existing, key)) return true;
    return false;
}

/** Applies a validated, CAS-checked plan; the input set is never modified. */
function commit(set: MetadataSet, current: ReadonlyMap<string, Item>, plan: WritePlan, ctx: WriteContext): WriteOutcome {
    const next = new Map(current);
    for (const removal of plan.removals) {
        for (const key of next.keys()) if (isAtOrUnder(key, removal)) next.delete(key);
    }
    for (const write of plan.writes) {
        for (const ancestor of ancestorKeys(write.key)) next.delete(ancestor);
        for (const key of next.keys()) if (isDescendantKey(key, write.key)) next.delete(key);
    }
    const majorRevision = set.majorRevision + 1;
    const changed: string[] = [];
    for (const write of plan.writes) {
        const old = current.get(write.key);
        const visibility = write.visibility ?? old?.visibility ?? ctx.defaultVisibility;
        if (old && old.visibility === visibility && jsonEquals(old.value, write.value)) continue;
        changed.push(write.key);
        next.set(write.key, {
            key: write.key,
            value: write.value,
            revision: majorRevision,
            updatedAt: ctx.at,
            updatedBy: ctx.actorId,
            visibility,
        });
    }
    const removed = [...current.keys()].filter((key) => !next.has(key));
    if (changed.length === 0 && removed.length === 0) return { set, changed: [], removed: [], wrote: false };
    const items = [...next.values()].sort((a, b) => compareKeys(a.key, b.key));
    checkSetLimits(items, set.items, ctx.limits);
    return {
        set: { majorRevision, items },
        changed: changed.sort(compareKeys),
        removed: removed.sort(compareKeys),
        wrote: true,
    };
}
