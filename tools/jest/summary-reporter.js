// Writes each jest run's counts to TEST_SUMMARY_DIR so `npm test` can print one closing line for all projects.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.TEST_SUMMARY_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${path.basename(process.cwd())}-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        cwd: process.cwd(),
        db: process.env.TEST_DB_KIND ?? null,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        suites: results.numTotalTestSuites,
      }),
    );
  }
}
