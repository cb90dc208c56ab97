// Day-term dueAt: the indexed calendar of @sped/regulations against a naive day-by-day loop, in one run.
//
// Workload: random starting instants 2018-2026 and random day terms, half in working days (1-250) and half in
// calendar days (1-364), the range of the regulations' norms. The naive loop walks the calendar one day at a
// time through the library's public dayInfo(); it runs on a slice of the same inputs (it is ~100x slower),
// and both must give the same answers on a sample before anything is timed.
//
// Build the library first: cd libs/regulations && npx swc src -d dist --strip-leading-paths --config-file ../../.swcrc
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { addDaysToDate, dayInfo, dueAt, localDateOf, toEpochMs, toLocalIso } from '../libs/regulations/dist/index.js';

export const order = 8;
const TARGET_RATIO = 100;

/** Deterministic inputs (xorshift32), so every run times the same work. */
function makeInputs(count) {
  let x = 0x9e3779b9;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
  const from = Date.UTC(2018, 0, 1);
  const span = Date.UTC(2026, 0, 1) - from;
  const starts = new Float64Array(count);
  const amounts = new Int32Array(count);
  const units = new Array(count);
  for (let i = 0; i < count; i++) {
    starts[i] = from + Math.floor(rnd() * span);
    const working = i % 2 === 0;
    units[i] = working ? 'working-days' : 'calendar-days';
    amounts[i] = 1 + Math.floor(rnd() * (working ? 250 : 364));
  }
  return { starts, amounts, units };
}

/** The straightforward implementation: step one day at a time, asking dayInfo() about each day. */
export function naiveDueAt(start, amount, unit) {
  let day = localDateOf(start);
  if (unit === 'working-days') {
    for (let found = 0; found < amount; ) {
      day = addDaysToDate(day, 1);
      if (dayInfo(day).working) found++;
    }
  } else {
    day = addDaysToDate(day, amount);
    while (!dayInfo(day).working) day = addDaysToDate(day, 1);
  }
  const due = new Date(toEpochMs(addDaysToDate(day, 1)));
  return { dueAt: due, dueAtLocal: toLocalIso(due), lastDay: day };
}

function time(count, fn) {
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < count; i++) sink += fn(i).dueAt.getTime() & 1;
  const seconds = (performance.now() - t0) / 1000;
  return { rate: count / seconds, seconds, sink };
}

export async function run({ quick = false, log = console.log } = {}) {
  const count = quick ? 100_000 : 1_000_000;
  const naiveCount = Math.max(1_000, Math.floor(count / 50));
  const { starts, amounts, units } = makeInputs(count);
  const fast = (i) => dueAt(starts[i], amounts[i], units[i]);
  const naive = (i) => naiveDueAt(starts[i], amounts[i], units[i]);

  for (let i = 0; i < 2_000; i++) {
    const a = fast(i);
    const b = naive(i);
    if (a.dueAt.getTime() !== b.dueAt.getTime() || a.lastDay !== b.lastDay || a.dueAtLocal !== b.dueAtLocal) {
      throw new Error(`indexed and naive disagree for ${new Date(starts[i]).toISOString()} + ${amounts[i]} ${units[i]}: ${JSON.stringify([a, b])}`);
    }
  }
  // Warm-up (JIT, the lazily built index) before timing.
  time(Math.min(count, 50_000), fast);
  time(Math.min(naiveCount, 1_000), naive);

  const f = time(count, fast);
  const n = time(naiveCount, naive);
  const ratio = f.rate / n.rate;
  log(`dueAt (day terms), indexed: ${count.toLocaleString('en')} in ${f.seconds.toFixed(2)} s = ${Math.round(f.rate).toLocaleString('en')} ops/s`);
  log(`dueAt (day terms), naive day-by-day: ${naiveCount.toLocaleString('en')} in ${n.seconds.toFixed(2)} s = ${Math.round(n.rate).toLocaleString('en')} ops/s`);
  log(`ratio ${ratio.toFixed(1)} (target ${TARGET_RATIO})`);
  return [
    {
      name: 'calendar.dueAt.day-terms',
      value: Math.round(f.rate),
      unit: 'ops/s',
      baseline: Math.round(n.rate),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_RATIO,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const [result] = await run({ quick, log: console.log });
  console.log(JSON.stringify(result));
}
