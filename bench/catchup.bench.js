// 3. Gap-safe catch-up read: PostgresEventStore.readAll in batches of 500 (what a projection catching up does)
// against a plain ordered SELECT of the same rows in the same batches (keyset on position, the same columns,
// no gap-safety predicate, no formatting), both through pg from pools of the same size, over the first N events
// of the realistic fixture (full: 1,000,000; quick: 50,000). Rounds alternate; medians of events/s are compared.
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { fmtInt, interleaved, mark, median, now, round } from './lib/common.js';
import { eventsFixture } from './lib/fixture.js';
import { fixtureSize } from './rebuild.bench.js';
import { PostgresEventStore } from '../libs/event-store/dist/index.js';

export const order = 3;
const BATCH = 500;
const PLAIN = `SELECT position, stream_id, stream_version, id, type, data, metadata, recorded_at FROM event_store.events
  WHERE position > $1 ORDER BY position LIMIT $2`;

export async function run({ quick = false, log = console.log } = {}) {
  const fixture = await eventsFixture({ maxEvents: fixtureSize(quick), log });
  const total = Math.min(fixture.events, quick ? 50_000 : 1_000_000);
  const rounds = quick ? 3 : 3;
  // Read straight from the fixture (it is a template only while a copy is being made); every connection is
  // closed before this returns.
  const store = await PostgresEventStore.create({ connectionString: fixture.url, listen: false, notify: false });
  const pool = new pg.Pool({ connectionString: fixture.url, max: 10 });
  try {
    const subject = async () => {
      const t0 = now();
      let after = '0';
      let n = 0;
      while (n < total) {
        const batch = await store.readAll({ after, limit: Math.min(BATCH, total - n) });
        if (batch.length === 0) break;
        n += batch.length;
        after = batch[batch.length - 1].position;
      }
      if (n !== total) throw new Error(`readAll returned ${n} events, expected ${total}`);
      return (n * 1000) / (now() - t0);
    };
    const baseline = async () => {
      const t0 = now();
      let after = '0';
      let n = 0;
      while (n < total) {
        const { rows } = await pool.query(PLAIN, [after, Math.min(BATCH, total - n)]);
        if (rows.length === 0) break;
        n += rows.length;
        after = rows[rows.length - 1].position;
      }
      if (n !== total) throw new Error(`the plain SELECT returned ${n} events, expected ${total}`);
      return (n * 1000) / (now() - t0);
    };
    const r = await interleaved(rounds, subject, baseline, log);
    const s = median(r.subject);
    const b = median(r.baseline);
    log(`catch-up over ${fmtInt(total)} events: readAll ${fmtInt(s)} events/s, plain SELECT ${fmtInt(b)} events/s`);
    return mark([{ name: `catchup.readAll.batches-of-${BATCH} (${fmtInt(total)} events, vs plain ordered SELECT)`, value: Math.round(s), unit: 'events/s', baseline: Math.round(b), ratio: round(s / b), target: 0.5, stretch: 0.8 }]);
  } finally {
    await store.close();
    await pool.end();
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
