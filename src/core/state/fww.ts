import { MetadataError } from '../errors';
import { quoteKey } from '../keys';
import { StateOp } from '../types';
import { isValueAdd } from './lww';
import { StateTypeRules } from './rules';

/** The add that decides a user's fww value (exported so garbage collection keeps exactly this one). */
export function firstAdd(userOps: readonly StateOp[]): StateOp | undefined {
    return userOps.find(isValueAdd);
}

/** First writer wins: a user's first add sticks for good. */
export const fwwRules: StateTypeRules = {
    valueOf(userOps) {
        return firstAdd(userOps)?.value;
    },
    plan(op, key, userOps, value) {
        if (op === 'remove') {
            throw new MetadataError(
                'operation_not_allowed',
                `${quoteKey(key)} is first-writer-wins: a value once set cannot be removed`,
            );
        }
        if (fwwRules.valueOf(userOps) !== undefined) {
            throw new MetadataError(
                'operation_not_allowed',
                `first writer wins: your value for ${quoteKey(key)} is already set and cannot change`,
            );
        }
        return { value: value() };
    },
    offer(own) {
        return own === undefined ? 'add' : undefined;
    },
};
