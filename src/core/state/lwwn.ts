import { MetadataError } from '../errors';
import { quoteKey } from '../keys';
import { StateOp } from '../types';
import { lastOf } from './lww';
import { canonicalJson } from '../values';
import { StateTypeRules } from './rules';

/** A remove or a valued add: the ops that can decide an lwwn value. */
export function isWrite(op: StateOp): boolean {
    return op.op === 'remove' || op.value !== undefined;
}

/** The op that decides a user's lwwn value (shared with garbage collection, so both agree on it). */
export function latestWrite(userOps: readonly StateOp[]): StateOp | undefined {
    return lastOf(userOps, isWrite);
}

/** Last writer wins, and a remove is a write too: the latest op decides, a remove leaving no value. */
export const lwwnRules: StateTypeRules = {
    valueOf(userOps) {
        const last = latestWrite(userOps);
        return last?.op === 'add' ? last.value : undefined;
    },
    plan(op, key, userOps, value) {
        if (op === 'add') return { value: value() };
        // Same answer as removing a missing item or an element a set does not hold.
        if (lwwnRules.valueOf(userOps) === undefined) {
            throw new MetadataError('item_not_found', `you have no value for ${quoteKey(key)}; nothing to remove`);
        }
        return {};
    },
    offer(own, value) {
        return value !== undefined && own !== undefined && canonicalJson(own) === canonicalJson(value) ? 'remove' : 'add';
    },
};
