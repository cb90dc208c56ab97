/**
 * Test helpers (`@sped/event-store/testing`): never built into dist, never imported by production code.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { NewEvent } from '../event-store.js';
import { IN_MEMORY, startEmbeddedPostgres } from '../embedded/embedded-postgres.js';
import { DEFAULT_SCHEMA, statements } from '../postgres/schema.js';
import type { HeldTransaction } from '../event-store.contract.js';

export { eventStoreContract } from '../event-store.contract.js';
export type { EventStoreContractOptions, EventStoreFixture, HeldTransaction } from '../event-store.contract.js';

export type TestDatabaseKind = 'postgres' | 'pglite';

export interface TestDatabase {
  kind: TestDatabaseKind;
  connectionString: string;
  /** Drops the database (PostgreSQL, even with connections left) or stops the embedded server. */
  drop(): Promise<void>;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
}

/** Which database createTestDatabase uses: TEST_DB_KIND, or the same detection as tools/jest/test-db.global-setup.js. */
export async function testDatabaseKind(): Promise<TestDatabaseKind> {
  const preset = process.env.TEST_DB_KIND;
  if (preset === 'postgres' || preset === 'pglite') return preset;
  let kind: TestDatabaseKind = 'pglite';
  if (process.env.TEST_DB !== 'pglite') {
    const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      kind = 'postgres';
    } catch {
      kind = 'pglite';
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  process.env.TEST_DB_KIND = kind;
  if (kind === 'postgres') process.env.TEST_DATABASE_URL = adminUrl();
  return kind;
}

function databaseName(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'db';
  return `t_${clean}_${randomBytes(5).toString('hex')}`;
}

/**
 * A fresh, isolated database for one test file: a new database on the test PostgreSQL
 * (TEST_DB_KIND=postgres), or an in-memory embedded PGlite server (TEST_DB_KIND=pglite).
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const kind = await testDatabaseKind();
  if (kind === 'pglite') return createEmbeddedTestDatabase();
  const admin = adminUrl();
  const name = databaseName(label);
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | null = null;
  return {
    kind,
    connectionString: url.toString(),
    drop: () => (dropped ??= run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** An in-memory embedded PGlite server, whatever TEST_DB_KIND says. */
export async function createEmbeddedTestDatabase(): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres({ dataDir: IN_MEMORY, port: 0 });
  return { kind: 'pglite', connectionString: embedded.connectionString, drop: () => embedded.stop() };
}

/**
 * For the contract's held-transaction scenario on the PostgreSQL store: appends `event` through the
 * store's own append function on a connection of its own, inside a transaction left open until
 * `commit()`.
 */
export async function holdPostgresAppend(
  connectionString: string,
  streamId: string,
  event: NewEvent,
  schema = DEFAULT_SCHEMA,
): Promise<HeldTransaction> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    const payload = JSON.stringify([{ id: event.id, type: event.type, data: event.data ?? null, metadata: event.metadata }]);
    const { rows } = await client.query<{ o_outcome: string; o_position: string }>(statements(schema).append, [streamId, null, payload, false, true]);
    if (rows[0]?.o_outcome !== 'appended') throw new Error(`held append to ${streamId} did not append (${rows[0]?.o_outcome})`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async commit() {
      try {
        await client.query('COMMIT');
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
