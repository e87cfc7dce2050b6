import { MetadataError } from '../errors';
import { expectOneOf, expectRecord } from '../fields';
import { quoteKey, validateKey } from '../keys';
import { checkKeySegments, MAX_KEY_SEGMENTS, MAX_NESTING_DEPTH, validateValue } from '../limits';
import { Limits, STATE_OP_KINDS, STATE_TYPES, StateOp, StateRequest, StateType } from '../types';
import { orderStateOps } from './order';
import { STATE_RULES } from './registry';

export interface StateContext {
    userId: string;
    /** wall clock, ms */
    now: number;
    newId: () => string;
    limits: Limits;
}

/**
 * The op to append for a request, judged against the ops this instance has seen. A user only ever
 * writes their own entry, so only their own ops decide what they may do.
 */
export function planStateOp(ops: readonly StateOp[], request: StateRequest, ctx: StateContext): StateOp {
    expectRecord(request, 'the state request');
    const key = validateKey(request.key);
    const op = expectOneOf(request.op, STATE_OP_KINDS, 'op');
    const requested = request.type === undefined ? undefined : expectOneOf(request.type, STATE_TYPES, 'type');
    const keyOps = orderStateOps(ops).filter((candidate) => candidate.key === key);
    const existing = keyOps[0]?.type;
    if (requested !== undefined && existing !== undefined && requested !== existing) {
        throw new MetadataError(
            'type_mismatch',
            `state ${quoteKey(key)} is of type "${existing}", not "${requested}"; a key's type is fixed by its first operation`,
            { type: existing },
        );
    }
    const type: StateType = existing ?? requested ?? 'set';
    const userOps = keyOps.filter((candidate) => candidate.type === type && candidate.userId === ctx.userId);
    // Only adds are held to the shape limits: a value stored under a higher limit can always be removed.
    const limits = op === 'add' ? ctx.limits : { ...ctx.limits, nestingDepth: MAX_NESTING_DEPTH, keySegments: MAX_KEY_SEGMENTS };
    checkKeySegments(key, limits);
    const fields = STATE_RULES[type].plan(op, key, userOps, () => {
        if (request.value === undefined) {
            const what = op === 'add' ? `the value to add to ${quoteKey(key)}` : `the value to take out of your set ${quoteKey(key)}`;
            throw new MetadataError('invalid_value', `${what} is missing: name it`);
        }
        return validateValue(request.value, limits, key);
    });
    // A hybrid logical clock: an op ordered after everything this instance saw, even if its clock lags.
    const latest = keyOps.reduce((max, candidate) => Math.max(max, candidate.at), -Infinity);
    const at = Math.max(ctx.now, latest + 1);
    const planned: StateOp = { id: ctx.newId(), key, type, op, userId: ctx.userId, at };
    if (fields.value !== undefined) planned.value = fields.value;
    if (fields.removes !== undefined) planned.removes = fields.removes;
    return planned;
}
