// `npm run bench [-- --quick] [-- --only name]`: runs every *.bench.js here in one process, prints a
// table of ratios to baselines measured in the same run, and writes bench/results/latest.json.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !only || f.includes(only))
  .sort();

const results = [];
for (const file of files) {
  log(`${file} ${quick ? '(quick)' : ''}`);
  const mod = await import(pathToFileURL(path.join(here, file)).href);
  try {
    const rows = await mod.run({ quick, log: (m) => log(`  ${file}: ${m}`) });
    results.push(...rows);
  } catch (error) {
    log(`  ${file} FAILED: ${error?.stack ?? error}`);
    results.push({ name: file, value: null, unit: 'error', baseline: null, ratio: null, target: null, error: String(error?.message ?? error) });
  }
}

const fmt = (v) => (v == null ? '-' : typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v));
const rows = results.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.baseline), fmt(r.ratio), r.target == null ? '-' : (r.direction === 'max' ? '<= ' : '>= ') + fmt(r.target), r.ratio == null || r.target == null ? '' : (r.direction === 'max' ? r.ratio <= r.target : r.ratio >= r.target) ? 'ok' : 'MISS']);
const head = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'target', ''];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(
  path.join(here, 'results', 'latest.json'),
  JSON.stringify(results.map(({ name, value, unit, baseline, ratio, target, direction }) => ({ name, value, unit, baseline, ratio, target, ...(direction ? { direction } : {}) })), null, 2) + '\n',
);
log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}, node ${process.version}${quick ? ', quick run' : ''}`);
log(`wrote bench/results/latest.json (${results.length} figures)`);
