// `npm test`: lint, typecheck, build and every test group of every project through Nx, then one closing
// line with the totals and the database the int/e2e tests ran on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'sped-test-summary-'));
const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'build', 'test', '--outputStyle=stream', ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, TEST_SUMMARY_DIR: dir } });

const totals = { passed: 0, failed: 0, skipped: 0, suites: 0 };
const dbs = new Set();
for (const f of readdirSync(dir)) {
  const r = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped;
  totals.suites += r.suites;
  if (r.db) dbs.add(r.db);
}
rmSync(dir, { recursive: true, force: true });
const db = dbs.size ? [...dbs].map((d) => (d === 'postgres' ? 'PostgreSQL' : 'embedded PGlite')).join(' + ') : 'none';
console.log(`\n[tests] ${totals.suites} suites; int/e2e database: ${db}`);
const failed = run.status !== 0 && totals.failed === 0 ? 1 : totals.failed;
console.log(`Tests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
process.exit(run.status ?? 1);
