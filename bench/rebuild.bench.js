// 4. Projection rebuild: every projection of ALL_PROJECTIONS rebuilt from position 0 over a generated log of
// the seed's realistic mix (1,000,000 events; quick: 50,000), through the rebuild API (ProjectionRebuilder:
// new tables, replay, swap; all projections at once, as an operator would), in a child process whose peak RSS
// (VmHWM) is reported.
//
// Baseline: the bare data movement of the same work on the same server: COPY-out of the events (psql
// `COPY event_store.events TO STDOUT`, discarded) plus COPY-in of the rows the rebuild produced (psql `COPY ...
// FROM STDIN` from client-side files into empty copies of the read-model tables, indexes included). The two are
// run once before/after the rebuild each and averaged (the rebuild itself is too long to repeat).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDatabase, fmtInt, mark, now, psql, round, track } from './lib/common.js';
import { donateProjected, eventsFixture } from './lib/fixture.js';
import { runRebuildChild } from './lib/rebuild-run.js';
import { ALL_PROJECTIONS } from '../libs/read-models/dist/index.js';

export const order = 4;
const TARGET = 4;
const STRETCH = 2;
const RSS_LIMIT_MB = 300;

export const fixtureSize = (quick) => (quick ? 50_000 : 1_000_000);

async function copyOut(url) {
  const t0 = now();
  await psql(url, 'COPY event_store.events TO STDOUT', { output: '/dev/null' });
  return now() - t0;
}

async function dumpTables(url, dir, tables) {
  for (const t of tables) await psql(url, `COPY public.${t} TO STDOUT`, { output: path.join(dir, `${t}.copy`) });
}

async function copyIn(url, dir, tables) {
  await psql(url, `DROP SCHEMA IF EXISTS bench_copy_in CASCADE; CREATE SCHEMA bench_copy_in; ${tables.map((t) => `CREATE TABLE bench_copy_in.${t} (LIKE public.${t} INCLUDING ALL);`).join(' ')}`);
  const t0 = now();
  for (const t of tables) await psql(url, `COPY bench_copy_in.${t} FROM STDIN`, { input: path.join(dir, `${t}.copy`) });
  const ms = now() - t0;
  await psql(url, 'DROP SCHEMA bench_copy_in CASCADE');
  return ms;
}

export async function run({ quick = false, log = console.log } = {}) {
  const size = fixtureSize(quick);
  const fixture = await eventsFixture({ maxEvents: size, log });
  const db = track(await createDatabase('rebuild', { template: fixture.name }));
  const tables = [...new Set(ALL_PROJECTIONS.flatMap((p) => p.tables))];
  const dir = mkdtempSync(path.join(tmpdir(), 'sped-bench-copy-'));
  try {
    const out1 = await copyOut(db.url);
    log(`COPY-out of ${fmtInt(fixture.events)} events: ${(out1 / 1000).toFixed(2)} s`);
    log(`rebuilding ${ALL_PROJECTIONS.map((p) => p.name).join(', ')} from position 0 in a child process`);
    const rebuild = await runRebuildChild(db.url, { log, providersFile: fixture.providersFile });
    if (rebuild.errors?.length) log(`rebuild logged: ${rebuild.errors.join(' | ')}`);
    const counts = (await psql(db.url, `SELECT ${tables.map((t) => `(SELECT count(*) FROM public.${t})`).join(` || ' ' || `)}`)).trim().split(/\s+/).map(Number);
    log(`rebuilt in ${(rebuild.ms / 1000).toFixed(1)} s (${fmtInt((rebuild.events / rebuild.ms) * 1000)} events/s), peak RSS ${rebuild.peakRssMb.toFixed(0)} MB; rows: ${tables.map((t, i) => `${t} ${fmtInt(counts[i])}`).join(', ')}`);
    if (rebuild.perProjection) log(`each projection's rebuild took (s): ${Object.entries(rebuild.perProjection).map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
    await dumpTables(db.url, dir, tables);
    const in1 = await copyIn(db.url, dir, tables);
    const out2 = await copyOut(db.url);
    const in2 = await copyIn(db.url, dir, tables);
    const baselineMs = (out1 + out2) / 2 + (in1 + in2) / 2;
    log(`COPY-out ${(out1 / 1000).toFixed(2)} / ${(out2 / 1000).toFixed(2)} s, COPY-in ${(in1 / 1000).toFixed(2)} / ${(in2 / 1000).toFixed(2)} s: baseline ${(baselineMs / 1000).toFixed(2)} s`);
    const label = `${fmtInt(fixture.events)} events`;
    // The rebuilt database serves the read benchmarks (same events, read models built).
    donateProjected(fixture, db);
    return mark([
      {
        name: `rebuild.all-projections${quick ? '.quick' : ''} (wall, ${label}; vs COPY out+in)`,
        value: round(rebuild.ms / 1000, 2),
        unit: 's',
        baseline: round(baselineMs / 1000, 2),
        ratio: round(rebuild.ms / baselineMs, 2),
        target: TARGET,
        stretch: STRETCH,
        direction: 'max',
      },
      { name: `rebuild.events-per-second (${label})`, value: Math.round((rebuild.events / rebuild.ms) * 1000), unit: 'events/s', baseline: Math.round((fixture.events / baselineMs) * 1000), ratio: round(baselineMs / rebuild.ms, 3), target: null },
      { name: `rebuild.projector-peak-rss (${label})`, value: round(rebuild.peakRssMb, 1), unit: 'MB', baseline: null, ratio: null, target: RSS_LIMIT_MB, direction: 'max', targetOn: 'value' },
    ]);
  } catch (error) {
    await db.drop();
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { dropAll } = await import('./lib/common.js');
  try {
    console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick'), log: console.log }), null, 1));
  } finally {
    await dropAll();
  }
}
