// Child process: rebuilds every projection of ALL_PROJECTIONS from position 0 on the database given, the way
// an operator would (the rebuild API, ProjectionRebuilder: new tables, replay, swap; all projections at once),
// or, with mode `runner`, the way a fresh projector process does (ProjectionRunner over empty tables).
// Prints JSON lines: {progress} while running, then {done, events, ms, peakRssMb}.
import { readFileSync } from 'node:fs';
import { PostgresEventStore } from '../../libs/event-store/dist/index.js';
import { loadProviderDirectory } from '../../libs/platform/dist/index.js';
import { ALL_PROJECTIONS, ProjectionRebuilder, ProjectionRunner, openReadModels, setScheduleResolver } from '../../libs/read-models/dist/index.js';

const [url, mode = 'rebuilder', batch] = process.argv.slice(2);
// BENCH_PROJECTIONS=a,b rebuilds only those (for looking into one projection's cost).
const only = process.env.BENCH_PROJECTIONS?.split(',');
const projections = only ? ALL_PROJECTIONS.filter((p) => only.includes(p.name)) : ALL_PROJECTIONS;
const batchSize = batch ? Number(batch) : undefined;
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const errors = [];
const logger = {
  info() {},
  warn(obj, msg) {
    errors.push(`${msg} ${JSON.stringify(obj)}`);
  },
  error(obj, msg) {
    errors.push(`${msg} ${JSON.stringify(obj)}`);
  },
  child() {
    return logger;
  },
};

function peakRssMb() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const providers = loadProviderDirectory(process.env.PROVIDERS_FILE || undefined);
setScheduleResolver((providerId) => providers.scheduleOf(providerId));
const store = await PostgresEventStore.create({ connectionString: url, listen: false });
const readModels = await openReadModels({ url, poolSize: 10 });
const head = await store.headPosition();
say({ head });
const started = performance.now();
let events = 0;
let perProjection = {};
if (mode === 'runner') {
  const runner = new ProjectionRunner(store, readModels, projections, logger, { batchSize });
  runner.start();
  const timer = setInterval(() => {
    const slowest = runner.status().reduce((m, s) => (BigInt(s.position) < m ? BigInt(s.position) : m), BigInt(head));
    say({ progress: Number(slowest), head: Number(head) });
  }, 2000);
  await runner.waitFor(head);
  clearInterval(timer);
  const failed = runner.status().filter((s) => s.state === 'failed');
  await runner.stop();
  if (failed.length) throw new Error(`projections failed: ${JSON.stringify(failed)}`);
  events = Number(head);
} else {
  const rebuilder = new ProjectionRebuilder(store, readModels, projections, logger, { batchSize, logEveryMs: 3_600_000 });
  const progress = new Map();
  const timer = setInterval(() => {
    const slowest = Math.min(...projections.map((p) => Number(progress.get(p.name) ?? 0)));
    const m = process.memoryUsage();
    say({ progress: slowest, head: Number(head), memory: { rss: m.rss >> 20, heapTotal: m.heapTotal >> 20, heapUsed: m.heapUsed >> 20, external: m.external >> 20, arrayBuffers: m.arrayBuffers >> 20 } });
  }, 2000);
  // Side by side, each reading the log itself (the admin API's way). BENCH_REBUILD_TOGETHER=1: all from one read of
  // the log in lockstep (ProjectionRebuilder.rebuildMany), faster at 50,000 events, slower at a million (each batch
  // waits for the slowest projection): see docs/performance.md.
  const results =
    process.env.BENCH_REBUILD_TOGETHER === '1'
      ? await rebuilder.rebuildMany(
          projections.map((p) => p.name),
          { onProgress: (x) => progress.set(x.projection, x.position) },
        )
      : await Promise.all(projections.map((p) => rebuilder.rebuild(p.name, { onProgress: (x) => progress.set(p.name, x.position) })));
  clearInterval(timer);
  events = Math.max(...results.map((r) => r.events));
  perProjection = Object.fromEntries(results.map((r) => [r.projection, Math.round(r.elapsedMs)]));
}
const ms = performance.now() - started;
say({ done: true, events, ms, peakRssMb: peakRssMb(), perProjection, errors: errors.slice(0, 5) });
await readModels.destroy();
await store.close();
