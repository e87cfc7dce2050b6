import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../../src/core/errors';
import { DEFAULT_LIMITS } from '../../../src/core/limits';
import { collectGarbage, foldState, planStateOp } from '../../../src/core/state';
import { StateOp, StateOpKind, StateRequest } from '../../../src/core/types';
import { KEYS, lateOps, scenario, Scenario, USERS, without } from './garbageArbitraries';
import { propertyRuns } from '../../support/propertyRuns';

/*
 * The promise of garbage collection, for random logs (see garbageArbitraries.ts): what users read
 * is the same with or without the collected ops, now and after anything that can still arrive.
 */

const RUNS = { numRuns: propertyRuns(1000) };

/** A scenario and ops that may still arrive after its collection. */
const withLateOps = scenario.chain((s) => fc.tuple(fc.constant(s), lateOps(s)));

function collected(s: Scenario): string[] {
    return collectGarbage(s.log, s.now, s.graceMs);
}

describe('garbage collection of state ops', () => {
    it('never changes what anyone reads', () => {
        fc.assert(
            fc.property(scenario, (s) => {
                expect(foldState(without(s.log, collected(s)))).toEqual(foldState(s.log));
            }),
            RUNS,
        );
    });

    it('never changes what anyone reads after more ops arrive, even ops sent before the collection', () => {
        fc.assert(
            fc.property(withLateOps, ([s, late]) => {
                const kept = without(s.log, collected(s));
                expect(foldState([...kept, ...late])).toEqual(foldState([...s.log, ...late]));
            }),
            RUNS,
        );
    });

    it('is just as safe when only the first few collected ops got deleted (a batch cut short or failed midway)', () => {
        fc.assert(
            fc.property(withLateOps, ([s, late]) => {
                const ids = collected(s);
                for (let cut = 0; cut < ids.length; cut++) {
                    const kept = without(s.log, ids.slice(0, cut));
                    expect(foldState(kept)).toEqual(foldState(s.log));
                    expect(foldState([...kept, ...late])).toEqual(foldState([...s.log, ...late]));
                }
            }),
            RUNS,
        );
    });

    it('collects only ops older than the grace period, and never the first op of a key', () => {
        fc.assert(
            fc.property(scenario, (s) => {
                const ids = new Set(collected(s));
                const firstOfKey = new Map<string, StateOp>();
                for (const op of [...s.log].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
                    if (!firstOfKey.has(op.key)) firstOfKey.set(op.key, op);
                }
                for (const op of s.log.filter((o) => ids.has(o.id))) {
                    expect(s.now - op.at).toBeGreaterThan(s.graceMs);
                    expect(firstOfKey.get(op.key)?.id).not.toBe(op.id);
                }
            }),
            RUNS,
        );
    });

    it('lets an instance that loads after the collection accept or refuse exactly the same requests', () => {
        const requests = fc.array(
            fc.record({
                user: fc.constantFrom(...USERS),
                key: fc.constantFrom(...KEYS),
                type: fc.option(fc.constantFrom('set' as const, 'fww' as const, 'lww' as const, 'lwwn' as const), { nil: undefined }),
                op: fc.constantFrom<StateOpKind>('add', 'remove'),
                value: fc.constantFrom('x', 'y', 1, { z: true }),
            }),
            { minLength: 1, maxLength: 5 },
        );
        fc.assert(
            fc.property(scenario, requests, (s, asks) => {
                const kept = without(s.log, collected(s));
                for (const [index, { user, ...ask }] of asks.entries()) {
                    const request: StateRequest = ask;
                    const context = { userId: user, now: s.now + index, newId: () => `x${index}`, limits: DEFAULT_LIMITS };
                    expect(attempt(() => planStateOp(kept, request, context))).toEqual(attempt(() => planStateOp(s.log, request, context)));
                }
            }),
            RUNS,
        );
    });

    it('stays safe when two instances collect at once from different views and clocks', () => {
        // B either saw the log before A deleted anything, or after; each misses some young ops it has not seen yet.
        const twoInstances = scenario.chain((s) =>
            fc.tuple(fc.constant(s), fc.nat({ max: 50 }), fc.boolean(), fc.nat(), fc.nat(), fc.array(fc.boolean(), { minLength: 80, maxLength: 80 })),
        );
        fc.assert(
            fc.property(twoInstances, ([s, later, stale, cutA, cutB, hides]) => {
                const visible = (log: StateOp[], now: number) => log.filter((op, i) => now - op.at > s.graceMs || !hides[i % hides.length]);
                const a = collectGarbage(visible(s.log, s.now), s.now, s.graceMs).slice(0, cutA % 20);
                const nowB = s.now + later;
                const seenByB = visible(stale ? s.log : without(s.log, a), nowB);
                const b = collectGarbage(seenByB, nowB, s.graceMs).slice(0, cutB % 20);
                const kept = without(s.log, [...a, ...b]);
                expect(foldState(kept)).toEqual(foldState(s.log));
                fc.assert(
                    fc.property(lateOps({ ...s, now: nowB }), (late) => {
                        expect(foldState([...kept, ...late])).toEqual(foldState([...s.log, ...late]));
                    }),
                    { numRuns: 5 },
                );
            }),
            RUNS,
        );
    });
});

function attempt(plan: () => StateOp): StateOp | string {
    try {
        return plan();
    } catch (error) {
        if (error instanceof MetadataError) return error.code;
        throw error;
    }
}
