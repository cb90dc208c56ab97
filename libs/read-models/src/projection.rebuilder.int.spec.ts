import fc from 'fast-check';
import type { DataSource, EntityManager } from 'typeorm';
import { PostgresEventStore, type EventStore, type RecordedEvent } from '@sped/event-store';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import { ALL_PROJECTIONS } from './index.js';
import { openReadModels } from './data-source.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection.runner.js';
import { ProjectionRebuilder, RebuildAlreadyRunningError, UnknownProjectionError, type RebuildPhase } from './projection.rebuilder.js';
import { caseSummaryProjection } from './case-summary/case-summary.projection.js';
import { appendAll, checkpoints, choicesArbitrary, chunks, interleave, pickFrom, projectionTables, randomHistory, seededPick, tableRows } from './testing/index.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Columns left out of the comparison, by table, each with the reason it may differ between a live run and a
 * rebuild. None today: every column of every read model is derived from the events alone (`updated_at`,
 * `recorded_at` are the events' recording instants, not the projector's clock).
 */
const VOLATILE: Record<string, string[]> = {};

let db: TestDatabase;
let store: EventStore;
let rm: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('rebuild');
  store = await PostgresEventStore.create({ connectionString: db.connectionString, poolSize: 4 });
  rm = await openReadModels({ url: db.connectionString, poolSize: 4 });
});
afterAll(async () => {
  await rm?.destroy();
  await store?.close();
  await db?.drop();
});

async function until<T>(what: () => Promise<T | undefined> | T | undefined, describe: string): Promise<T> {
  for (let i = 0; i < 3000; i++) {
    const v = await what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${describe}`);
}

const indexesOf = async (table: string) =>
  (await rm.query(`SELECT indexname, regexp_replace(indexdef, ' ON \\S+ ', ' ON T ') AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname`, [table])) as Array<{ indexname: string; def: string }>;

describe('Projection rebuild', () => {
  describe('for random valid histories appended in several batches while the live projection runs', () => {
    it('builds exactly the rows the live projection wrote, for every projection', async () => {
      await fc.assert(
        fc.asyncProperty(choicesArbitrary(300), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 50 }), async (choices, parts, liveBatch, rebuildBatch) => {
          const pick = pickFrom(choices);
          const plan = interleave(pick, randomHistory(pick, { cases: 3, complaints: 2, maxCommands: 10 }));
          const runner = new ProjectionRunner(store, rm, ALL_PROJECTIONS, silent, { batchSize: liveBatch });
          runner.start();
          try {
            let appended = '0';
            for (const chunk of chunks(pick, plan, parts)) {
              if (chunk.length === 0) continue;
              appended = await appendAll(store, chunk);
              // Sometimes the runner catches up between appends, sometimes it finds several waiting.
              if (pick(2)) await runner.waitFor(appended);
            }
            await runner.waitFor(appended);
            expect(runner.status().filter((s) => s.state !== 'running')).toEqual([]);
            const live = await projectionTables(rm, ALL_PROJECTIONS, VOLATILE);

            const rebuilder = new ProjectionRebuilder(store, rm, ALL_PROJECTIONS, silent, { runner, batchSize: rebuildBatch });
            // One by one, or all together from one read of the log: the same rows either way.
            if (pick(2)) await rebuilder.rebuildMany(ALL_PROJECTIONS.map((p) => p.name));
            else for (const p of ALL_PROJECTIONS) await rebuilder.rebuild(p.name);
            const rebuilt = await projectionTables(rm, ALL_PROJECTIONS, VOLATILE);
            expect(Object.keys(rebuilt).sort()).toEqual(ALL_PROJECTIONS.flatMap((p) => p.tables).sort());
            for (const table of Object.keys(live)) expect({ table, rows: rebuilt[table] }).toEqual({ table, rows: live[table] });
            const head = await store.headPosition();
            expect(Object.values(await checkpoints(rm)).filter((c) => c.position !== head || c.status !== 'running')).toEqual([]);
          } finally {
            await runner.stop();
          }
        }),
        { numRuns: 15 },
      );
    });
  });

  it('keeps the tables as the migrations made them: same columns, constraints and index names', async () => {
    const tables = ALL_PROJECTIONS.flatMap((p) => p.tables);
    const before = await Promise.all(tables.map(indexesOf));
    const columns = async (t: string) => rm.query(`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [t]);
    const columnsBefore = await Promise.all(tables.map(columns));
    const rebuilder = new ProjectionRebuilder(store, rm, ALL_PROJECTIONS, silent);
    for (const p of ALL_PROJECTIONS) await rebuilder.rebuild(p.name);
    expect(await Promise.all(tables.map(indexesOf))).toEqual(before);
    expect(await Promise.all(tables.map(columns))).toEqual(columnsBefore);
    const leftovers = await rm.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%' OR nspname LIKE 'retired\\_%'`);
    expect(leftovers).toEqual([]);
    // Swapped in with planner statistics (reltuples is -1 for a table never vacuumed or analyzed).
    const unanalyzed = await rm.query(`SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY ($1) AND c.reltuples < 0`, [tables]);
    expect(unanalyzed).toEqual([]);
  });

  describe('while readers query the model', () => {
    it('never shows them fewer case rows than before it started, nor a missing table', async () => {
      const pick = seededPick(2024);
      const appended = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 300, complaints: 20, maxCommands: 12 })));
      const runner = new ProjectionRunner(store, rm, ALL_PROJECTIONS, silent);
      runner.start();
      try {
        await runner.waitFor(appended);
        const [{ n }] = await rm.query('SELECT count(*)::int AS n FROM case_summary');
        expect(n).toBeGreaterThanOrEqual(300);
        let phase: RebuildPhase = 'preparing';
        let done = false;
        const seen: Array<{ phase: RebuildPhase; n: number }> = [];
        const errors: string[] = [];
        const reader = (async () => {
          while (!done) {
            try {
              const [row] = await rm.query('SELECT count(*)::int AS n FROM case_summary');
              seen.push({ phase, n: row.n });
            } catch (error) {
              errors.push((error as Error).message);
            }
          }
        })();
        await runner.rebuild('case-summary', {
          onProgress: (p) => (phase = p.phase),
          // Let the reader look while the new table is half built.
          beforeSwap: async () => {
            await until(() => (seen.filter((s) => s.phase === 'building').length >= 5 ? true : undefined), 'the reader to look during the build');
          },
        });
        const afterSwap = seen.length;
        await until(() => (seen.length > afterSwap + 2 ? true : undefined), 'the reader to look after the swap');
        done = true;
        await reader;
        expect(errors).toEqual([]);
        expect(seen.filter((s) => s.n < n)).toEqual([]);
        expect(seen.at(-1)?.n).toBe(n);
      } finally {
        await runner.stop();
      }
    });
  });

  it('commits projection batches without waiting for the WAL flush, live and in a rebuild', async () => {
    await rm.query('CREATE TABLE IF NOT EXISTS commit_probe (n serial PRIMARY KEY, setting text NOT NULL)');
    const probe: Projection = {
      name: 'commit-probe',
      tables: ['commit_probe'],
      async apply(m: EntityManager) {
        await m.query(`INSERT INTO commit_probe (setting) VALUES (current_setting('synchronous_commit'))`);
      },
    };
    const pick = seededPick(21);
    const last = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 2, complaints: 0, maxCommands: 4 })));
    const runner = new ProjectionRunner(store, rm, [probe], silent, { batchSize: 3 });
    runner.start();
    try {
      await runner.waitFor(last);
      const live = await rm.query('SELECT DISTINCT setting FROM commit_probe');
      expect(live).toEqual([{ setting: 'off' }]);
      await runner.rebuild('commit-probe');
      expect(await rm.query('SELECT DISTINCT setting FROM commit_probe')).toEqual([{ setting: 'off' }]);
      // Outside those transactions the connection's own setting is untouched (SET LOCAL).
      expect(await rm.query(`SELECT current_setting('synchronous_commit') AS s`)).toEqual([{ s: 'on' }]);
    } finally {
      await runner.stop();
    }
  });

  describe('of several projections together', () => {
    it('reads each batch of the log once for all of them, and leaves every live model as it was when one fails', async () => {
      const pick = seededPick(11);
      const appended = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 6, complaints: 2, maxCommands: 8 })));
      await until(async () => ((await store.headPosition()) === appended ? true : undefined), 'the appended events to become readable');
      const events = (await store.readAll({})).length;
      const reads = { n: 0 };
      const counting = Object.create(store) as EventStore;
      counting.readAll = (o) => {
        reads.n++;
        return store.readAll(o);
      };
      const batchSize = 20;
      const rebuilder = new ProjectionRebuilder(counting, rm, ALL_PROJECTIONS, silent, { batchSize });
      const results = await rebuilder.rebuildMany(ALL_PROJECTIONS.map((p) => p.name));
      expect(results.map((r) => r.projection)).toEqual(ALL_PROJECTIONS.map((p) => p.name));
      expect(results.every((r) => r.position === appended && r.events === events)).toBe(true);
      // Each batch once (and one empty read per catch-up pass), not once per projection.
      expect(reads.n).toBeLessThanOrEqual(Math.ceil(events / batchSize) + 2);

      await rm.query('CREATE TABLE IF NOT EXISTS together_poison (event_id uuid PRIMARY KEY)');
      const victim = (await store.readAll({}))[5];
      const poison: Projection = {
        name: 'together-poison',
        tables: ['together_poison'],
        async apply(m: EntityManager, batch: RecordedEvent[]) {
          if (batch.some((e) => e.id === victim.id)) throw new Error('this event breaks the projection');
        },
      };
      const summaryBefore = await tableRows(rm, 'case_summary');
      const [{ oid: tableBefore }] = await rm.query(`SELECT 'case_summary'::regclass::oid AS oid`);
      const both = new ProjectionRebuilder(store, rm, [caseSummaryProjection, poison], silent, { batchSize });
      await expect(both.rebuildMany(['case-summary', 'together-poison'])).rejects.toThrow(victim.id);
      // The live case_summary is the same table as before (not swapped), with the same rows; nothing is left over.
      const [{ oid: tableAfter }] = await rm.query(`SELECT 'case_summary'::regclass::oid AS oid`);
      expect(tableAfter).toBe(tableBefore);
      expect(await tableRows(rm, 'case_summary')).toEqual(summaryBefore);
      expect(await rm.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'`)).toEqual([]);
      await expect(both.rebuildMany(['case-summary', 'case-summary'])).rejects.toThrow(/named twice/);
    });
  });

  describe('of a projection stopped by an event it could not apply', () => {
    it('fails, naming the event, while the cause persists, and recovers the projection once it is fixed', async () => {
      // A projection of its own: one row per event, in a table with a serial key, written with plain SQL.
      await rm.query(`CREATE TABLE poison_log (seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, position bigint NOT NULL)`);
      await rm.query(`CREATE INDEX poison_log_by_position ON poison_log (position DESC)`);
      const fault = { poisoned: null as string | null };
      const poison: Projection = {
        name: 'poison-log',
        tables: ['poison_log'],
        async apply(m: EntityManager, events: RecordedEvent[]) {
          for (const e of events) {
            if (e.id === fault.poisoned) throw new Error('this event breaks the projection');
            await m.query('INSERT INTO poison_log (event_id, position) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING', [e.id, e.position]);
          }
        },
      };
      const pick = seededPick(7);
      const appended = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 5, complaints: 1, maxCommands: 6 })));
      // The log shows an append once every older transaction on the server has ended (gap-safe reads).
      const all = await until(async () => {
        const events = await store.readAll({});
        return events.at(-1)?.position === appended ? events : undefined;
      }, 'the appended events to become readable');
      const victim = all[all.length - 3];
      fault.poisoned = victim.id;
      const indexesBefore = await indexesOf('poison_log');

      const runner = new ProjectionRunner(store, rm, [poison], silent, { batchSize: 50, failedPollMs: 20 });
      runner.start();
      try {
        await runner.waitFor(appended);
        const [stopped] = runner.status();
        expect(stopped).toMatchObject({ state: 'failed' });
        expect(stopped.error).toContain(victim.id);
        const liveBefore = await tableRows(rm, 'poison_log');
        expect(liveBefore).toHaveLength(all.length - 3);

        await expect(runner.rebuild('poison-log')).rejects.toThrow(victim.id);
        expect(await tableRows(rm, 'poison_log')).toEqual(liveBefore);
        expect((await checkpoints(rm))['poison-log']).toMatchObject({ status: 'failed' });
        expect(runner.rebuildStatus()).toEqual([expect.objectContaining({ name: 'poison-log', status: 'failed', error: expect.stringContaining(victim.id) })]);

        fault.poisoned = null;
        const result = await runner.rebuild('poison-log');
        expect(result).toMatchObject({ projection: 'poison-log', position: appended, events: all.length });
        expect((await checkpoints(rm))['poison-log']).toEqual({ position: appended, status: 'running' });
        await until(() => (runner.status()[0].state === 'running' ? true : undefined), 'the projection to run again');
        expect(await tableRows(rm, 'poison_log')).toHaveLength(all.length);
        expect(await indexesOf('poison_log')).toEqual(indexesBefore);

        // It carries on live from the rebuilt position, its serial key still drawing from its own sequence.
        const more = seededPick(8);
        const plan = interleave(more, randomHistory(more, { cases: 1, complaints: 0, maxCommands: 3 }));
        const last = await appendAll(store, plan);
        await runner.waitFor(last);
        const [{ n, sequence }] = await rm.query(`SELECT count(*)::int AS n, pg_get_serial_sequence('poison_log', 'seq') AS sequence FROM poison_log`);
        expect(n).toBe(all.length + plan.reduce((k, a) => k + a.events.length, 0));
        expect(sequence).toBe('public.poison_log_seq_seq');
        expect(runner.status()[0]).toMatchObject({ state: 'running', position: last });
      } finally {
        await runner.stop();
      }
    });
  });

  describe('when asked twice or for something unknown', () => {
    it('refuses a second rebuild of a projection while one runs, and names the projections it knows', async () => {
      const runner = new ProjectionRunner(store, rm, ALL_PROJECTIONS, silent);
      runner.start();
      try {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const first = await runner.startRebuild('case-summary', { beforeSwap: () => gate });
        await expect(runner.startRebuild('case-summary')).rejects.toBeInstanceOf(RebuildAlreadyRunningError);
        // Another process (another rebuilder on the same database) is refused as well.
        const elsewhere = new ProjectionRebuilder(store, rm, ALL_PROJECTIONS, silent);
        await expect(elsewhere.rebuild('case-summary')).rejects.toThrow(/already running/);
        expect(runner.rebuildStatus()).toEqual([expect.objectContaining({ name: 'case-summary', status: 'running' })]);
        release();
        await first.done;
        expect(runner.rebuildStatus()).toEqual([expect.objectContaining({ name: 'case-summary', status: 'succeeded' })]);
        await expect(runner.startRebuild('no-such-model')).rejects.toBeInstanceOf(UnknownProjectionError);
        await expect(runner.startRebuild('no-such-model')).rejects.toThrow('case-summary');
      } finally {
        await runner.stop();
      }
    });
  });
});

describe('Projection runner', () => {
  it('applies each batch once even when two runners project the same model (checkpoint claimed per batch)', async () => {
    await rm.query(`CREATE TABLE event_tally (id int PRIMARY KEY, n int NOT NULL)`);
    await rm.query(`INSERT INTO event_tally VALUES (1, 0)`);
    // Not idempotent on purpose: a batch applied twice would count twice.
    const tally: Projection = {
      name: 'event-tally',
      tables: ['event_tally'],
      async apply(m, events) {
        await m.query('UPDATE event_tally SET n = n + $1 WHERE id = 1', [events.length]);
      },
    };
    const a = new ProjectionRunner(store, rm, [tally], silent, { batchSize: 40 });
    const b = new ProjectionRunner(store, rm, [tally], silent, { batchSize: 70 });
    a.start();
    b.start();
    try {
      const pick = seededPick(99);
      const last = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 6, complaints: 2, maxCommands: 8 })));
      await Promise.all([a.waitFor(last), b.waitFor(last)]);
      const [{ n }] = await rm.query('SELECT n FROM event_tally WHERE id = 1');
      expect(n).toBe((await store.readAll({})).length);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('pauses one projection after its current batch and resumes it from its checkpoint', async () => {
    const runner = new ProjectionRunner(store, rm, [caseSummaryProjection], silent);
    runner.start();
    try {
      await runner.waitFor(await store.headPosition());
      await runner.pause('case-summary');
      expect(runner.status()[0].state).toBe('paused');
      const pick = seededPick(5);
      const last = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 2, complaints: 0, maxCommands: 4 })));
      const before = runner.status()[0].position;
      expect(BigInt(before)).toBeLessThan(BigInt(last));
      runner.resume('case-summary');
      await runner.waitFor(last);
      expect(runner.status()[0]).toMatchObject({ state: 'running', position: last });
    } finally {
      await runner.stop();
    }
  });
});

describe('Projection rebuild racing a projector of another process', () => {
  it('brings the new tables level with a live projector that got ahead, inside the swap (PostgreSQL)', async () => {
    if (db.kind === 'pglite') {
      // Another process cannot open the embedded server's data directory; there the paused runner of the
      // same process is the only projector, and the swap never needs to read the log.
      process.stdout.write('[rebuild] the race with a projector of another process ran only on PostgreSQL: in the embedded mode no other process projects\n');
      return;
    }
    const other = new ProjectionRunner(store, rm, [caseSummaryProjection], silent, { batchSize: 3 });
    other.start();
    try {
      await other.waitFor(await store.headPosition());
      const rebuilder = new ProjectionRebuilder(store, rm, [caseSummaryProjection], silent);
      let ahead = '0';
      const result = await rebuilder.rebuild('case-summary', {
        beforeSwap: async () => {
          const pick = seededPick(31);
          ahead = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 3, complaints: 0, maxCommands: 5 })));
          await other.waitFor(ahead);
        },
      });
      expect(BigInt(result.position)).toBeGreaterThanOrEqual(BigInt(ahead));
      const rebuilt = await tableRows(rm, 'case_summary');
      const pick = seededPick(32);
      const last = await appendAll(store, interleave(pick, randomHistory(pick, { cases: 1, complaints: 0, maxCommands: 3 })));
      await other.waitFor(last);
      expect(other.status()[0]).toMatchObject({ state: 'running', position: last });
      expect((await tableRows(rm, 'case_summary')).length).toBe(rebuilt.length + 1);
    } finally {
      await other.stop();
    }
  });
});
