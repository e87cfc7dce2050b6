import { MetadataError } from '../errors';
import { quoteKey } from '../keys';
import { StateOp } from '../types';
import { canonicalJson } from '../values';
import { StateTypeRules } from './rules';

/** Last writer wins, by the (at, id) order every instance shares; there is no way back to "unset". */
export const lwwRules: StateTypeRules = {
    valueOf(userOps) {
        return latestAdd(userOps)?.value;
    },
    plan(op, key, _userOps, value) {
        if (op === 'remove') {
            throw new MetadataError(
                'operation_not_allowed',
                `${quoteKey(key)} is last-writer-wins without unset: add a new value instead of removing`,
            );
        }
        return { value: value() };
    },
    offer(own, value) {
        return value !== undefined && own !== undefined && canonicalJson(own) === canonicalJson(value) ? undefined : 'add';
    },
};

/** The add that decides a user's lww value (exported so garbage collection keeps exactly this one). */
export function latestAdd(userOps: readonly StateOp[]): StateOp | undefined {
    return lastOf(userOps, isValueAdd);
}

export function isValueAdd(op: StateOp): boolean {
    return op.op === 'add' && op.value !== undefined;
}

export function lastOf(ops: readonly StateOp[], matches: (op: StateOp) => boolean): StateOp | undefined {
    for (let i = ops.length - 1; i >= 0; i--) if (matches(ops[i])) return ops[i];
    return undefined;
}
