import { describe, expect, it } from 'vitest';
import { collectGarbage, foldState, planStateOp } from '../../../src/core/state';
import { StateOp, StateRequest } from '../../../src/core/types';
import { expectError } from '../helpers';
import { stateContext } from './helpers';

/*
 * Each collection rule on a small story. Times: NOW = 10 000 ms, grace 1 000 ms, so an op at
 * 8 000 is old enough to collect and an op at 9 500 is not.
 */
const NOW = 10_000;
const GRACE = 1_000;
const OLD = 1_000;
const YOUNG = 9_500;

let counter = 0;
let clock = OLD;

/** One op by `userId` on key `k` of `type`, a tick after the previous one. */
function op(userId: string, type: StateOp['type'], kind: StateOp['op'], value?: StateOp['value'], removes?: string[], at = clock++): StateOp {
    const made: StateOp = { id: `o${String(++counter).padStart(3, '0')}`, key: 'k', type, op: kind, userId, at };
    if (value !== undefined) made.value = value;
    if (removes) made.removes = removes;
    return made;
}

function garbage(log: StateOp[]): string[] {
    return collectGarbage(log, NOW, GRACE);
}

function expectSameView(log: StateOp[]): void {
    const kept = log.filter((o) => !garbage(log).includes(o.id));
    expect(foldState(kept)).toEqual(foldState(log));
}

describe('collecting garbage, rule by rule', () => {
    it('forgets the lunch choices Alice replaced and keeps her latest one (lww)', () => {
        const first = op('alice', 'lww', 'add', 'pizza');
        const second = op('alice', 'lww', 'add', 'sushi');
        const latest = op('alice', 'lww', 'add', 'ramen');
        const log = [first, second, latest];
        // The first op stays: it fixes the key's type.
        expect(garbage(log)).toEqual([second.id]);
        expectSameView(log);
    });

    it("keeps Alice's very first answer in a first-writer-wins key and forgets her later attempts (fww)", () => {
        const bobFirst = op('bob', 'fww', 'add', 'yes');
        const aliceFirst = op('alice', 'fww', 'add', 'no');
        const aliceAgain = op('alice', 'fww', 'add', 'maybe');
        const bobAgain = op('bob', 'fww', 'add', 'no');
        const log = [bobFirst, aliceFirst, aliceAgain, bobAgain];
        expect(garbage(log).sort()).toEqual([aliceAgain.id, bobAgain.id].sort());
        expectSameView(log);
    });

    it("keeps only Bob's latest status in a key he can unset (lwwn)", () => {
        const aliceStarts = op('alice', 'lwwn', 'add', 'here');
        const b1 = op('bob', 'lwwn', 'add', 'away');
        const b2 = op('bob', 'lwwn', 'remove');
        const b3 = op('bob', 'lwwn', 'add', 'busy');
        const log = [aliceStarts, b1, b2, b3];
        expect(garbage(log)).toEqual([b1.id, b2.id]);
        expectSameView(log);
    });

    it('forgets everything of Bob once he unset his status, the unset last (lwwn)', () => {
        const aliceStarts = op('alice', 'lwwn', 'add', 'here');
        const b1 = op('bob', 'lwwn', 'add', 'away');
        const b2 = op('bob', 'lwwn', 'remove');
        const log = [aliceStarts, b1, b2];
        // Deleting the unset before the value would show "away" again for a moment.
        expect(garbage(log)).toEqual([b1.id, b2.id]);
        expectSameView(log);
    });

    it('forgets a tag Carol added and removed again, and then the removal (set)', () => {
        const start = op('alice', 'set', 'add', 'a');
        const add = op('carol', 'set', 'add', 'x');
        const keep = op('carol', 'set', 'add', 'y');
        const remove = op('carol', 'set', 'remove', 'x', [add.id]);
        const log = [start, add, keep, remove];
        // The add goes before the removal that cancels it.
        expect(garbage(log)).toEqual([add.id, remove.id]);
        expectSameView(log);
    });

    it('keeps a removal while the add it cancelled is still stored (set)', () => {
        const start = op('alice', 'set', 'add', 'a');
        const add = op('carol', 'set', 'add', 'x');
        const remove = op('carol', 'set', 'remove', 'x', [add.id]);
        // The add is still young, so it stays, and so must the removal that hides it.
        add.at = YOUNG;
        expect(garbage([start, add, remove])).toEqual([]);
    });

    it('forgets a removal whose adds were collected earlier (set)', () => {
        const start = op('alice', 'set', 'add', 'a');
        const remove = op('carol', 'set', 'remove', 'x', ['collected-long-ago']);
        expect(garbage([start, remove])).toEqual([remove.id]);
    });

    it('keeps a tag Carol added again on another server while she removed it elsewhere (set)', () => {
        const start = op('alice', 'set', 'add', 'a');
        const add = op('carol', 'set', 'add', 'x');
        const readdedElsewhere = op('carol', 'set', 'add', 'x');
        const remove = op('carol', 'set', 'remove', 'x', [add.id]);
        const log = [start, add, readdedElsewhere, remove];
        expect(garbage(log)).toEqual([add.id, remove.id]);
        expect(foldState(log.filter((o) => !garbage(log).includes(o.id))).k.byUser.carol).toEqual(['x']);
    });

    it("forgets ops that lost the race for the key's type", () => {
        const first = op('alice', 'set', 'add', 'a');
        const lostRace = op('bob', 'lww', 'add', 'b');
        expect(garbage([first, lostRace])).toEqual([lostRace.id]);
    });

    it('leaves everything younger than the grace period alone: another server may still be sending ops', () => {
        const first = op('alice', 'lww', 'add', 'pizza');
        const replaced = op('alice', 'lww', 'add', 'sushi', undefined, YOUNG);
        const latest = op('alice', 'lww', 'add', 'ramen', undefined, YOUNG + 1);
        expect(garbage([first, replaced, latest])).toEqual([]);
    });

    it('forgets an old value that a young one already replaced', () => {
        const first = op('alice', 'lww', 'add', 'pizza');
        const replaced = op('alice', 'lww', 'add', 'sushi');
        const latest = op('alice', 'lww', 'add', 'ramen', undefined, YOUNG);
        expect(garbage([first, replaced, latest])).toEqual([replaced.id]);
    });
});

describe("a key's type outlives garbage collection", () => {
    /** Alice sets and unsets a status, Bob too: afterwards nobody holds a value. */
    function emptiedStatus(): { log: StateOp[]; first: StateOp; aliceUnset: StateOp } {
        const first = op('alice', 'lwwn', 'add', 'here');
        const log = [first, op('bob', 'lwwn', 'add', 'away'), op('alice', 'lwwn', 'add', 'out'), op('bob', 'lwwn', 'remove')];
        const aliceUnset = op('alice', 'lwwn', 'remove');
        return { log: [...log, aliceUnset], first, aliceUnset };
    }

    it('keeps the first op of a key, and what silences it, after everyone withdrew their value', () => {
        const { log, first, aliceUnset } = emptiedStatus();
        expect(foldState(log)).toEqual({});
        const kept = log.filter((o) => !garbage(log).includes(o.id));
        expect(kept).toEqual([first, aliceUnset]);
        expect(foldState(kept)).toEqual({});
    });

    it('still refuses another type, and still treats a request without a type as the original type', () => {
        const { log } = emptiedStatus();
        const kept = log.filter((o) => !garbage(log).includes(o.id));
        const asSet: StateRequest = { key: 'k', type: 'set', op: 'add', value: 'x' };
        expectError(() => planStateOp(kept, asSet, stateContext('carol', NOW)), 'type_mismatch');
        expect(planStateOp(kept, { key: 'k', op: 'add', value: 'x' }, stateContext('carol', NOW)).type).toBe('lwwn');
    });
});
