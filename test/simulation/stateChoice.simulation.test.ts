import { describe, expect, it } from 'vitest';
import { isMetadataError } from '../../src/core/errors';
import { DEFAULT_LIMITS } from '../../src/core/limits';
import { foldState } from '../../src/core/state/fold';
import { planStateOp } from '../../src/core/state/plan';
import { StateOp, StateRequest, StateType } from '../../src/core/types';
import { FAULTY, storeIn, subject } from './runSchedule';
import { World } from './world';

/*
 * The one-time choices of collaborative state (src/store/stateChoice.ts) under the seeded schedules of
 * world.ts: users on several instances race to make the first op on a fresh key with different types,
 * and one user adds to a first-writer-wins key from several instances at once. SPEC §5, checked from
 * the history alone: at most one first add per user acknowledged on an fww key, and it is the value
 * everyone reads; every acknowledged op is in the final ops and of the key's type (nothing acknowledged
 * is dropped by the fold). SIM_SCHEDULES scales the count as for the revision log.
 */

const SCHEDULES = Math.ceil(Number(process.env.SIM_SCHEDULES ?? 1500) / 3);
const TYPES: StateType[] = ['set', 'fww', 'lww', 'lwwn'];

interface Acked {
    request: StateRequest;
    userId: string;
    op: StateOp;
}

async function runStateSchedule(seed: number): Promise<string[]> {
    const world = new World({ ...FAULTY, seed, removeDeletes: seed % 2 === 0 ? 'all' : 'one' });
    const instances = 2 + (seed % 3);
    const acked: Acked[] = [];
    const found: string[] = [];
    let clock = 0;
    const client = async (index: number) => {
        const store = storeIn(world, index);
        const requests: { userId: string; request: StateRequest }[] = [
            // the same user, racing from every instance for their one fww value
            { userId: 'racer', request: { key: 'claim', type: 'fww', op: 'add', value: `from-${index}` } },
            // a different user per instance, racing to fix the type of a fresh key
            { userId: `u${index}`, request: { key: 'poll', type: TYPES[(seed + index) % TYPES.length], op: 'add', value: `v${index}` } },
        ];
        for (const { userId, request } of requests) {
            try {
                const { op } = await store.appendStateOp(subject, (current) =>
                    planStateOp(current.stateOps, request, { userId, now: ++clock, newId: () => `op-${index}-${++clock}`, limits: DEFAULT_LIMITS }));
                acked.push({ request, userId, op });
            } catch (error) {
                const refused = isMetadataError(error) && ['operation_not_allowed', 'type_mismatch', 'try_again'].includes(error.code);
                if (!refused && (error as Error).message !== 'simulated persistence failure') found.push(`unexpected: ${(error as Error).stack}`);
            }
        }
    };
    let finished = 0;
    for (let i = 0; i < instances; i++) void client(i).finally(() => finished++);
    await world.runUntil(() => finished === instances);

    const calm = new World({ seed, removeDeletes: world.options.removeDeletes, failBefore: 0, failAfter: 0, lateLanding: 0, pause: 0, maxPauseSteps: 0 });
    calm.records = world.records;
    let final: StateOp[] | undefined;
    void storeIn(calm, 9).load(subject).then((s) => (final = s.stateOps));
    await calm.runUntil(() => final !== undefined);
    const ops = final ?? [];
    const view = foldState(ops);

    const claims = acked.filter((a) => a.request.key === 'claim');
    if (claims.length > 1) found.push(`${claims.length} first adds acknowledged for one user on an fww key: ${claims.map((c) => c.request.value)}`);
    if (claims.length === 1 && view.claim?.byUser.racer !== claims[0].request.value) {
        found.push(`the acknowledged fww value ${claims[0].request.value} is not what everyone reads: ${JSON.stringify(view.claim?.byUser)}`);
    }
    for (const a of acked) {
        if (!ops.some((op) => op.id === a.op.id)) found.push(`acknowledged op ${a.op.id} is not in the final ops`);
        if (view[a.op.key]?.type !== a.op.type) found.push(`acknowledged ${a.op.type} op on ${a.op.key}, whose type is ${view[a.op.key]?.type}`);
    }
    return found;
}

describe('one-time choices of collaborative state under seeded schedules (SPEC §5)', () => {
    it(`one acknowledged fww add per user, and no acknowledged op of a losing type, over ${SCHEDULES} schedules`, async () => {
        const failures: string[] = [];
        for (let seed = 1; seed <= SCHEDULES; seed++) {
            const found = await runStateSchedule(seed);
            if (found.length > 0) failures.push(`seed ${seed}:\n  ${found.join('\n  ')}`);
        }
        expect(failures).toEqual([]);
    }, 600_000);
});
