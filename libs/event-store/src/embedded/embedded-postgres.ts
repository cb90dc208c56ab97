import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { PgliteServer } from './pglite-server.js';

export const IN_MEMORY = 'memory://';

export interface EmbeddedPostgresOptions {
  /** Directory of the database (created when missing), or 'memory://' for a throw-away one. */
  dataDir: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** Connections accepted at once, summed over every pool that connects (default 32). */
  maxConnections?: number;
  /** A connection holding a transaction open and silent for this long is dropped (default 60 s). */
  ownerIdleTimeoutMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

export interface EmbeddedPostgres {
  /** postgres:// URL for the pg driver (or TypeORM); the same code path as a real PostgreSQL. */
  connectionString: string;
  host: string;
  port: number;
  /** Absolute data directory, or 'memory://'. */
  dataDir: string;
  /**
   * Connections the server accepts at once. Work is serialized on one PGlite session, so a pool of
   * a few connections serves as well as a large one; keep the sum of all pools below this.
   */
  maxConnections: number;
  /** Closes every connection, the database and the directory lock. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Opens PGlite at `dataDir` and serves it over the PostgreSQL protocol on `host:port`, so the
 * application talks to it with the pg driver exactly as to a PostgreSQL server. The data directory
 * is locked against a second process (see data-dir-lock.ts). See pglite-server.ts for what a shared
 * single session means for clients.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const inMemory = options.dataDir === IN_MEMORY;
  const dataDir = inMemory ? IN_MEMORY : path.resolve(options.dataDir);
  const lock: DataDirLock | null = inMemory ? null : acquireDataDirLock(dataDir, options.logger);
  let db: PGlite | null = null;
  let server: PgliteServer | null = null;
  try {
    db = inMemory ? await PGlite.create() : await PGlite.create(dataDir);
    server = new PgliteServer({
      db,
      host,
      port: options.port ?? 0,
      maxConnections: options.maxConnections,
      ownerIdleTimeoutMs: options.ownerIdleTimeoutMs,
      logger: options.logger,
    });
    const { port } = await server.start();
    let stopped: Promise<void> | null = null;
    const running = { db, server };
    return {
      connectionString: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres?sslmode=disable`,
      host,
      port,
      dataDir,
      maxConnections: server.maxConnections,
      stop() {
        stopped ??= (async () => {
          try {
            await running.server.stop();
            await running.db.close();
          } finally {
            lock?.release();
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}
