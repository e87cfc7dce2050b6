import { MetadataError } from '../errors';
import { quoteKey } from '../keys';
import { lastOf } from './lww';
import { StateTypeRules } from './rules';

/** Last writer wins, and a remove is a write too: the latest op decides, a remove leaving no value. */
export const lwwnRules: StateTypeRules = {
    valueOf(userOps) {
        const last = lastOf(userOps, (op) => op.op === 'remove' || op.value !== undefined);
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
};
