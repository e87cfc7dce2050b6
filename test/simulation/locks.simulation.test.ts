import { describe, expect, it } from 'vitest';
import { runSchedule } from './runSchedule';

/*
 * Locks (SPEC §16) under the seeded schedules of the revision log: clients acquire, release and write
 * under the lock `seat`, each instance on a clock skewed by up to ±5 s, with pauses longer than the
 * lock's ttl. Besides every check of SPEC §11 (runSchedule.ts), a former holder's write is never
 * decided after the lock changed hands. SIM_SCHEDULES / SIM_SEED as for the revision log.
 */

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 600);
const FIRST_SEED = Number(process.env.SIM_SEED ?? 1);
const BATCHES = 4;

describe('locks under seeded schedules with skewed clocks (SPEC §16)', () => {
    const perBatch = Math.ceil(SCHEDULES / BATCHES);
    for (let batch = 0; batch < BATCHES; batch++) {
        const from = FIRST_SEED + batch * perBatch;
        it(`never lets a former holder write after the lock changed hands: seeds ${from}..${from + perBatch - 1}`, async () => {
            const failures: string[] = [];
            let acknowledged = 0;
            for (let seed = from; seed < from + perBatch; seed++) {
                const result = await runSchedule({ seed, instances: 2 + (seed % 3), opsPerInstance: 8, locking: true, crash: seed % 5 === 0 ? 0.01 : 0 });
                acknowledged += result.acknowledged;
                if (result.violations.length > 0) failures.push(`seed ${seed}:\n  ${result.violations.join('\n  ')}`);
            }
            expect(failures).toEqual([]);
            expect(acknowledged).toBeGreaterThan(perBatch);
        }, 600_000);
    }
});
