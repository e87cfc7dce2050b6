import { defineConfig } from 'vitest/config';

// The unit tests that state the behaviour of src/core and src/access, for `npm run mutate` (stryker.config.json):
// no engine, no store, no e2e or browser tests. Properties run fewer cases there, from one seed (test/support/propertyRuns.ts).
export default defineConfig({
    test: {
        include: ['test/core/**/*.test.ts', 'test/access/**/*.test.ts'],
        setupFiles: ['./vitest.mutate.setup.ts'],
        testTimeout: 60_000,
    },
});
