/**
 * The PostgreSQL event store's tables and statements, all inside one schema of their own.
 *
 * Gap-safe global order. Positions come from a sequence at insert time but transactions commit in
 * any order, so a reader that simply follows positions could pass position 5 while its transaction
 * is still open and never see it. Readers therefore only see rows whose transaction is older than
 * every transaction still running: `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`.
 * That alone is not enough: transaction A may take its xid before B but its positions after B's,
 * and B would then be visible while A (with a lower position) is still open. So an append takes its
 * xid and reserves its block of positions inside one short critical section (a session advisory
 * lock held for microseconds, released before the insert and long before the commit): xid order
 * and position order then agree, and the xmin horizon is also a position horizon.
 *
 * The xmin horizon is the whole cluster's, though: any write transaction in any database of the server (the
 * projector's own read-model batches, another application) held new events back until it ended, which put
 * hundreds of milliseconds into projection lag under load. Since migration 3 the horizon is the oldest
 * in-progress *append*: every append holds a transaction-level shared advisory lock, and
 * `visible_horizon()` leaves out of the snapshot's in-progress list the transactions that pg_locks shows
 * holding an xid without that lock (see the function for why a transaction that ends meanwhile is safe).
 * Migration 4 makes that one scan of the lock table: two scans (as migration 3 had) could see an append's xid
 * in the first and, the append having committed in between, not its lock in the second, and skip its events.
 */

export const DEFAULT_SCHEMA = 'event_store';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid event store schema name "${schema}": use lower-case letters, digits and _ (at most 48 characters)`);
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The NOTIFY channel of a schema's appends (one per schema, so stores in one database stay apart). */
export function channelName(schema: string): string {
  return `${schema}_appended`;
}

/** 32-bit FNV-1a as a signed int4, for advisory lock keys. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** Advisory lock keys `(namespace, schema hash)`: the namespaces keep ours apart from other users'. */
export function lockKeys(schema: string): { migrate: [number, number]; sequence: [number, number]; appending: [number, number] } {
  const key = fnv1a(schema);
  return { migrate: [0x5350454d, key], sequence: [0x53504551, key], appending: [0x53504158, key] };
}

/** pg_locks shows a two-int4 advisory key as classid/objid oids: the int4s as unsigned 32-bit numbers. */
const asOid = (n: number) => n >>> 0;

const RECORDED_AT = `to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface Migration {
  version: number;
  name: string;
  sql(schema: string): string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'events table',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE ${s}.events (
          position       bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
          transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
          stream_id      text        NOT NULL,
          stream_version integer     NOT NULL CHECK (stream_version > 0),
          id             uuid        NOT NULL,
          type           text        NOT NULL,
          data           jsonb       NOT NULL,
          metadata       jsonb       NOT NULL,
          recorded_at    timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
          CONSTRAINT events_id_key UNIQUE (id)
        );
        COMMENT ON TABLE ${s}.events IS 'Append-only event log. Never update or delete rows; append only through append_events().';
      `;
    },
  },
  {
    version: 2,
    name: 'append_events function',
    sql: (schema) => {
      const s = quoteIdent(schema);
      const [ns, key] = lockKeys(schema).sequence;
      const sequence = `${schema}.events_position_seq`;
      return `
        CREATE FUNCTION ${s}.append_events(
          p_stream_id text,
          p_expected_version integer,
          p_events jsonb,
          p_find_duplicates boolean,
          p_notify boolean
        ) RETURNS TABLE (
          o_outcome text, o_actual_version integer, o_id uuid, o_stream_version integer,
          o_position text, o_recorded_at text, o_type text, o_data jsonb, o_metadata jsonb
        )
        LANGUAGE plpgsql AS $fn$
        #variable_conflict use_column
        DECLARE
          v_ids uuid[];
          v_count integer := jsonb_array_length(p_events);
          v_stored integer;
          v_stored_here integer;
          v_current integer;
          v_first bigint;
          v_xid xid8;
        BEGIN
          SELECT coalesce(max(e.stream_version), 0) INTO v_current FROM ${s}.events e WHERE e.stream_id = p_stream_id;

          -- A retried append (same event ids) returns what the first one stored, whatever the version
          -- now. Looked for only when the append cannot go ahead (a version mismatch, or the caller
          -- saw an id clash), so the common path pays nothing for it.
          IF p_find_duplicates OR (p_expected_version IS NOT NULL AND p_expected_version <> v_current) THEN
            SELECT array_agg((x.value ->> 'id')::uuid) INTO v_ids FROM jsonb_array_elements(p_events) AS x;
            SELECT count(*), count(*) FILTER (WHERE e.stream_id = p_stream_id)
              INTO v_stored, v_stored_here FROM ${s}.events e WHERE e.id = ANY (v_ids);
            IF v_stored > 0 THEN
              IF v_stored <> v_count OR v_stored_here <> v_count THEN
                RAISE EXCEPTION 'Stream %: % of the % events are already stored (% of them in this stream); an append is stored whole or not at all, so this is not a retry of one append',
                  p_stream_id, v_stored, v_count, v_stored_here USING ERRCODE = 'P0001';
              END IF;
              RETURN QUERY
                SELECT 'duplicate', NULL::integer, e.id, e.stream_version, e.position::text, ${RECORDED_AT}, e.type, e.data, e.metadata
                FROM ${s}.events e WHERE e.id = ANY (v_ids) ORDER BY e.stream_version;
              RETURN;
            END IF;
          END IF;

          IF p_expected_version IS NOT NULL AND p_expected_version <> v_current THEN
            RETURN QUERY SELECT 'conflict', v_current, NULL::uuid, NULL::integer, NULL::text, NULL::text, NULL::text, NULL::jsonb, NULL::jsonb;
            RETURN;
          END IF;

          -- The critical section of the file comment: xid, then positions, nothing that can fail between.
          PERFORM pg_advisory_lock(${ns}, ${key});
          v_xid := pg_current_xact_id();
          v_first := nextval('${sequence}');
          IF v_count > 1 THEN
            PERFORM setval('${sequence}', v_first + v_count - 1);
          END IF;
          PERFORM pg_advisory_unlock(${ns}, ${key});

          -- A concurrent append to the same stream, or a stored event id, makes this fail on a unique
          -- constraint: the caller retries (with p_find_duplicates) and then sees why.
          INSERT INTO ${s}.events (position, transaction_id, stream_id, stream_version, id, type, data, metadata, recorded_at)
          OVERRIDING SYSTEM VALUE
          SELECT v_first + x.ordinality - 1, v_xid, p_stream_id, v_current + x.ordinality::integer,
                 (x.value ->> 'id')::uuid, x.value ->> 'type', x.value -> 'data', x.value -> 'metadata', now()
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x;

          -- Versions and positions are consecutive and the recording time is the transaction's, so one
          -- row describes the whole append: the first version and position, and the time.
          RETURN QUERY SELECT 'appended', NULL::integer, NULL::uuid, v_current + 1, v_first::text,
            to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), NULL::text, NULL::jsonb, NULL::jsonb;

          -- The store itself notifies after the commit (see PostgresEventStore); NOTIFY inside the
          -- transaction takes a database-wide lock through the commit's WAL flush.
          IF p_notify THEN
            PERFORM pg_notify('${channelName(schema)}', (v_first + v_count - 1)::text);
          END IF;
        END
        $fn$;
      `;
    },
  },
];

MIGRATIONS.push({
  version: 3,
  name: 'visibility horizon of appends only',
  sql: (schema) => {
    const s = quoteIdent(schema);
    const [ns, key] = lockKeys(schema).appending;
    // append_events of version 2 with one statement more, first: the appenders' shared lock.
    const append = MIGRATIONS[1]
      .sql(schema)
      .replace(`CREATE FUNCTION ${s}.append_events(`, `CREATE OR REPLACE FUNCTION ${s}.append_events(`)
      .replace(
        'BEGIN\n          SELECT coalesce(max(e.stream_version), 0)',
        `BEGIN
          -- Marks this transaction as an appender until it ends (see visible_horizon), before it has an xid.
          PERFORM pg_advisory_xact_lock_shared(${ns}, ${key});
          SELECT coalesce(max(e.stream_version), 0)`,
      );
    if (!append.includes('pg_advisory_xact_lock_shared')) throw new Error('migration 3: the append function did not take the appenders\' lock');
    return `
      ${append}
      -- The oldest in-progress append's xid (or the snapshot's xmax when none is in progress): rows of
      -- transactions below it are all committed or aborted, and no append still in progress can reserve a
      -- position below theirs. Transactions that pg_locks shows holding an xid without the appenders' lock are
      -- left out. One that ends between the snapshot and the pg_locks scan is not in pg_locks and so is kept:
      -- at worst the horizon waits one more read. A transaction that gets its xid after the snapshot gets
      -- one at or above xmax, so it cannot hide below the horizon.
      CREATE FUNCTION ${s}.visible_horizon() RETURNS xid8 LANGUAGE plpgsql STABLE AS $fn$
      DECLARE
        v_snapshot pg_snapshot := pg_current_snapshot();
        v_horizon xid8 := pg_snapshot_xmax(v_snapshot);
        v_others bigint[];
      BEGIN
        IF pg_snapshot_xmin(v_snapshot) = v_horizon THEN
          RETURN v_horizon;
        END IF;
        SELECT array_agg(t.transactionid::text::bigint) INTO v_others
          FROM pg_locks t
         WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
           AND NOT EXISTS (
             SELECT 1 FROM pg_locks a
              WHERE a.locktype = 'advisory' AND a.virtualtransaction = t.virtualtransaction
                AND a.classid = ${asOid(ns)}::oid AND a.objid = ${asOid(key)}::oid AND a.objsubid = 2);
        SELECT coalesce(min(x), v_horizon) INTO v_horizon
          FROM pg_snapshot_xip(v_snapshot) AS x
         WHERE v_others IS NULL OR NOT ((x::text::bigint % 4294967296) = ANY (v_others));
        RETURN v_horizon;
      END
      $fn$;
    `;
  },
});

MIGRATIONS.push({
  version: 4,
  name: 'visibility horizon from one scan of the lock table',
  sql: (schema) => {
    const s = quoteIdent(schema);
    const [ns, key] = lockKeys(schema).appending;
    // Migration 3 read pg_locks twice (the xid holders, then for each the appenders' lock): an append that
    // committed between the two scans showed its xid in the first and no lock in the second, counted as "not an
    // appender", and the horizon passed its events while the reader's snapshot could not see them yet: they were
    // skipped for good. Measured: about one append in a thousand under 16 writers. Each mention of pg_locks is a
    // scan of its own; one scan, grouped by backend, sees each transaction's locks at one instant. A transaction
    // releases its xid lock before its advisory locks, so no scan shows the xid without the appenders' lock.
    return `
      CREATE OR REPLACE FUNCTION ${s}.visible_horizon() RETURNS xid8 LANGUAGE plpgsql STABLE AS $fn$
      DECLARE
        v_snapshot pg_snapshot := pg_current_snapshot();
        v_horizon xid8 := pg_snapshot_xmax(v_snapshot);
        v_others bigint[];
      BEGIN
        IF pg_snapshot_xmin(v_snapshot) = v_horizon THEN
          RETURN v_horizon;
        END IF;
        -- The xids of backends that hold an xid but not the appenders' lock, from ONE scan of the lock table.
        SELECT array_agg(x) INTO v_others
          FROM (
            SELECT array_agg(l.transactionid::text::bigint) FILTER (WHERE l.locktype = 'transactionid') AS xids,
                   bool_or(l.locktype = 'advisory') AS appender
              FROM pg_locks l
             WHERE l.pid IS NOT NULL AND l.granted
               AND ((l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock')
                 OR (l.locktype = 'advisory' AND l.classid = ${asOid(ns)}::oid AND l.objid = ${asOid(key)}::oid AND l.objsubid = 2))
             GROUP BY l.pid
          ) AS backend, unnest(backend.xids) AS x
         WHERE NOT backend.appender;
        SELECT coalesce(min(x), v_horizon) INTO v_horizon
          FROM pg_snapshot_xip(v_snapshot) AS x
         WHERE v_others IS NULL OR NOT ((x::text::bigint % 4294967296) = ANY (v_others));
        RETURN v_horizon;
      END
      $fn$;
    `;
  },
});

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

const EVENT_COLUMNS = `e.position::text AS position, e.stream_id, e.stream_version, e.id::text AS id, e.type, e.data, e.metadata, ${RECORDED_AT} AS recorded_at`;
/** The statements of one schema, built once. */
export function statements(schema: string) {
  const s = quoteIdent(schema);
  // A scalar subquery: the horizon is worked out once per statement, not once per row.
  const GAP_SAFE = `e.transaction_id < (SELECT ${s}.visible_horizon())`;
  return {
    append: `SELECT * FROM ${s}.append_events($1::text, $2::integer, $3::jsonb, $4::boolean, $5::boolean)`,
    // A wake-up signal only: not worth waiting for the WAL flush of its commit.
    notify: `SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')`,
    streamVersion: `SELECT coalesce(max(e.stream_version), 0)::integer AS version FROM ${s}.events e WHERE e.stream_id = $1`,
    streamHead: `SELECT e.stream_version, e.position::text AS position FROM ${s}.events e WHERE e.stream_id = $1 ORDER BY e.stream_version DESC LIMIT 1`,
    readStream: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.events e
      WHERE e.stream_id = $1 AND e.stream_version >= $2
        AND ($3::bigint IS NULL OR e.position <= $3::bigint)
        AND ($4::timestamptz IS NULL OR e.recorded_at <= $4::timestamptz)
      ORDER BY e.stream_version`,
    readAll: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.events e
      WHERE e.position > $1::bigint AND ${GAP_SAFE}
      ORDER BY e.position
      LIMIT $2`,
    headPosition: `
      SELECT coalesce((SELECT e.position FROM ${s}.events e WHERE ${GAP_SAFE} ORDER BY e.position DESC LIMIT 1), 0)::text AS position`,
  };
}

export type Statements = ReturnType<typeof statements>;
