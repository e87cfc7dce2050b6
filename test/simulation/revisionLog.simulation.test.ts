import { describe, expect, it } from 'vitest';
import { runSchedule } from './runSchedule';

/*
 * The store's write path against seeded schedules of delays, reorderings, pauses, failed and
 * late-landing calls, crashes, and both server flavours of removeByAssociations (history.ts holds the
 * checks). SIM_SCHEDULES=100000 runs more; SIM_SEED moves the window of seeds.
 */

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 1500);
const FIRST_SEED = Number(process.env.SIM_SEED ?? 1);
const BATCHES = 10;

describe('the revision log under seeded schedules (SPEC §11)', () => {
    const perBatch = Math.ceil(SCHEDULES / BATCHES);
    for (let batch = 0; batch < BATCHES; batch++) {
        const from = FIRST_SEED + batch * perBatch;
        it(`loses no acknowledged write, never goes back, never wedges: seeds ${from}..${from + perBatch - 1}`, async () => {
            const failures: string[] = [];
            let acknowledged = 0;
            for (let seed = from; seed < from + perBatch; seed++) {
                const result = await runSchedule({ seed, instances: 2 + (seed % 3), crash: seed % 5 === 0 ? 0.01 : 0 });
                acknowledged += result.acknowledged;
                if (result.violations.length > 0) failures.push(`seed ${seed}:\n  ${result.violations.join('\n  ')}`);
            }
            expect(failures).toEqual([]);
            expect(acknowledged).toBeGreaterThan(perBatch);
        }, 600_000);
    }
});
