import { MetadataError } from '../errors';
import { JsonValue } from '../json';
import { quoteKey } from '../keys';
import { StateOp } from '../types';
import { canonicalJson } from '../values';
import { StateTypeRules } from './rules';

/**
 * Observed-remove set per user: an element is present while some add of it is not named by a
 * remove. A remove names only the adds it saw, so an add made concurrently elsewhere survives it,
 * and the result does not depend on the order ops arrive in.
 */
function presentAdds(userOps: readonly StateOp[]): Map<string, { value: JsonValue; ids: string[] }> {
    const removed = removedIds(userOps);
    const present = new Map<string, { value: JsonValue; ids: string[] }>();
    for (const op of userOps) {
        if (op.op !== 'add' || op.value === undefined || removed.has(op.id)) continue;
        const canonical = canonicalJson(op.value);
        const entry = present.get(canonical);
        if (entry) entry.ids.push(op.id);
        else present.set(canonical, { value: op.value, ids: [op.id] });
    }
    return present;
}

/** The add ids some remove of this user names: those adds are gone for good, whatever else arrives. */
export function removedIds(userOps: readonly StateOp[]): Set<string> {
    const removed = new Set<string>();
    for (const op of userOps) if (op.op === 'remove') for (const id of op.removes ?? []) removed.add(id);
    return removed;
}

export const orSetRules: StateTypeRules = {
    valueOf(userOps) {
        const present = presentAdds(userOps);
        if (present.size === 0) return undefined;
        return [...present.keys()].sort().map((canonical) => present.get(canonical)!.value);
    },
    plan(op, key, userOps, value) {
        const element = value();
        if (op === 'add') return { value: element };
        const held = presentAdds(userOps).get(canonicalJson(element));
        // Removing what you do not hold is reported like removing a missing item, so a typo is noticed.
        if (!held) {
            throw new MetadataError(
                'item_not_found',
                `your set ${quoteKey(key)} does not hold ${truncate(canonicalJson(element))}; nothing to remove`,
            );
        }
        return { value: element, removes: held.ids };
    },
    offer(own, value) {
        if (value === undefined || !Array.isArray(own)) return 'add';
        const wanted = canonicalJson(value);
        return own.some((element) => canonicalJson(element) === wanted) ? 'remove' : 'add';
    },
};

function truncate(text: string, max = 64): string {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
