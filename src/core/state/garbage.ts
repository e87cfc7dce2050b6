import { StateOp } from '../types';
import { groupByUser } from './fold';
import { garbageRulesFor } from './garbageRules';
import { orderStateOps } from './order';

/**
 * The ids of state ops that can be deleted without changing `foldState`, now or after any op that
 * may still arrive. The answer is in deletion order: deleting any prefix of it is just as safe, so a
 * caller may delete a bounded batch from the front and stop at the first failure.
 *
 * WHY ONLY OLD OPS: an op is a candidate only when `now - at > graceMs`. Ops still in flight (planned
 * on another instance, not yet visible) carry an HLC time of at least that instance's clock, so with
 * clocks and append latency within `graceMs` of ours, every op that can still arrive has
 * `at > now - graceMs`: it is ordered after every candidate, and every op a candidate depends on is
 * already visible. Each type's rule (garbageRules.ts) only has to hold against ops that come later.
 *
 * THE TYPE-FIXING OP IS NEVER COLLECTED. The earliest op of a key fixes its type: while it stays,
 * ops of another type are ignored now and forever (a later op can never come before it), and
 * requests without a `type` keep inferring the key's type from it. Collecting it even when nobody
 * holds a value any more would let the next op restart the key with another type: `400
 * type_mismatch` would turn into success, an untyped add to an emptied lwwn key would make it a set,
 * and the first-write race between instances that SPEC §5 settles once per key would reopen each
 * time a key empties. So a key keeps its first op (plus, for set/lwwn, whatever silences its value
 * when that was withdrawn): a constant few records per key ever used, instead of one per toggle.
 */
export function collectGarbage(ops: readonly StateOp[], now: number, graceMs: number): string[] {
    const old = (op: StateOp): boolean => now - op.at > graceMs;
    const garbage: string[] = [];
    for (const keyOps of opsByKey(orderStateOps(ops))) {
        for (const op of keyGarbage(keyOps, old)) garbage.push(op.id);
    }
    return garbage;
}

/** One key's garbage; `keyOps` in (at, id) order, non-empty. */
function keyGarbage(keyOps: readonly StateOp[], old: (op: StateOp) => boolean): StateOp[] {
    const typeFixer = keyOps[0];
    const collectable = (op: StateOp): boolean => op !== typeFixer && old(op);
    // The fold ignores ops of another type than the first op's, and the first op stays first.
    const offType = keyOps.filter((op) => op.type !== typeFixer.type && collectable(op));
    const typed = keyOps.filter((op) => op.type === typeFixer.type);
    const rule = garbageRulesFor(typeFixer.type);
    // A key of an unknown type is not shown at all, whatever follows its first op.
    if (!rule) return [...offType, ...typed.filter(collectable)];
    const perUser = [...groupByUser(typed).values()].flatMap((userOps) => rule(userOps, collectable));
    return [...offType, ...perUser];
}

function opsByKey(ordered: readonly StateOp[]): StateOp[][] {
    const byKey = new Map<string, StateOp[]>();
    for (const op of ordered) {
        const keyOps = byKey.get(op.key);
        if (keyOps) keyOps.push(op);
        else byKey.set(op.key, [op]);
    }
    return [...byKey.values()];
}
