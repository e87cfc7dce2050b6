// Prints one plain closing line, "N passed, N failed, N skipped", that any CI can read.
export default class PlainSummaryReporter {
    onTestRunEnd(testModules) {
        const counts = { passed: 0, failed: 0, skipped: 0 };
        for (const module of testModules) {
            for (const test of module.children.allTests()) {
                const state = test.result().state;
                if (state === 'passed') counts.passed += 1;
                else if (state === 'failed') counts.failed += 1;
                else counts.skipped += 1;
            }
        }
        console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    }
}
