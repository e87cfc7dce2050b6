import { DEFAULT_LIMITS } from '../../../src/core/limits';
import { planStateOp, StateContext } from '../../../src/core/state';
import { StateOp, StateRequest } from '../../../src/core/types';

let counter = 0;

export function stateContext(userId: string, now = 1000): StateContext {
    return { userId, now, newId: () => `op${String(++counter).padStart(6, '0')}`, limits: DEFAULT_LIMITS };
}

/** Plans a request against the log and returns the log with the new op appended. */
export function act(log: StateOp[], userId: string, request: StateRequest, now = 1000): StateOp[] {
    return [...log, planStateOp(log, request, stateContext(userId, now))];
}

export function run(steps: Array<[string, StateRequest]>): StateOp[] {
    return steps.reduce<StateOp[]>((log, [userId, request]) => act(log, userId, request), []);
}
