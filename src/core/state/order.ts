import { StateOp } from '../types';
import { canonicalJson } from '../values';
import { JsonValue } from '../json';

/**
 * The one total order of state ops, the only place it is written: (at, id), then the op's canonical
 * JSON. The fold, planning and garbage collection read ops in it, and the store lists a snapshot's
 * ops in it. Ids are unique, so the last tie-breaker only matters for a corrupted log (two records
 * with one id), and keeps even that deterministic: every instance keeps the same one of them.
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
