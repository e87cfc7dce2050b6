// The panel's one-click offers (SPEC §17) agree with the rules that judge the op (SPEC §5): whatever a state type
// offers a user is accepted by `plan`, and what it withholds would be refused or change nothing.
import { describe, expect, it } from 'vitest';

import { foldState } from '../../../src/core/state';
import { STATE_RULES } from '../../../src/core/state/registry';
import { JsonValue } from '../../../src/core/json';
import { StateOp, StateType, STATE_TYPES } from '../../../src/core/types';
import { act } from './helpers';

const VALUES: JsonValue[] = ['pizza', 'salad', 3, { a: [1] }];

/** Every short history of one user's adds and removes of two values, for one type. */
function histories(type: StateType): StateOp[][] {
    const out: StateOp[][] = [[]];
    const steps: Array<['add' | 'remove', JsonValue]> = [['add', 'pizza'], ['add', 'salad'], ['remove', 'pizza'], ['remove', 'salad']];
    for (let round = 0; round < 3; round++) {
        for (const log of [...out]) {
            for (const [op, value] of steps) {
                try {
                    out.push(act(log, 'u1', { key: 'k', type, op, value }));
                } catch {
                    // refused by the rules: not a history
                }
            }
        }
    }
    return out;
}

describe('one-click offers', () => {
    for (const type of STATE_TYPES) {
        it(`${type}: an offered op is one plan accepts; a withheld one is refused or changes nothing`, () => {
            const rules = STATE_RULES[type];
            for (const log of histories(type)) {
                const userOps = log.filter((op) => op.userId === 'u1');
                const own = foldState(log).k?.byUser.u1;
                for (const value of [...VALUES, undefined]) {
                    const offered = rules.offer(own, value);
                    const element = value ?? 'something new';
                    const accepts = (op: 'add' | 'remove') => {
                        try {
                            rules.plan(op, 'k', userOps, () => element);
                            return true;
                        } catch {
                            return false;
                        }
                    };
                    if (offered) {
                        expect(accepts(offered)).toBe(true);
                    } else {
                        const unchanged = (op: 'add' | 'remove') => {
                            if (!accepts(op)) return true;
                            const after = foldState(act(log, 'u1', { key: 'k', type, op, value: element })).k?.byUser.u1;
                            return JSON.stringify(after) === JSON.stringify(own);
                        };
                        expect(unchanged('add') && unchanged('remove')).toBe(true);
                    }
                }
            }
        });
    }

    it('a set toggles, fww offers once, lww switches, lwwn switches and takes back', () => {
        expect(STATE_RULES.set.offer(['pizza'], 'pizza')).toBe('remove');
        expect(STATE_RULES.set.offer(['pizza'], 'salad')).toBe('add');
        expect(STATE_RULES.fww.offer(undefined, 'pizza')).toBe('add');
        expect(STATE_RULES.fww.offer('pizza', 'salad')).toBeUndefined();
        expect(STATE_RULES.lww.offer('pizza', 'pizza')).toBeUndefined();
        expect(STATE_RULES.lww.offer('pizza', 'salad')).toBe('add');
        expect(STATE_RULES.lwwn.offer('pizza', 'pizza')).toBe('remove');
        expect(STATE_RULES.lwwn.offer(undefined, undefined)).toBe('add');
    });
});
