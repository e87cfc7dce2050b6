/**
 * How many cases a fast-check property tries: `numRuns` in `npm test`; under `npm run mutate` (Stryker sets
 * STRYKER_MUTATOR_WORKER in its workers) an eighth of it, at least 25, because every surviving mutant reruns every
 * test that covers it, and the seed is fixed there (vitest.mutate.setup.ts) so a rerun judges a mutant alike.
 */
export function propertyRuns(numRuns: number): number {
    return process.env.STRYKER_MUTATOR_WORKER === undefined ? numRuns : Math.max(25, Math.ceil(numRuns / 8));
}
