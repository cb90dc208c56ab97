import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { EventStore, RecordedEvent } from '@sped/event-store';
import type { Projection } from './projection.js';
import { ASYNC_COMMIT } from './async-commit.js';

export interface RebuildLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** preparing: creating the new tables · building: replaying the log into them · swapping: live paused, tables swapped · done. */
export type RebuildPhase = 'preparing' | 'building' | 'swapping' | 'done';

export interface RebuildProgress {
  projection: string;
  phase: RebuildPhase;
  /** Last global position applied to the new tables. */
  position: string;
  /** The event store's head when last looked at. */
  head: string;
  /** Events replayed so far. */
  events: number;
  eventsPerSecond: number;
  elapsedMs: number;
}

export interface RebuildResult {
  projection: string;
  /** The position the rebuilt model (and the live checkpoint) stands at after the swap. */
  position: string;
  events: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  /** Called after every batch and at each phase change. */
  onProgress?: (progress: RebuildProgress) => void;
  /** Abandons the rebuild before the swap (the live model stays as it was). */
  signal?: AbortSignal;
  /**
   * Awaited once the new tables have caught up with the log (and this process's live projection is paused),
   * just before the swap transaction. For tests that look at the model mid-rebuild or race a projector of
   * another process against the swap; it must not wait for the paused projection.
   */
  beforeSwap?: () => Promise<void>;
}

/** What a rebuild needs from the live runner of this process. */
export interface ProjectionPauser {
  /** Stops the projection after its current batch; resolves when nothing of it runs any more. */
  pause(name: string): Promise<void>;
  /** Starts it again from its checkpoint. */
  resume(name: string): void;
}

export interface ProjectionRebuilderOptions {
  /** The live runner in this process: paused for the last catch-up and the swap, then resumed. */
  runner?: ProjectionPauser;
  batchSize?: number;
  /** How often progress goes to the log while building (default 2 s). */
  logEveryMs?: number;
}

export class UnknownProjectionError extends Error {
  readonly code = 'UNKNOWN_PROJECTION';
  constructor(
    readonly projection: string,
    known: readonly string[],
  ) {
    super(`There is no projection ${projection}; known: ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

export class RebuildAlreadyRunningError extends Error {
  readonly code = 'REBUILD_RUNNING';
  constructor(
    readonly projection: string,
    where: 'here' | 'elsewhere',
  ) {
    super(where === 'here' ? `A rebuild of ${projection} is already running` : `A rebuild of ${projection} is already running in another process`);
    this.name = 'RebuildAlreadyRunningError';
  }
}

export interface StartedRebuild {
  projection: string;
  /** Settles when the rebuilt tables are live (or the rebuild failed, leaving the live model as it was). */
  done: Promise<RebuildResult>;
}

/** Serialises rebuilds of one projection across processes (with hashtext(name) as the second key). */
const REBUILD_LOCK = 7_340_202;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const schemaName = (prefix: string, projection: string) => `${prefix}_${projection.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 63);

/** One projection of a rebuild: where its new tables are and how far they are. */
interface Target {
  projection: Projection;
  shadow: string;
  retired: string;
  progress: RebuildProgress;
  lastLog: number;
}

class AbortedError extends Error {
  constructor(projection: string) {
    super(`The rebuild of ${projection} was abandoned before the swap; the live model is unchanged`);
    this.name = 'AbortError';
  }
}

/**
 * Rebuilds a projection beside the live one and swaps it in when caught up, so readers never see a half-built
 * model:
 * 1. copies the structure of the projection's tables (columns, defaults, constraints and indexes under their
 *    own names) into a schema of its own, `rebuild_<projection>`, with its own checkpoint;
 * 2. replays the whole log from position 0 into those tables, reporting progress;
 * 3. when caught up, pauses the live projection (in this process) and applies what has come since;
 * 4. in one transaction: locks the live checkpoint and tables (which also holds back a projector in another
 *    process), applies anything that projector got ahead by, moves the old tables out, the new ones in, drops
 *    the old, and sets the live checkpoint to the rebuilt position (clearing a `failed` status);
 * 5. resumes the live projection, which carries on from the rebuilt position.
 * A failure before the swap drops the new tables and leaves the live model and its checkpoint as they were.
 *
 * While building, the transaction's search_path is the rebuild schema alone, so the projection's writes
 * (through TypeORM entities or plain SQL with unqualified names) land in the new tables, and a table it did
 * not declare in `tables` fails the rebuild instead of being written live. `SET LOCAL` ends with the
 * transaction, so nothing leaks to other users of the connection, not even on the embedded server where all
 * connections share one session (a transaction there holds the session to itself).
 */
/**
 * Rebuilds running in this process, per read-model database: the advisory lock keeps other processes out,
 * but on the embedded server every connection shares one session, where that lock is re-entrant.
 */
const RUNNING = new WeakMap<DataSource, Set<string>>();

export class ProjectionRebuilder {
  private readonly running: Set<string>;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    private readonly logger: RebuildLogger,
    private readonly options: ProjectionRebuilderOptions = {},
  ) {
    let running = RUNNING.get(dataSource);
    if (!running) RUNNING.set(dataSource, (running = new Set()));
    this.running = running;
  }

  projection(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new UnknownProjectionError(name, this.projections.map((p) => p.name));
    return projection;
  }

  /** Rebuilds and swaps; resolves when the rebuilt tables are live. */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    return (await this.start(name, options)).done;
  }

  /**
   * Rebuilds several projections from one read of the log: each batch is read once and applied to every new
   * table set (in parallel transactions), then each is swapped in on its own. Cheaper in time and memory than
   * rebuilding them one by one or side by side, each reading the whole log. A failure of any of them abandons
   * them all (every live model stays as it was).
   */
  async rebuildMany(names: readonly string[], options: RebuildOptions = {}): Promise<RebuildResult[]> {
    return (await this.startMany(names, options)).done;
  }

  /**
   * Checks the name, takes the projection's rebuild lock (refusing with RebuildAlreadyRunningError when this or
   * another process holds it) and starts the rebuild in the background.
   */
  async start(name: string, options: RebuildOptions = {}): Promise<StartedRebuild> {
    const started = await this.startMany([name], options);
    return { projection: name, done: started.done.then(([result]) => result) };
  }

  /** `start` for several projections rebuilt together (see rebuildMany): all their locks, or none. */
  async startMany(names: readonly string[], options: RebuildOptions = {}): Promise<{ projections: string[]; done: Promise<RebuildResult[]> }> {
    if (names.length === 0) throw new TypeError('Name at least one projection to rebuild');
    if (new Set(names).size !== names.length) throw new TypeError(`A projection is named twice: ${names.join(', ')}`);
    const projections = names.map((name) => this.projection(name));
    for (const name of names) if (this.running.has(name)) throw new RebuildAlreadyRunningError(name, 'here');
    if ((this.dataSource.options as { schema?: string }).schema) {
      throw new Error('A rebuild needs a read-model DataSource without a fixed schema: its entity tables must resolve through search_path');
    }
    for (const name of names) this.running.add(name);
    let lock: QueryRunner | undefined;
    const locked: string[] = [];
    try {
      lock = this.dataSource.createQueryRunner();
      await lock.connect();
      for (const name of names) {
        const [{ locked: got }] = await lock.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [REBUILD_LOCK, name]);
        if (!got) throw new RebuildAlreadyRunningError(name, 'elsewhere');
        locked.push(name);
      }
    } catch (error) {
      for (const name of locked) await lock?.query('SELECT pg_advisory_unlock($1, hashtext($2))', [REBUILD_LOCK, name]).catch(() => undefined);
      await lock?.release().catch(() => undefined);
      for (const name of names) this.running.delete(name);
      throw error;
    }
    const held = lock;
    const done = this.run(projections, options).finally(async () => {
      for (const name of names) await held.query('SELECT pg_advisory_unlock($1, hashtext($2))', [REBUILD_LOCK, name]).catch(() => undefined);
      await held.release().catch(() => undefined);
      for (const name of names) this.running.delete(name);
    });
    // The caller may only look at the status; the rejection is reported through `done` and the log.
    done.catch(() => undefined);
    return { projections: [...names], done };
  }

  private async run(projections: Projection[], options: RebuildOptions): Promise<RebuildResult[]> {
    const started = Date.now();
    const [{ live }] = await this.dataSource.query('SELECT current_schema() AS live');
    const head = await this.store.headPosition();
    const targets: Target[] = projections.map((projection) => ({
      projection,
      shadow: schemaName('rebuild', projection.name),
      retired: schemaName('retired', projection.name),
      progress: { projection: projection.name, phase: 'preparing', position: '0', head, events: 0, eventsPerSecond: 0, elapsedMs: 0 },
      lastLog: 0,
    }));
    const report = async (phase: RebuildPhase, force = false, lookAtHead = true, only?: Target) => {
      const latest = lookAtHead ? await this.store.headPosition().catch(() => null) : null;
      for (const t of only ? [only] : targets) {
        const progress = t.progress;
        progress.phase = phase;
        if (latest !== null) progress.head = latest;
        progress.elapsedMs = Date.now() - started;
        progress.eventsPerSecond = progress.elapsedMs > 0 ? Math.round((progress.events * 1000) / progress.elapsedMs) : 0;
        options.onProgress?.({ ...progress });
        if (force || Date.now() - t.lastLog >= (this.options.logEveryMs ?? 2000)) {
          t.lastLog = Date.now();
          const headAt = BigInt(progress.head);
          const percent = headAt > 0n ? Math.min(100, Number((BigInt(progress.position) * 1000n) / headAt) / 10) : 100;
          this.logger.info({ ...progress, percent }, 'projection rebuild progress');
        }
      }
    };
    for (const t of targets) this.logger.info({ projection: t.projection.name, tables: t.projection.tables, schema: t.shadow, head, together: targets.length > 1 ? projections.map((p) => p.name) : undefined }, 'projection rebuild started');
    const paused: string[] = [];
    try {
      await report('preparing', true);
      for (const t of targets) await this.prepare(t.projection, live, t.shadow);
      await report('building', true);
      await this.catchUp(targets, () => report('building'), options.signal);
      for (const t of targets) await this.settle(t.projection, t.shadow, options.signal);
      if (this.options.runner) {
        for (const t of targets) {
          await this.options.runner.pause(t.projection.name);
          paused.push(t.projection.name);
        }
      }
      await this.catchUp(targets, () => report('building'), options.signal);
      await options.beforeSwap?.();
      if (options.signal?.aborted) throw new AbortedError(projections.map((p) => p.name).join(', '));
      await report('swapping', true);
      // Inside the swap transaction the store is not asked for its head: on the embedded server that query
      // would wait for the transaction itself.
      for (const t of targets) await this.swap(t.projection, live, t.shadow, t.retired, t.progress, () => report('swapping', false, false, t));
    } catch (error) {
      for (const t of targets) {
        this.logger.error({ projection: t.projection.name, position: t.progress.position, error: (error as Error).message }, 'projection rebuild failed; the live model is unchanged');
        await this.dataSource.query(`DROP SCHEMA IF EXISTS ${ident(t.shadow)} CASCADE`).catch((dropError: unknown) => {
          this.logger.warn({ projection: t.projection.name, schema: t.shadow, err: String(dropError) }, 'could not drop the rebuild schema; the next rebuild drops it');
        });
      }
      throw error;
    } finally {
      for (const name of paused) this.options.runner?.resume(name);
    }
    await report('done', true);
    return targets.map((t) => {
      const p = t.progress;
      this.logger.info({ projection: p.projection, position: p.position, events: p.events, elapsedMs: p.elapsedMs }, 'projection rebuilt and swapped in');
      return { projection: p.projection, position: p.position, events: p.events, elapsedMs: p.elapsedMs };
    });
  }

  /**
   * VACUUM ANALYZE of the new tables before they go live (outside any transaction, before the live projection is
   * paused). A replay leaves dead row versions behind its upserts and no planner statistics: without this the first
   * reads after a swap planned blind (seconds for a workload query at 100,000 cases) until autovacuum came by.
   */
  private async settle(projection: Projection, shadow: string, signal?: AbortSignal): Promise<void> {
    for (const table of projection.tables) {
      if (signal?.aborted) return;
      const started = performance.now();
      await this.dataSource.query(`VACUUM (ANALYZE) ${ident(shadow)}.${ident(table)}`);
      this.logger.info({ projection: projection.name, table, ms: Math.round(performance.now() - started) }, 'rebuilt table vacuumed and analyzed');
    }
  }

  /** A schema of empty tables shaped like the live ones, with the same constraint and index names. */
  private async prepare(projection: Projection, live: string, shadow: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      for (const table of projection.tables) {
        if (table === 'projection_checkpoint') throw new Error(`Projection ${projection.name} declares projection_checkpoint among its tables: the checkpoints are the runner's, not a read model`);
        const [{ found }] = await m.query('SELECT to_regclass($1) IS NOT NULL AS found', [`${ident(live)}.${ident(table)}`]);
        if (!found) throw new Error(`Projection ${projection.name} declares table ${table}, which does not exist in schema ${live}`);
      }
      await m.query(`DROP SCHEMA IF EXISTS ${ident(shadow)} CASCADE`);
      await m.query(`CREATE SCHEMA ${ident(shadow)}`);
      for (const table of [...projection.tables, 'projection_checkpoint']) {
        const source = `${ident(live)}.${ident(table)}`;
        const target = `${ident(shadow)}.${ident(table)}`;
        // Indexes are created below under their live names: LIKE ... INCLUDING INDEXES would invent new ones.
        await m.query(`CREATE TABLE ${target} (LIKE ${source} INCLUDING ALL EXCLUDING INDEXES)`);
        const constraints: Array<{ name: string; def: string }> = await m.query(
          `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
            WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY contype, conname`,
          [source],
        );
        for (const c of constraints) await m.query(`ALTER TABLE ${target} ADD CONSTRAINT ${ident(c.name)} ${c.def}`);
        const indexes: Array<{ def: string }> = await m.query(
          `SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
            WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY x.indexrelid`,
          [source],
        );
        const [{ qualified }] = await m.query('SELECT format($1, $2::text, $3::text) AS qualified', ['%I.%I', live, table]);
        for (const { def } of indexes) {
          const marker = def.includes(` ON ONLY ${qualified} `) ? ` ON ONLY ${qualified} ` : ` ON ${qualified} `;
          if (!def.includes(marker)) throw new Error(`Cannot copy index of ${table}: unexpected definition ${def}`);
          await m.query(def.replace(marker, marker.replace(qualified, target)));
        }
      }
      await m.query(`INSERT INTO ${ident(shadow)}.projection_checkpoint (name, position, status) VALUES ($1, 0, 'running')`, [projection.name]);
    });
  }

  /**
   * Replays the log into the new tables until a read finds nothing more. All targets stand at the same position
   * here: each batch is read once and applied to each target in a transaction of its own, side by side.
   */
  private async catchUp(targets: Target[], report: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    const limit = this.options.batchSize ?? 500;
    for (;;) {
      if (signal?.aborted) throw new AbortedError(targets.map((t) => t.projection.name).join(', '));
      const batch = await this.store.readAll({ after: targets[0].progress.position, limit });
      if (batch.length === 0) return;
      const outcomes = await Promise.allSettled(targets.map((t) => this.applyBatch(t, batch)));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
      for (const t of targets) {
        t.progress.position = batch[batch.length - 1].position;
        t.progress.events += batch.length;
      }
      await report();
    }
  }

  private async applyBatch(t: Target, batch: RecordedEvent[]): Promise<void> {
    try {
      await this.dataSource.transaction((m) => this.applyToShadow(m, t.projection, t.shadow, batch));
    } catch (error) {
      if (batch.length === 1) throw error;
      // Name the event that cannot be applied: the same batch, one event at a time.
      for (const event of batch) await this.dataSource.transaction((m) => this.applyToShadow(m, t.projection, t.shadow, [event]));
      throw error;
    }
  }

  private async applyToShadow(m: EntityManager, projection: Projection, shadow: string, events: RecordedEvent[], ownTransaction = true): Promise<void> {
    // The new tables only count once swapped in, and the swap's synchronous commit flushes the WAL of every batch
    // before it: a batch need not wait for the disk (see ASYNC_COMMIT). Inside the swap transaction it stays on.
    if (ownTransaction) await m.query(ASYNC_COMMIT);
    const [{ path }] = await m.query(`SELECT current_setting('search_path') AS path`);
    await m.query(`SELECT set_config('search_path', $1, true)`, [ident(shadow)]);
    try {
      await projection.apply(m, events);
    } catch (error) {
      const first = events[0];
      const last = events[events.length - 1];
      const event = events.length === 1 ? ` (event ${first.id} ${first.type} at position ${first.position}, stream ${first.streamId})` : ` (events at positions ${first.position}..${last.position})`;
      throw Object.assign(new Error(`${projection.name} cannot apply${event}: ${(error as Error).message}`, { cause: error }), { events });
    }
    await m.query(`SELECT set_config('search_path', $1, true)`, [path]);
    await m.query(`UPDATE ${ident(shadow)}.projection_checkpoint SET position = $2, updated_at = now() WHERE name = $1`, [projection.name, events[events.length - 1].position]);
  }

  private async swap(projection: Projection, live: string, shadow: string, retired: string, progress: RebuildProgress, report: () => Promise<void>): Promise<void> {
    const { name } = projection;
    const checkpoint = `${ident(live)}.projection_checkpoint`;
    await this.dataSource.transaction(async (m) => {
      // Lock order as in the runner's batches (checkpoint row, then tables), so neither can deadlock the other.
      await m.query(`INSERT INTO ${checkpoint} (name, position, status) VALUES ($1, 0, 'running') ON CONFLICT (name) DO NOTHING`, [name]);
      const [row] = await m.query(`SELECT position::text AS position FROM ${checkpoint} WHERE name = $1 FOR UPDATE`, [name]);
      await m.query(`LOCK TABLE ${projection.tables.map((t) => `${ident(live)}.${ident(t)}`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      // A projector in another process may have applied events the new tables lack: bring them level here,
      // while it waits for these locks. (Reads the store on another connection: PostgreSQL only, which is
      // where another process can run; in the embedded mode the paused runner is the only projector.)
      while (BigInt(row.position) > BigInt(progress.position)) {
        const batch = await this.store.readAll({ after: progress.position, limit: this.options.batchSize ?? 500 });
        if (batch.length === 0) throw new Error(`The live checkpoint of ${name} (${row.position}) is past the end of the log (${progress.position})`);
        await this.applyToShadow(m, projection, shadow, batch, false);
        progress.position = batch[batch.length - 1].position;
        progress.events += batch.length;
        await report();
      }
      await m.query(`DROP SCHEMA IF EXISTS ${ident(retired)} CASCADE`);
      await m.query(`CREATE SCHEMA ${ident(retired)}`);
      for (const t of projection.tables) await m.query(`ALTER TABLE ${ident(live)}.${ident(t)} SET SCHEMA ${ident(retired)}`);
      for (const t of projection.tables) await m.query(`ALTER TABLE ${ident(shadow)}.${ident(t)} SET SCHEMA ${ident(live)}`);
      // A serial column's sequence belongs to the old table and moved out with it; the new table's default
      // uses the same sequence, so it comes back and changes owner.
      const sequences: Array<{ sequence: string; tbl: string; col: string }> = await m.query(
        `SELECT s.relname AS sequence, t.relname AS tbl, a.attname AS col
           FROM pg_depend d
           JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
           JOIN pg_class t ON t.oid = d.refobjid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
          WHERE d.deptype = 'a' AND t.relnamespace = $1::regnamespace`,
        [ident(retired)],
      );
      for (const s of sequences) {
        await m.query(`ALTER SEQUENCE ${ident(retired)}.${ident(s.sequence)} OWNED BY NONE`);
        await m.query(`ALTER SEQUENCE ${ident(retired)}.${ident(s.sequence)} SET SCHEMA ${ident(live)}`);
        await m.query(`ALTER SEQUENCE ${ident(live)}.${ident(s.sequence)} OWNED BY ${ident(live)}.${ident(s.tbl)}.${ident(s.col)}`);
      }
      await m.query(`DROP SCHEMA ${ident(retired)} CASCADE`);
      await m.query(`DROP SCHEMA ${ident(shadow)} CASCADE`);
      await m.query(`UPDATE ${checkpoint} SET position = $2, status = 'running', error = NULL, updated_at = now() WHERE name = $1`, [name, progress.position]);
    });
  }
}
