import { JsonValue } from '../json';
import { compareKeys } from '../keys';
import { StateOp, StateView } from '../types';
import { orderStateOps } from './order';
import { rulesFor } from './registry';
import { summarizeState } from './summary';

/**
 * The state view from the whole op log. Every instance folds the same log in the same (at, id) order,
 * so all of them show the same values whatever order the ops were read in.
 */
export function foldState(ops: readonly StateOp[]): StateView {
    const byKey = new Map<string, StateOp[]>();
    for (const op of orderStateOps(ops)) {
        const keyOps = byKey.get(op.key);
        if (keyOps) keyOps.push(op);
        else byKey.set(op.key, [op]);
    }
    const view: StateView = {};
    for (const key of [...byKey.keys()].sort(compareKeys)) {
        if (key === '__proto__') continue;
        const keyOps = byKey.get(key)!;
        // The first op fixes the key's type; ops of any other type (a lost race) do not count.
        const type = keyOps[0].type;
        const rules = rulesFor(type);
        if (!rules) continue;
        const byUser: Record<string, JsonValue> = {};
        const opsByUser = groupByUser(keyOps.filter((op) => op.type === type));
        for (const userId of [...opsByUser.keys()].sort(compareKeys)) {
            const value = rules.valueOf(opsByUser.get(userId)!);
            if (value !== undefined && userId !== '__proto__') byUser[userId] = value;
        }
        if (Object.keys(byUser).length === 0) continue;
        view[key] = { type, byUser, summary: summarizeState(type, byUser) };
    }
    return view;
}

export function groupByUser(ops: readonly StateOp[]): Map<string, StateOp[]> {
    const byUser = new Map<string, StateOp[]>();
    for (const op of ops) {
        const userOps = byUser.get(op.userId);
        if (userOps) userOps.push(op);
        else byUser.set(op.userId, [op]);
    }
    return byUser;
}
