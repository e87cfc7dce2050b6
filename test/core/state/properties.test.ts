import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../../src/core/errors';
import { DEFAULT_LIMITS } from '../../../src/core/limits';
import { foldState, planStateOp } from '../../../src/core/state';
import { StateOp, StateRequest, StateType } from '../../../src/core/types';

const users = ['alice', 'bob', 'carol'];

const request: fc.Arbitrary<{ user: string; request: StateRequest }> = fc.record({
    user: fc.constantFrom(...users),
    request: fc.record({
        key: fc.constantFrom('k1', 'k2'),
        type: fc.option(fc.constantFrom<StateType>('set', 'fww', 'lww', 'lwwn'), { nil: undefined }),
        op: fc.constantFrom<'add' | 'remove'>('add', 'add', 'remove'),
        value: fc.constantFrom('x', 'y', 1, { z: true }),
    }),
});

/**
 * Several instances, each with its own clock and its own (possibly stale) view of the shared log:
 * a step plans on one instance against what it has seen, and sometimes that instance catches up.
 */
const history = fc
    .array(
        fc.record({ instance: fc.nat({ max: 2 }), step: request, skew: fc.integer({ min: -50, max: 50 }), sync: fc.boolean() }),
        { maxLength: 25 },
    )
    .map((steps) => {
        const log: StateOp[] = [];
        const seen: StateOp[][] = [[], [], []];
        let clock = 1000;
        let ids = 0;
        for (const { instance, step, skew, sync } of steps) {
            clock += 3;
            if (sync) seen[instance] = [...log];
            try {
                const op = planStateOp(seen[instance], step.request, {
                    userId: step.user,
                    now: clock + skew * instance,
                    newId: () => `${instance}-${String(++ids).padStart(4, '0')}`,
                    limits: DEFAULT_LIMITS,
                });
                log.push(op);
                seen[instance].push(op);
            } catch (error) {
                if (!(error instanceof MetadataError)) throw error;
            }
        }
        return log;
    });

describe('state convergence', () => {
    it('every instance reads the same state whatever order it got the ops in', () => {
        fc.assert(
            fc.property(
                history.chain((log) => fc.tuple(fc.constant(log), fc.shuffledSubarray(log, { minLength: log.length, maxLength: log.length }))),
                ([log, shuffled]) => {
                    expect(foldState(shuffled)).toEqual(foldState(log));
                },
            ),
            { numRuns: 300 },
        );
    });

    it('concurrent adds to a set all survive', () => {
        const adds = fc.array(fc.record({ user: fc.constantFrom(...users), value: fc.constantFrom('a', 'b', 'c', 'd') }), {
            minLength: 1,
            maxLength: 12,
        });
        fc.assert(
            fc.property(adds, fc.nat(), (entries, seed) => {
                // Every add is planned against an empty view: none of them has seen another.
                const ops = entries.map(({ user, value }, index) =>
                    planStateOp([], { key: 'tags', op: 'add', value }, {
                        userId: user,
                        now: 1000 + ((seed + index * 7) % 5),
                        newId: () => `id${index}`,
                        limits: DEFAULT_LIMITS,
                    }),
                );
                const view = foldState(ops).tags;
                for (const { user, value } of entries) expect(view.byUser[user]).toContain(value);
            }),
            { numRuns: 200 },
        );
    });

    it('interleaving two users\u2019 op streams in any way gives the same state', () => {
        const stream = (user: string) =>
            fc.array(
                fc.record({ op: fc.constantFrom<'add' | 'remove'>('add', 'remove'), value: fc.constantFrom('x', 'y') }),
                { maxLength: 8 },
            ).map((steps) => {
                // Each user plans against their own ops only, as on their own instance.
                let ops: StateOp[] = [];
                steps.forEach((step, index) => {
                    try {
                        ops = [
                            ...ops,
                            planStateOp(ops, { key: 'tags', ...step }, {
                                userId: user,
                                now: 1000 + index,
                                newId: () => `${user}-${index}`,
                                limits: DEFAULT_LIMITS,
                            }),
                        ];
                    } catch (error) {
                        if (!(error instanceof MetadataError)) throw error;
                    }
                });
                return ops;
            });
        const interleaving = fc.array(fc.boolean(), { minLength: 16, maxLength: 16 });
        fc.assert(
            fc.property(stream('alice'), stream('bob'), interleaving, interleaving, (a, b, first, second) => {
                const interleave = (picks: boolean[]) => {
                    const left = [...a];
                    const right = [...b];
                    const out: StateOp[] = [];
                    for (const pick of picks) {
                        const next = (pick ? left : right).shift() ?? (pick ? right : left).shift();
                        if (next) out.push(next);
                    }
                    return [...out, ...left, ...right];
                };
                const view = foldState(interleave(first));
                expect(foldState(interleave(second))).toEqual(view);
                // Each user's entry is exactly what their own stream alone gives.
                expect(view.tags?.byUser.alice).toEqual(foldState(a).tags?.byUser.alice);
                expect(view.tags?.byUser.bob).toEqual(foldState(b).tags?.byUser.bob);
            }),
            { numRuns: 200 },
        );
    });
});
