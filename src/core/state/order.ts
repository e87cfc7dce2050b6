import { StateOp } from '../types';
import { canonicalJson } from '../values';
import { JsonValue } from '../json';

/**
 * The one total order every instance agrees on: (at, id). Ids are unique, so the last tie-breaker
 * only matters for a corrupted log, and keeps even that deterministic.
 */
export function compareStateOps(a: StateOp, b: StateOp): number {
    if (a.at !== b.at) return a.at < b.at ? -1 : 1;
    if (a.id !== b.id) return a.id < b.id ? -1 : 1;
    const left = canonicalJson(a as unknown as JsonValue);
    const right = canonicalJson(b as unknown as JsonValue);
    return left < right ? -1 : left > right ? 1 : 0;
}

/** A sorted copy; an op stored twice (a retried append) counts once. */
export function orderStateOps(ops: readonly StateOp[]): StateOp[] {
    const sorted = [...ops].sort(compareStateOps);
    const seen = new Set<string>();
    return sorted.filter((op) => {
        if (seen.has(op.id)) return false;
        seen.add(op.id);
        return true;
    });
}
