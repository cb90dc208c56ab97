// `npm run bench [-- --quick] [-- --only name]`: runs every *.bench.js here in one process, prints a
// table of ratios to baselines measured in the same run, and writes bench/results/latest.json.
//
// A benchmark module exports `run({ quick, log })` returning rows `{ name, value, unit, baseline, ratio, target,
// stretch?, direction?, targetOn? }` and may export `order` (a number: lower runs first; the fixture-building
// benchmarks must run before the ones that reuse it). `direction: 'max'` means lower is better (the target is a
// ceiling); `targetOn: 'value'` compares the target with the value itself (an absolute limit such as a p99 in
// ms), otherwise with the ratio to the baseline. `failures` (a count of failed requests) makes the row a MISS.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { dropAll, serverKindOf } from './lib/common.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const started = Date.now();

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !only || only.split(',').some((o) => f.includes(o)));
const modules = [];
for (const file of files) modules.push({ file, mod: await import(pathToFileURL(path.join(here, file)).href) });
modules.sort((a, b) => (a.mod.order ?? 100) - (b.mod.order ?? 100) || a.file.localeCompare(b.file));

const server = await serverKindOf();
log(server === 'postgres' ? 'running against the local PostgreSQL' : 'PostgreSQL NOT reachable: running on embedded PGlite — these figures are NOT the targets');

const results = [];
process.once('SIGINT', () => {
  log('interrupted: dropping the benchmark databases');
  void dropAll().finally(() => process.exit(130));
});
try {
  for (const { file, mod } of modules) {
    log(`${file} ${quick ? '(quick)' : ''}`);
    const t0 = Date.now();
    try {
      const rows = await mod.run({ quick, log: (m) => log(`  ${file}: ${m}`) });
      results.push(...rows);
    } catch (error) {
      log(`  ${file} FAILED: ${error?.stack ?? error}`);
      results.push({ name: file, value: null, unit: 'error', baseline: null, ratio: null, target: null, error: String(error?.message ?? error) });
    }
    log(`  ${file} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  await dropAll();
}

const fmt = (v) => (v == null ? '-' : typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3).replace(/\.?0+$/, '')) : String(v));
const compared = (r) => (r.targetOn === 'value' ? r.value : r.ratio);
const meets = (r, t) => (r.direction === 'max' ? compared(r) <= t : compared(r) >= t);
const limit = (r, t) => (t == null ? '-' : `${r.direction === 'max' ? '<=' : '>='} ${fmt(t)}${r.targetOn === 'value' ? ` ${r.unit}` : 'x'}`);
const verdict = (r) =>
  r.error ? 'ERROR' : r.target == null || compared(r) == null ? '' : !meets(r, r.target) || r.failures ? 'MISS' : r.stretch != null && meets(r, r.stretch) ? 'ok (stretch)' : 'ok';
const rows = results.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.baseline), fmt(r.ratio), limit(r, r.target), r.stretch == null ? '-' : limit(r, r.stretch), verdict(r)]);
const head = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'target', 'stretch', ''];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(
  path.join(here, 'results', 'latest.json'),
  JSON.stringify(
    results.map(({ name, value, unit, baseline, ratio, target, stretch, direction, targetOn, failures, error }) => ({
      name,
      value,
      unit,
      baseline,
      ratio,
      target,
      ...(stretch != null ? { stretch } : {}),
      ...(direction ? { direction } : {}),
      ...(targetOn ? { targetOn } : {}),
      ...(failures ? { failures } : {}),
      ...(error ? { error } : {}),
    })),
    null,
    2,
  ) + '\n',
);
log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}, node ${process.version}, ${server === 'postgres' ? 'PostgreSQL' : 'PGlite'}${quick ? ', quick run' : ''}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
log(`wrote bench/results/latest.json (${results.length} figures) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
