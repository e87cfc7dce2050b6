import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderStateOps } from '../../../src/core/state';
import { StateOp } from '../../../src/core/types';
import { propertyRuns } from '../../support/propertyRuns';

const op = (at: number, id: string, value: number = 0): StateOp => ({ id, key: 'k', type: 'lww', op: 'add', userId: 'u', at, value });

/** The rule as the test states it: `at` first, then `id` as a string; equal (at, id) is a tie. */
const before = (a: StateOp, b: StateOp): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);

describe('state ops are ordered by (at, id), then by their canonical JSON; an op stored twice counts once', () => {
    it('orders by at, then by id compared as text', () => {
        // `a!` after `a`: the ids themselves decide, not their JSON (where `"a"` would follow `"a!`).
        const ops = [op(5, 'b'), op(3, 'z'), op(5, 'a!'), op(5, 'a'), op(5, '10'), op(5, '9'), op(-1, 'q')];
        expect(orderStateOps(ops).map((o) => `${o.at}/${o.id}`)).toEqual(['-1/q', '3/z', '5/10', '5/9', '5/a', '5/a!', '5/b']);
    });

    it('keeps one op per id: the same one, whatever order the records were read in', () => {
        // A damaged log: two different records carry the id `x`. The one whose canonical JSON is first stays.
        const kept = [op(5, 'x', 1), op(1, 'a'), op(5, 'x', 2), op(5, 'x', 1)];
        for (const input of [kept, [...kept].reverse(), [kept[2], kept[0], kept[1]]]) {
            expect(orderStateOps(input)).toEqual([op(1, 'a'), op(5, 'x', 1)]);
        }
    });

    it('gives the same list for any arrival order and any duplicates, sorted by (at, id) with unique ids', () => {
        const ops = fc.array(
            fc.record({ at: fc.integer({ min: 0, max: 3 }), id: fc.constantFrom('a', 'b', 'c', '10', '9'), value: fc.integer({ min: 0, max: 2 }) }),
            { maxLength: 12 },
        ).map((fields) => fields.map(({ at, id, value }) => op(at, id, value)));
        fc.assert(
            fc.property(
                ops.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
                ([arrived, otherwise]) => {
                    const ordered = orderStateOps(arrived);
                    expect(orderStateOps(otherwise)).toEqual(ordered);
                    for (let i = 1; i < ordered.length; i++) expect(before(ordered[i - 1], ordered[i])).toBe(true);
                    expect(new Set(ordered.map((o) => o.id)).size).toBe(new Set(arrived.map((o) => o.id)).size);
                },
            ),
            { numRuns: propertyRuns(300) },
        );
    });
});
