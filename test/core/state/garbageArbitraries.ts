import fc from 'fast-check';
import { MetadataError } from '../../../src/core/errors';
import { JsonValue } from '../../../src/core/json';
import { DEFAULT_LIMITS } from '../../../src/core/limits';
import { planStateOp } from '../../../src/core/state';
import { StateOp, StateOpKind, StateRequest, StateType } from '../../../src/core/types';

/*
 * Op logs for the garbage-collection properties: a few users and keys, every type, concurrent and
 * colliding times. Two sources: logs planned like the service does (several instances with skewed
 * clocks and stale views), and raw logs that break every invariant the planner keeps (mixed types
 * per key, value-less adds, removes naming anything, ops stored twice).
 */

export const USERS = ['alice', 'bob', 'carol'];
export const KEYS = ['k1', 'k2', 'k3'];
const TYPES: StateType[] = ['set', 'fww', 'lww', 'lwwn'];
const VALUES: JsonValue[] = ['x', 'y', 1, { z: true }];

export interface Scenario {
    log: StateOp[];
    now: number;
    graceMs: number;
}

const keyTypes = fc.record({ k1: fc.constantFrom(...TYPES), k2: fc.constantFrom(...TYPES), k3: fc.constantFrom(...TYPES) });

const request = fc.record({
    user: fc.constantFrom(...USERS),
    key: fc.constantFrom(...KEYS),
    /** mostly the key's usual type (so most requests are accepted), sometimes none or another */
    type: fc.oneof({ arbitrary: fc.constant('usual' as const), weight: 6 }, fc.constant(undefined), fc.constantFrom(...TYPES)),
    op: fc.constantFrom<StateOpKind>('add', 'add', 'remove'),
    value: fc.constantFrom(...VALUES),
});

/** As the service writes them: three instances, skewed clocks, each planning on what it has seen. */
const plannedLog: fc.Arbitrary<StateOp[]> = fc
    .tuple(
        fc.array(
            fc.record({ instance: fc.nat({ max: 2 }), step: request, tick: fc.nat({ max: 20 }), skew: fc.integer({ min: -10, max: 10 }), sync: fc.boolean() }),
            { maxLength: 60 },
        ),
        keyTypes,
    )
    .map(([steps, types]) => {
        const log: StateOp[] = [];
        const seen: StateOp[][] = [[], [], []];
        let clock = 0;
        let ids = 0;
        for (const { instance, step, tick, skew, sync } of steps) {
            clock += tick;
            if (sync) seen[instance] = [...log];
            const { user, type, ...rest } = step;
            const asked: StateRequest = { ...rest, type: type === 'usual' ? types[step.key as keyof typeof types] : type };
            try {
                const op = planStateOp(seen[instance], asked, {
                    userId: user,
                    now: clock + skew * instance,
                    newId: () => `p${String(++ids).padStart(4, '0')}`,
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

const rawFields = fc.record({
    key: fc.constantFrom(...KEYS),
    /** mostly the key's usual type, sometimes another one */
    offType: fc.option(fc.constantFrom(...TYPES), { nil: undefined, freq: 4 }),
    user: fc.constantFrom(...USERS),
    op: fc.constantFrom<StateOpKind>('add', 'add', 'remove'),
    value: fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 8 }),
    at: fc.nat({ max: 300 }),
    names: fc.array(fc.nat(), { maxLength: 3 }),
    twice: fc.boolean(),
});

type RawFields = typeof rawFields extends fc.Arbitrary<infer T> ? T : never;

/** Raw ops; a remove names earlier ids (any kind, any user) or a ghost id nobody has. */
export function rawOps(fields: RawFields[], keyTypes: Record<string, StateType>, prefix: string, earlier: readonly StateOp[] = []): StateOp[] {
    const ops: StateOp[] = [];
    fields.forEach((f, index) => {
        const known = [...earlier, ...ops].map((op) => op.id);
        const op: StateOp = { id: `${prefix}${String(index).padStart(4, '0')}`, key: f.key, type: f.offType ?? keyTypes[f.key], op: f.op, userId: f.user, at: f.at };
        if (f.value !== undefined) op.value = f.value;
        if (f.op === 'remove') op.removes = f.names.map((n) => (n % 5 === 4 || known.length === 0 ? `ghost${n}` : known[n % known.length]));
        ops.push(op);
        if (f.twice && prefix === 'r') ops.push({ ...op });
    });
    return ops;
}

const rawLog: fc.Arbitrary<StateOp[]> = fc
    .tuple(fc.array(rawFields, { maxLength: 60 }), keyTypes)
    .map(([fields, types]) => rawOps(fields, types, 'r'));

/** A log, and a moment `now` with a grace period that splits it into old and young ops (often mostly old). */
export const scenario: fc.Arbitrary<Scenario> = fc
    .tuple(fc.oneof(plannedLog, rawLog), fc.nat({ max: 50 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([log, after, share]) => {
        const times = log.map((op) => op.at);
        const [first, last] = [Math.min(0, ...times), Math.max(0, ...times)];
        const now = last + after;
        return { log, now, graceMs: Math.floor((now - first) * share * share) };
    });

/** Ops that may still arrive after a collection at `now`: fresh ids, times after `now - graceMs`. */
export function lateOps({ now, graceMs, log }: Scenario): fc.Arbitrary<StateOp[]> {
    return fc
        .tuple(fc.array(rawFields, { maxLength: 8 }), keyTypes)
        .map(([fields, types]) =>
            rawOps(fields.map((f) => ({ ...f, at: now - graceMs + 1 + f.at })), types, 'n', log),
        );
}

export function without(log: readonly StateOp[], ids: Iterable<string>): StateOp[] {
    const gone = new Set(ids);
    return log.filter((op) => !gone.has(op.id));
}
