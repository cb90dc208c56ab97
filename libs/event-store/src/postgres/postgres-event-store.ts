import pg from 'pg';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventStoreHealth,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from '../event-store.js';
import { describeTarget, isStatementError, isUniqueViolation, toStoreError } from './pg-errors.js';
import { DEFAULT_SCHEMA, MIGRATIONS, assertSchemaName, channelName, lockKeys, quoteIdent, statements, type Statements } from './schema.js';

/** pino's Logger fits; so does `console`. */
export interface EventStoreLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface PostgresEventStoreOptions {
  /** postgres:// URL; the store then owns its pool. Give this or `pool`. */
  connectionString?: string;
  /** A pool owned by the caller (not ended by close()). */
  pool?: pg.Pool;
  /** Schema holding the store's tables (default 'event_store'); created when missing. */
  schema?: string;
  logger?: EventStoreLogger;
  /** Connections of the pool the store creates (default 10). */
  poolSize?: number;
  /** Give up connecting after this long (default 5000 ms). */
  connectionTimeoutMs?: number;
  /** Give up on any statement after this long, server and client side (default 30000 ms). */
  queryTimeoutMs?: number;
  /** A live subscription looks for new events at least this often, notification or not (default 500 ms). */
  pollIntervalMs?: number;
  /** LISTEN for appends to wake subscriptions at once (default true); polling covers lost notifications. */
  listen?: boolean;
  /** NOTIFY other processes' subscriptions after each append (default true). */
  notify?: boolean;
  /**
   * A pause between NOTIFYs under load (default 2 ms): the next NOTIFY covers every append meanwhile. Fewer
   * NOTIFY statements (one per append cost a command over HTTP a quarter of its throughput), but other processes
   * learn of appends up to that much later; 10 ms took a bare subscriber's delivery p99 from 18 to 144 ms.
   */
  notifyIntervalMs?: number;
}

export interface MigrationReport {
  /** Versions this call applied (empty when the schema was up to date). */
  applied: number[];
  /** Every version recorded in the schema's schema_migrations table. */
  versions: number[];
}

interface EventRow {
  position: string;
  stream_id: string;
  stream_version: number;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: string;
}

interface AppendRow {
  o_outcome: 'appended' | 'duplicate' | 'conflict';
  o_actual_version: number | null;
  /** Per event when 'duplicate'; null when 'appended' (one row for the append). */
  o_id: string;
  o_stream_version: number;
  o_position: string;
  o_recorded_at: string;
  o_type: string | null;
  o_data: unknown;
  o_metadata: EventMetadata | null;
}

type TimedQueryConfig = pg.QueryConfig<unknown[]> & { query_timeout?: number };

const MAX_APPEND_ATTEMPTS = 25;
const DEFAULT_SUBSCRIPTION_BATCH = 500;
const HEALTH_TIMEOUT_MS = 5000;
const POSITION = /^\d{1,19}$/;

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}

function checkPosition(name: string, value: string): string {
  if (!POSITION.test(value)) throw new TypeError(`${name} must be a global position (a decimal string), got ${JSON.stringify(value)}`);
  return value;
}

function checkAppend(streamId: string, events: NewEvent[], expected: ExpectedVersion): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (expected !== 'any' && !(Number.isInteger(expected) && expected >= 0)) {
    throw new TypeError(`expectedVersion must be 'any' or a whole number >= 0, got ${JSON.stringify(expected)}`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`Event ${event.id}: type must be a non-empty string`);
    if (ids.has(event.id)) throw new TypeError(`Event id ${event.id} appears twice in one append to ${streamId}`);
    ids.add(event.id);
  }
}

/**
 * The event store on PostgreSQL (or the embedded PGlite server, through the same pg driver).
 * Schema, gap-safety and the append function: schema.ts.
 *
 * An append is one statement, `SELECT * FROM append_events(...)`, in its own implicit transaction:
 * one round trip. Inside: the expected-version check, the position reservation and one
 * INSERT ... SELECT over the events. The unique constraints turn a race between two appenders, or a
 * retried append, into one more call that then reports the conflict (or, for 'any', appends after
 * the winner), or returns what the first append stored. Subscribers are notified after the commit.
 */
export class PostgresEventStore implements EventStore {
  private adapterName = 'postgres';
  private readonly sql: Statements;
  private readonly target: string;
  private readonly channel: string;
  private closed = false;
  private closing: Promise<void> | null = null;
  private listener: pg.Client | null = null;
  private listenerStarting = false;
  private listenerRetryTimer: NodeJS.Timeout | null = null;
  private listenerRetryMs = 250;
  private notifying: Promise<void> | null = null;
  private notifyAgain = false;
  private wakeSeq = 0;
  private readonly waiters = new Set<() => void>();
  private readonly onPoolError = (error: Error) =>
    this.logger?.warn({ err: error }, 'event store: an idle database connection failed (it is replaced on next use)');

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
    private readonly clientConfig: pg.ClientConfig,
    readonly schema: string,
    private readonly logger: EventStoreLogger | undefined,
    private readonly queryTimeoutMs: number,
    private readonly pollIntervalMs: number,
    private readonly listenEnabled: boolean,
    private readonly notifyEnabled: boolean,
    private readonly notifyIntervalMs: number,
  ) {
    this.sql = statements(schema);
    this.target = describeTarget(clientConfig);
    this.channel = channelName(schema);
    pool.on('error', this.onPoolError);
  }

  /** Connects, migrates the schema (idempotent, safe when several processes start at once) and returns the store. */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    assertSchemaName(schema);
    const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
    let pool = options.pool;
    let clientConfig: pg.ClientConfig;
    if (pool) {
      clientConfig = { ...pool.options };
    } else if (options.connectionString) {
      clientConfig = {
        connectionString: options.connectionString,
        connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
        statement_timeout: queryTimeoutMs,
        keepAlive: true,
        application_name: 'sped-event-store',
      };
      pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    } else {
      throw new TypeError('PostgresEventStore.create needs a connectionString or a pool');
    }
    const store = new PostgresEventStore(
      pool,
      !options.pool,
      clientConfig,
      schema,
      options.logger,
      queryTimeoutMs,
      options.pollIntervalMs ?? 500,
      options.listen ?? true,
      options.notify ?? true,
      options.notifyIntervalMs ?? 2,
    );
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private get notifyInTransaction(): boolean {
    return this.notifyEnabled && this.adapterName === 'pglite';
  }

  get adapter(): string {
    return this.adapterName;
  }

  /**
   * Brings the schema to the latest version. Runs in one transaction under an advisory lock, so two
   * processes starting at once apply each migration exactly once.
   */
  async migrate(): Promise<MigrationReport> {
    const s = quoteIdent(this.schema);
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', lockKeys(this.schema).migrate);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
             version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`)).rows.map((r) => r.version));
        const applied: number[] = [];
        for (const migration of MIGRATIONS) {
          if (done.has(migration.version)) continue;
          await client.query(migration.sql(this.schema));
          await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
          applied.push(migration.version);
          done.add(migration.version);
        }
        const server = (await client.query<{ version: string }>('SELECT version() AS version')).rows[0].version;
        await client.query('COMMIT');
        this.adapterName = /PGlite/i.test(server) ? 'pglite' : 'postgres';
        if (applied.length > 0) this.logger?.info?.({ schema: this.schema, applied }, 'event store: schema migrated');
        return { applied, versions: [...done].sort((a, b) => a - b) };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const expected = options.expectedVersion;
    checkAppend(streamId, events, expected);
    if (events.length === 0) return this.appendNothing(streamId, expected);
    const payload = JSON.stringify(
      events.map((e) => ({ id: e.id, type: e.type, data: e.data ?? null, metadata: e.metadata ?? {} })),
    );
    let findDuplicates = false;
    for (let attempt = 1; ; attempt++) {
      let rows: AppendRow[];
      try {
        rows = await this.query<AppendRow>(this.sql.append, [streamId, expected === 'any' ? null : expected, payload, findDuplicates, this.notifyInTransaction]);
      } catch (error) {
        // A racing appender took the version, or an event id is already stored: ask again, and look
        // for a stored copy of this very append this time.
        if (isUniqueViolation(error) && attempt < MAX_APPEND_ATTEMPTS) {
          findDuplicates = true;
          continue;
        }
        throw error;
      }
      const result = this.appendResult(streamId, expected, payload, rows);
      if (rows[0].o_outcome === 'appended') this.announceAppend();
      return result;
    }
  }

  private appendResult(streamId: string, expected: ExpectedVersion, payload: string, rows: AppendRow[]): AppendResult {
    const first = rows[0];
    if (!first) throw new Error(`Stream ${streamId}: the append returned no outcome`);
    if (first.o_outcome === 'conflict') throw new WrongExpectedVersionError(streamId, expected, first.o_actual_version ?? 0);
    let recorded: RecordedEvent[];
    if (first.o_outcome === 'duplicate') {
      recorded = rows.map((r) => ({
        id: r.o_id,
        type: r.o_type ?? '',
        data: r.o_data,
        metadata: r.o_metadata ?? ({} as EventMetadata),
        streamId,
        streamVersion: r.o_stream_version,
        position: r.o_position,
        recordedAt: r.o_recorded_at,
      }));
    } else {
      // One row for the whole append: versions and positions run on from the first ones. The
      // events are given back as the store will read them: JSON, whatever objects came in.
      const stored = JSON.parse(payload) as Array<Pick<NewEvent, 'id' | 'type' | 'data' | 'metadata'>>;
      const firstPosition = BigInt(first.o_position);
      recorded = stored.map((e, i) => ({
        ...e,
        streamId,
        streamVersion: first.o_stream_version + i,
        position: (firstPosition + BigInt(i)).toString(),
        recordedAt: first.o_recorded_at,
      }));
    }
    const last = recorded[recorded.length - 1];
    return { streamVersion: last.streamVersion, position: last.position, events: recorded, ...(first.o_outcome === 'duplicate' ? { duplicate: true } : {}) };
  }

  private async appendNothing(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const [head] = await this.query<{ stream_version: number; position: string }>(this.sql.streamHead, [streamId]);
    const version = head?.stream_version ?? 0;
    if (expected !== 'any' && expected !== version) throw new WrongExpectedVersionError(streamId, expected, version);
    return { streamVersion: version, position: head?.position ?? '0', events: [] };
  }

  async streamVersion(streamId: string): Promise<number> {
    const [row] = await this.query<{ version: number }>(this.sql.streamVersion, [streamId]);
    return row?.version ?? 0;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const toPosition = options.toPosition === undefined ? null : checkPosition('toPosition', options.toPosition);
    const toRecordedAt = options.toRecordedAt ?? null;
    if (toRecordedAt !== null && Number.isNaN(Date.parse(toRecordedAt))) throw new TypeError(`toRecordedAt must be an ISO-8601 instant, got ${toRecordedAt}`);
    const rows = await this.query<EventRow>(this.sql.readStream, [streamId, options.fromVersion ?? 1, toPosition, toRecordedAt]);
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = checkPosition('after', options.after ?? '0');
    const limit = options.limit ?? null;
    if (limit !== null && !(Number.isInteger(limit) && limit > 0)) throw new TypeError(`limit must be a whole number > 0, got ${limit}`);
    const rows = await this.query<EventRow>(this.sql.readAll, [after, limit]);
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<string> {
    const [row] = await this.query<{ position: string }>(this.sql.headPosition, []);
    return row.position;
  }

  subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    const after = checkPosition('after', options.after ?? '0');
    return this.subscription(after, options.limit ?? DEFAULT_SUBSCRIPTION_BATCH, options.signal);
  }

  private async *subscription(after: string, limit: number, signal?: AbortSignal): AsyncGenerator<RecordedEvent[]> {
    let position = after;
    this.ensureListener();
    while (!this.closed && !signal?.aborted) {
      const seen = this.wakeSeq;
      let batch: RecordedEvent[];
      try {
        batch = await this.readAll({ after: position, limit });
      } catch (error) {
        if (this.closed || signal?.aborted) return;
        throw error;
      }
      if (this.closed || signal?.aborted) return;
      if (batch.length > 0) {
        position = batch[batch.length - 1].position;
        yield batch;
        continue;
      }
      await this.waitForAppend(seen, signal);
    }
  }

  async health(): Promise<EventStoreHealth> {
    try {
      const [row] = await this.query<{ position: string }>(this.sql.headPosition, [], HEALTH_TIMEOUT_MS);
      return { ok: true, adapter: this.adapter, head: row.position };
    } catch (error) {
      return { ok: false, adapter: this.adapter, head: '0', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Ends subscriptions, the listener and (when the store created it) the pool. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.wake();
      if (this.listenerRetryTimer) clearTimeout(this.listenerRetryTimer);
      await this.notifying;
      const listener = this.listener;
      this.listener = null;
      await listener?.end().catch(() => undefined);
      if (this.ownsPool) await this.pool.end().catch(() => undefined);
      // The error listener stays: a client still closing can be terminated by the server (database dropped,
      // restarted) after end() resolved, and an 'error' with no listener would crash the process.
      else this.pool.off('error', this.onPoolError);
    })();
    return this.closing;
  }

  private async connect(): Promise<pg.PoolClient> {
    if (this.closed) throw new EventStoreUnavailableError(`Event store database ${this.target} is unavailable: the store is closed`);
    try {
      return await this.pool.connect();
    } catch (error) {
      throw toStoreError(error, this.target);
    }
  }

  /**
   * Runs `work` on a pooled connection. While checked out a client has no 'error' listener of the
   * pool's, and a connection dropped mid-query emits 'error' besides failing the query: unheard,
   * that would crash the process; the query's rejection reports the failure. A conflict or bad input
   * leaves the connection as good as before; anything else (a timeout, a cancelled statement, a
   * broken connection) may leave it mid-protocol or holding a session lock, so it is dropped.
   */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const ignore = () => undefined;
    client.on('error', ignore);
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw toStoreError(error, this.target);
    } finally {
      client.off('error', ignore);
      client.release(failure !== undefined && !isStatementError(failure));
    }
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[], timeoutMs = this.queryTimeoutMs): Promise<R[]> {
    const config: TimedQueryConfig = { text, values, query_timeout: timeoutMs };
    return this.withClient(async (client) => (await client.query<R, unknown[]>(config)).rows);
  }

  /**
   * Wakes this process's subscriptions at once and, after the commit, NOTIFYs the others. On
   * PostgreSQL, NOTIFY inside the append transaction would hold a database-wide lock through the
   * commit's WAL flush and serialize all appends; here at most one NOTIFY is in flight and the rest
   * coalesce into the next (sent notifyIntervalMs after it). PGlite runs one statement at a time anyway, so there the append NOTIFYs
   * in its own transaction and saves the extra statement.
   */
  private announceAppend(): void {
    this.wake();
    if (!this.notifyEnabled || this.notifyInTransaction || this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = (async () => {
      try {
        do {
          this.notifyAgain = false;
          await this.query(this.sql.notify, [this.channel], HEALTH_TIMEOUT_MS);
          // Appends meanwhile are announced by the next NOTIFY, after a pause that lets more of them join it.
          if (this.notifyAgain && this.notifyIntervalMs > 0 && !this.closed) await new Promise((resolve) => setTimeout(resolve, this.notifyIntervalMs));
        } while (this.notifyAgain && !this.closed);
      } catch (error) {
        if (!this.closed) this.logger?.warn({ err: error }, 'event store: could not notify subscribers of an append; they will find it by polling');
      } finally {
        this.notifying = null;
      }
    })();
  }

  private wake(): void {
    this.wakeSeq++;
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves on the next notification or local append, after the poll interval, or on abort / close. */
  private waitForAppend(seen: number, signal?: AbortSignal): Promise<void> {
    if (this.wakeSeq !== seen || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private ensureListener(): void {
    if (!this.listenEnabled || this.closed || this.listener || this.listenerStarting || this.listenerRetryTimer) return;
    this.listenerStarting = true;
    void this.startListener().finally(() => {
      this.listenerStarting = false;
    });
  }

  private async startListener(): Promise<void> {
    const client = new pg.Client({ ...this.clientConfig, application_name: 'sped-event-store-listener' });
    let down = false;
    const onDown = (error?: unknown) => {
      if (down) return;
      down = true;
      if (this.listener === client) this.listener = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.logger?.warn(
        { err: error, retryInMs: this.listenerRetryMs },
        'event store: lost the notification listener; subscriptions poll until it is back',
      );
      this.listenerRetryTimer = setTimeout(() => {
        this.listenerRetryTimer = null;
        this.ensureListener();
      }, this.listenerRetryMs);
      this.listenerRetryTimer.unref();
      this.listenerRetryMs = Math.min(this.listenerRetryMs * 2, 30_000);
      this.wake();
    };
    client.on('notification', () => this.wake());
    client.on('error', onDown);
    client.on('end', () => onDown(new Error('listener connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      onDown(error);
      return;
    }
    if (this.closed || down) {
      down = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.listenerRetryMs = 250;
    // Appends between the subscription's last read and LISTEN taking effect were not notified.
    this.wake();
  }
}
