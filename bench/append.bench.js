// 1. Appends through PostgresEventStore against raw pg on the same schema and server.
//
// - Single-event commands: 8 concurrent writers, each appending one event at a time to its own stream with the
//   expected version (what a command does after deciding), against the same writers each issuing one
//   single-row INSERT (its own transaction) into event_store.events. Also at 1 writer (pure latency).
// - 100-event appends: 4 concurrent writers appending 100 events at a time, against one
//   `INSERT ... SELECT FROM unnest(...)` of the same 100 rows.
// Events are real ones of the seed's mix (with their hash-chain metadata), about 900 bytes each. The store runs
// as in production (pool of 10, LISTEN/NOTIFY on); the raw writers share a pg pool of 10. Subject and baseline
// alternate for several rounds; the medians are compared.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createDatabase, fmtInt, interleaved, mark, median, now, round, track } from './lib/common.js';
import { migrate } from './lib/fixture.js';
import { generateHistory } from './lib/generate.js';
import { PostgresEventStore } from '../libs/event-store/dist/index.js';

export const order = 1;

/** Real events of the realistic mix, as templates (their ids are replaced on every use). */
export function templateEvents(count) {
  const out = [];
  for (const rows of generateHistory({ seed: 'append-templates', maxEvents: count, casesPerChunk: 200 })) {
    for (const r of rows) out.push({ type: r.type, data: r.data, metadata: r.metadata });
  }
  return out;
}

const INSERT_ONE = 'INSERT INTO event_store.events (stream_id, stream_version, id, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)';
const INSERT_MANY = `INSERT INTO event_store.events (stream_id, stream_version, id, type, data, metadata)
  SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`;

/** Runs `writers` loops for `ms`, each calling `step(writer, i)`; returns events per second. */
async function timed(writers, ms, eventsPerStep, step) {
  const until = now() + ms;
  let steps = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; now() < until; i++) {
        await step(w, i);
        steps++;
      }
    }),
  );
  return (steps * eventsPerStep * 1000) / (now() - t0);
}

export async function run({ quick = false, log = console.log } = {}) {
  const rounds = quick ? 3 : 5;
  const ms = quick ? 800 : 3000;
  const db = track(await createDatabase('append'));
  await migrate(db.url);
  const store = await PostgresEventStore.create({ connectionString: db.url });
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
  const templates = templateEvents(500);
  const pick = (i) => templates[i % templates.length];
  try {
    const results = [];
    let streamSeq = 0;
    const single = async (writers) => {
      const subject = () => {
        const streams = Array.from({ length: writers }, () => `bench-store-${streamSeq++}-${randomUUID()}`);
        return timed(writers, ms, 1, async (w, i) => {
          const t = pick(i + w);
          await store.append(streams[w], [{ id: randomUUID(), type: t.type, data: t.data, metadata: t.metadata }], { expectedVersion: i });
        });
      };
      const baseline = () => {
        const streams = Array.from({ length: writers }, () => `bench-raw-${streamSeq++}-${randomUUID()}`);
        return timed(writers, ms, 1, async (w, i) => {
          const t = pick(i + w);
          await pool.query(INSERT_ONE, [streams[w], i + 1, randomUUID(), t.type, JSON.stringify(t.data), JSON.stringify(t.metadata)]);
        });
      };
      await subject();
      await baseline();
      const r = await interleaved(rounds, subject, baseline, (m) => log(`single-event x${writers}: ${m}`));
      const s = median(r.subject);
      const b = median(r.baseline);
      log(`single-event appends, ${writers} writer(s): store ${fmtInt(s)} events/s, raw INSERT ${fmtInt(b)} events/s`);
      results.push({ name: `append.single-event.${writers}-writer${writers > 1 ? 's' : ''} (store vs raw INSERT)`, value: Math.round(s), unit: 'events/s', baseline: Math.round(b), ratio: round(s / b), target: 0.5, stretch: 0.8 });
    };
    await single(8);
    await single(1);

    const writers = 4;
    const subject = () => {
      const streams = Array.from({ length: writers }, () => `bench-store-batch-${streamSeq++}-${randomUUID()}`);
      return timed(writers, ms, 100, async (w, i) => {
        const events = Array.from({ length: 100 }, (_, k) => {
          const t = pick(i * 100 + k);
          return { id: randomUUID(), type: t.type, data: t.data, metadata: t.metadata };
        });
        await store.append(streams[w], events, { expectedVersion: i * 100 });
      });
    };
    const baseline = () => {
      const streams = Array.from({ length: writers }, () => `bench-raw-batch-${streamSeq++}-${randomUUID()}`);
      return timed(writers, ms, 100, async (w, i) => {
        const cols = [[], [], [], [], [], []];
        for (let k = 0; k < 100; k++) {
          const t = pick(i * 100 + k);
          cols[0].push(streams[w]);
          cols[1].push(i * 100 + k + 1);
          cols[2].push(randomUUID());
          cols[3].push(t.type);
          cols[4].push(JSON.stringify(t.data));
          cols[5].push(JSON.stringify(t.metadata));
        }
        await pool.query(INSERT_MANY, cols);
      });
    };
    await subject();
    await baseline();
    const r = await interleaved(rounds, subject, baseline, (m) => log(`100-event x${writers}: ${m}`));
    const s = median(r.subject);
    const b = median(r.baseline);
    log(`100-event appends, ${writers} writers: store ${fmtInt(s)} events/s, unnest INSERT ${fmtInt(b)} events/s`);
    results.push({ name: `append.100-events.${writers}-writers (store vs unnest INSERT)`, value: Math.round(s), unit: 'events/s', baseline: Math.round(b), ratio: round(s / b), target: 0.5, stretch: 0.8 });
    return mark(results);
  } finally {
    await store.close();
    await pool.end();
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick'), log: console.log }), null, 1));
}
