import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetadataError } from '../../../src/core/errors';
import { JsonValue } from '../../../src/core/json';
import { DEFAULT_LIMITS } from '../../../src/core/limits';
import { foldState, planStateOp } from '../../../src/core/state';
import { StateOp, StateRequest, StateType } from '../../../src/core/types';
import { comparable, ModelReplica } from './replicaModel';
import { propertyRuns } from '../../support/propertyRuns';

/*
 * Convergence, tested as Yjs tests its types: several simulated replicas (server instances), each
 * with its own clock and its own view of the ops, receive ops in a random order, some of them twice.
 * After every step, the app's answer on a replica (planStateOp on what it has seen, foldState of what
 * it has received, in delivery order) must be the answer of the textbook model of replicaModel.ts;
 * once every op reached every replica, all replicas must show the same state. The model applies ops
 * as they are delivered and never sorts a log, so a rule changed in the app (lww keeping the first
 * add, a set remove taking out a value rather than the adds it saw, ...) shows as a difference.
 */

const USERS = ['alice', 'bob', 'carol'];
const REPLICAS = 3;

type Step =
    | { kind: 'write'; replica: number; user: string; request: StateRequest; tick: number; salt: string }
    | { kind: 'deliver'; replica: number; pick: number };

function steps(request: fc.Arbitrary<StateRequest>, users: readonly string[]): fc.Arbitrary<Step[]> {
    const replica = fc.nat({ max: REPLICAS - 1 });
    const write = fc.record({
        kind: fc.constant('write' as const),
        replica,
        user: fc.constantFrom(...users),
        request,
        // Small ticks and skews: ops of different replicas often share an `at`, so ids break ties.
        tick: fc.nat({ max: 3 }),
        salt: fc.constantFrom('a', 'm', 'z'),
    });
    const deliver = fc.record({ kind: fc.constant('deliver' as const), replica, pick: fc.nat() });
    return fc.array(fc.oneof(write, deliver), { minLength: 1, maxLength: 40 });
}

const typed = (key: string, type: StateType, values: JsonValue[], removeWeight = 1): fc.Arbitrary<StateRequest> =>
    fc.record({
        key: fc.constant(key),
        type: fc.constant(type),
        op: fc.oneof({ arbitrary: fc.constant('add' as const), weight: 2 }, { arbitrary: fc.constant('remove' as const), weight: removeWeight }),
        value: fc.constantFrom(...values),
    });

const SET_REQUEST = typed('tags', 'set', ['x', { z: 1 }]);
const FWW_REQUEST = typed('first', 'fww', ['p', 'q', 3], 0);
const LWW_REQUEST = typed('last', 'lww', ['p', 'q', 3], 0);
const LWWN_REQUEST = typed('maybe', 'lwwn', ['p', 'q', 3]);
/** One key whose requests carry any type or none: the first op's type must win everywhere. */
const CONTESTED_REQUEST: fc.Arbitrary<StateRequest> = fc.record({
    key: fc.constant('contested'),
    type: fc.option(fc.constantFrom<StateType>('set', 'fww', 'lww', 'lwwn'), { nil: undefined }),
    op: fc.constantFrom<'add' | 'remove'>('add', 'add', 'remove'),
    value: fc.constantFrom('x', 'y'),
});

interface Replica {
    /** what this replica received, in delivery order, duplicates included */
    log: StateOp[];
    model: ModelReplica;
}

function deliver(replica: Replica, op: StateOp): void {
    replica.log.push(op);
    replica.model.receive(op);
}

function expectSameAsModel(replica: Replica, where: string): void {
    expect(comparable(foldState(replica.log)), where).toEqual(replica.model.view());
}

/**
 * Runs one history against the app and the model; `finalOrders` deliver every op to every replica
 * at the end (each replica its own order, with repeats), after which all must agree.
 */
function simulate(history: Step[], skews: number[], finalOrders: (ops: StateOp[]) => StateOp[][]): void {
    const replicas: Replica[] = Array.from({ length: REPLICAS }, () => ({ log: [], model: new ModelReplica() }));
    const ops: StateOp[] = [];
    let clock = 1000;
    let sequence = 0;
    for (const [index, step] of history.entries()) {
        const replica = replicas[step.replica];
        const where = `step ${index} on replica ${step.replica}`;
        if (step.kind === 'deliver') {
            if (ops.length === 0) continue;
            deliver(replica, ops[step.pick % ops.length]);
            expectSameAsModel(replica, where);
            continue;
        }
        clock += step.tick;
        const expected = replica.model.answer(step.user, step.request);
        let op: StateOp | undefined;
        let code: string | undefined;
        try {
            op = planStateOp(replica.log, step.request, {
                userId: step.user,
                now: clock + skews[step.replica],
                newId: () => `${step.salt}${String(++sequence).padStart(3, '0')}`,
                limits: DEFAULT_LIMITS,
            });
        } catch (error) {
            if (!(error instanceof MetadataError)) throw error;
            code = error.code;
        }
        if (!expected.ok) {
            expect(code, `${where}: ${JSON.stringify(step.request)} by ${step.user}`).toBe(expected.code);
            continue;
        }
        expect(code, `${where}: ${JSON.stringify(step.request)} by ${step.user}`).toBeUndefined();
        expect(op).toMatchObject({ key: step.request.key, type: expected.type, op: step.request.op, userId: step.user });
        if (step.request.op === 'add') expect(op!.value).toEqual(step.request.value);
        if (expected.removes) expect([...(op!.removes ?? [])].sort(), `${where}: the tags a remove saw`).toEqual(expected.removes);
        // A new op comes after everything its replica saw of the key, whatever that replica's clock says.
        expect(op!.at, `${where}: at`).toBeGreaterThan(replica.model.latest(step.request.key));
        ops.push(op!);
        deliver(replica, op!);
        expectSameAsModel(replica, where);
    }
    for (const [index, order] of finalOrders(ops).entries()) {
        for (const op of order) deliver(replicas[index], op);
    }
    const views = replicas.map((replica) => foldState(replica.log));
    for (const [index, replica] of replicas.entries()) {
        expectSameAsModel(replica, `replica ${index} after every op arrived`);
        // Every pair of replicas, compared whole (values, summaries and their order).
        for (const other of views.slice(index + 1)) expect(other).toEqual(views[index]);
    }
}

/** `users`: fewer users on one key means more ops of one user on several replicas at once. */
function convergenceProperty(request: fc.Arbitrary<StateRequest>, { users = USERS, numRuns = 300 } = {}): void {
    fc.assert(
        fc.property(
            steps(request, users),
            fc.array(fc.integer({ min: -6, max: 6 }), { minLength: REPLICAS, maxLength: REPLICAS }),
            fc.gen(),
            (history, skews, gen) => {
                simulate(history, skews, (ops) =>
                    Array.from({ length: REPLICAS }, () => [
                        ...gen(fc.shuffledSubarray, ops, { minLength: ops.length, maxLength: ops.length }),
                        ...gen(fc.subarray, ops),
                    ]),
                );
            },
        ),
        { numRuns: propertyRuns(numRuns) },
    );
}

describe('collaborative state against a replica model (SPEC §5)', () => {
    it('set is an observed-remove set: a remove takes out only the adds its replica had seen, so concurrent adds survive', () => {
        convergenceProperty(SET_REQUEST, { users: ['alice', 'bob'], numRuns: 400 });
    });

    it('fww: a user\u2019s value is their first add in (at, id) order, on every replica, however the ops arrive', () => {
        convergenceProperty(FWW_REQUEST);
    });

    it('lww: a user\u2019s value is their add with the greatest (at, id), on every replica, however the ops arrive', () => {
        convergenceProperty(LWW_REQUEST);
    });

    it('lwwn: a user\u2019s write with the greatest (at, id) decides, and a remove there leaves no value', () => {
        convergenceProperty(LWWN_REQUEST);
    });

    it('a key\u2019s type is fixed by its earliest op in (at, id) order; ops of another type do not count', () => {
        convergenceProperty(CONTESTED_REQUEST);
    });

    it('all types on several keys at once: every replica shows the model\u2019s state', () => {
        convergenceProperty(fc.oneof(SET_REQUEST, FWW_REQUEST, LWW_REQUEST, LWWN_REQUEST, CONTESTED_REQUEST), { numRuns: 200 });
    });
});

describe('concurrent adds to a set all survive (SPEC §5)', () => {
    it('every element added by any user on any instance is in that user\u2019s set', () => {
        const adds = fc.array(fc.record({ user: fc.constantFrom(...USERS), value: fc.constantFrom('a', 'b', 'c', 'd') }), {
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
            { numRuns: propertyRuns(200) },
        );
    });
});
