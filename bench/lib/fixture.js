// The big fixture: a database holding a realistic event log (generate.js), built once per process and
// used as a TEMPLATE for the databases of the catch-up, rebuild, read and history benchmarks. The
// projected variant (read models built) is made by the rebuild benchmark, or on demand by the same child.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createDatabase, fmtInt, now, onCleanup, psql, track } from './common.js';
import { PostgresEventStore } from '../../libs/event-store/dist/index.js';
import { openReadModels } from '../../libs/read-models/dist/index.js';
import { loadProviderDirectory } from '../../libs/platform/dist/index.js';

/**
 * A PROVIDERS_FILE with a copy of every demo provider (same schedule) per suffix the generator used, so the API,
 * the projector and the rebuild know the renamed providers exactly as the seed's.
 */
function writeProvidersFile(suffixes) {
  const demo = loadProviderDirectory(undefined).providers;
  const providers = [...demo, ...suffixes.flatMap((suffix) => demo.map((p) => ({ ...p, id: p.id + suffix, name: Object.fromEntries(Object.entries(p.name).map(([lang, n]) => [lang, `${n} (${suffix.slice(1)})`])) })))];
  const dir = mkdtempSync(path.join(tmpdir(), 'sped-bench-providers-'));
  const file = path.join(dir, 'providers.json');
  writeFileSync(file, JSON.stringify({ providers }));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** Migrates both schemas (event store and read models) of an empty database. */
export async function migrate(url) {
  const store = await PostgresEventStore.create({ connectionString: url, poolSize: 2, listen: false });
  await store.close();
  const rm = await openReadModels({ url, poolSize: 2 });
  await rm.destroy();
}

async function generateFiles(dir, { maxEvents, maxCases, seed, log }) {
  const workers = Math.max(1, Math.min(2, cpus().length));
  const started = now();
  const progress = new Array(workers).fill(0);
  const results = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const file = path.join(dir, `events-${w}.copy`);
      const share = (total) => (total === Infinity ? Infinity : Math.floor(total / workers) + (w < total % workers ? 1 : 0));
      return new Promise((resolve, reject) => {
        const worker = new Worker(new URL('./generate-worker.js', import.meta.url), {
          workerData: { file, seed: `${seed}-w${w}`, maxEvents: share(maxEvents), maxCases: share(maxCases), now: Date.now(), providerTag: `w${w}` },
        });
        worker.on('message', (m) => {
          if (m.progress !== undefined) {
            progress[w] = m.progress;
            log(`generating: ${fmtInt(progress.reduce((a, b) => a + b, 0))} events (${((now() - started) / 1000).toFixed(0)} s)`);
          }
          if (m.done) resolve({ file, ...m });
        });
        worker.on('error', reject);
        worker.on('exit', (code) => code !== 0 && reject(new Error(`generator worker exited with ${code}`)));
      });
    }),
  );
  return results;
}

const COLUMNS = 'stream_id, stream_version, id, type, data, metadata, recorded_at';

/**
 * Loads COPY files into event_store.events of `url`: into a staging table first, then in recording-time
 * order with positions 1..N (a live store's positions follow recording time), then VACUUM ANALYZE.
 */
async function load(url, files, log) {
  await psql(url, `CREATE UNLOGGED TABLE bench_staging (stream_id text, stream_version int, id uuid, type text, data jsonb, metadata jsonb, recorded_at timestamptz)`);
  for (const f of files) {
    log(`loading ${(statSync(f).size / 1e6).toFixed(0)} MB of events (COPY)`);
    await psql(url, `COPY bench_staging (${COLUMNS}) FROM STDIN`, { input: f });
  }
  log('ordering the log by recording time (positions 1..N)');
  await psql(
    url,
    `ALTER TABLE event_store.events DROP CONSTRAINT events_stream_version_key, DROP CONSTRAINT events_id_key;
     INSERT INTO event_store.events (position, ${COLUMNS}) OVERRIDING SYSTEM VALUE
       SELECT row_number() OVER (ORDER BY recorded_at, stream_id, stream_version), ${COLUMNS} FROM bench_staging;
     ALTER TABLE event_store.events ADD CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version), ADD CONSTRAINT events_id_key UNIQUE (id);
     SELECT setval('event_store.events_position_seq', (SELECT max(position) FROM event_store.events));
     DROP TABLE bench_staging;`,
  );
  log('VACUUM ANALYZE');
  await psql(url, 'VACUUM ANALYZE event_store.events');
}

const cache = new Map();

/**
 * A database holding `maxEvents` events (or `maxCases` cases) of the realistic mix, migrated read-model schema,
 * empty read models. Use it as a template (`createDatabase(label, { template: f.name })`), never connect to it
 * for long (a template cannot have connections while copied).
 */
export function eventsFixture({ maxEvents = Infinity, maxCases = Infinity, seed = 'bench', log }) {
  const key = `${seed}:${maxEvents}:${maxCases}`;
  if (!cache.has(key)) cache.set(key, buildEventsFixture({ maxEvents, maxCases, seed, log }));
  return cache.get(key);
}

async function buildEventsFixture({ maxEvents, maxCases, seed, log }) {
  const started = now();
  const db = track(await createDatabase('fixture'));
  await migrate(db.url);
  const dir = mkdtempSync(path.join(tmpdir(), 'sped-bench-'));
  try {
    const parts = await generateFiles(dir, { maxEvents, maxCases, seed, log });
    const events = parts.reduce((n, p) => n + p.events, 0);
    const cases = parts.reduce((n, p) => n + p.cases, 0);
    const refused = parts.reduce((n, p) => n + p.refused, 0);
    const suffixes = parts.flatMap((p) => p.suffixes);
    const providersFile = writeProvidersFile(suffixes);
    log(`generated ${fmtInt(events)} events (${fmtInt(cases)} cases of ${fmtInt(suffixes.length * 7)} providers${refused ? `, ${refused} planned commands the decider refused` : ''}) in ${((now() - started) / 1000).toFixed(1)} s`);
    await load(db.url, parts.map((p) => p.file), log);
    log(`fixture ready: ${fmtInt(events)} events in ${((now() - started) / 1000).toFixed(1)} s`);
    return { ...db, events, cases, providersFile };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const projectedCache = new Map();

/**
 * What autovacuum does to a database some minutes after a rebuild. The rebuilder VACUUM ANALYZEs the tables it
 * swaps in (it used not to: they came out with two dead row versions per live one and no planner statistics);
 * this settles the rest of the database too. The read benchmarks measure the settled state.
 */
export async function settle(url, log) {
  log('VACUUM ANALYZE of the rebuilt read models (what autovacuum would do next)');
  await psql(url, 'VACUUM ANALYZE');
}

/** Registers a database whose read models were built from `fixture` (the rebuild benchmark donates its own). */
export function donateProjected(fixture, db) {
  donated.set(fixture.name, db);
}
const donated = new Map();

/** A copy of `fixture` with every read model built (by the rebuild child), shared by the read benchmarks. */
export function projectedFixture(fixture, log) {
  // Settled when first asked for (not when donated: a run of the rebuild benchmark alone would drop it mid-VACUUM).
  if (!projectedCache.has(fixture.name) && donated.has(fixture.name)) {
    const db = donated.get(fixture.name);
    projectedCache.set(fixture.name, settle(db.url, log).then(() => db));
  }
  if (!projectedCache.has(fixture.name)) {
    projectedCache.set(
      fixture.name,
      (async () => {
        const { runRebuildChild } = await import('./rebuild-run.js');
        const db = track(await createDatabase('projected', { template: fixture.name }));
        await runRebuildChild(db.url, { log, providersFile: fixture.providersFile });
        await settle(db.url, log);
        return db;
      })(),
    );
  }
  return projectedCache.get(fixture.name);
}
