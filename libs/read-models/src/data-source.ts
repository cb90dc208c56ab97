import { DataSource, MigrationExecutor } from 'typeorm';
import { ProjectionCheckpoint } from './checkpoint.entity.js';
import { CaseSummary } from './case-summary/case-summary.entity.js';
import { Initial1763800000000 } from './migrations/1763800000000-initial.js';
import { PersonKeys1763800000001 } from './migrations/1763800000001-person-keys.js';
import { ComplaintRegister1763800000002 } from './migrations/1763800000002-complaint-register.js';
import { ComplaintRow } from './complaint-register/complaint.entity.js';
import { CaseTimeline1763800000003 } from './migrations/1763800000003-case-timeline.js';
import { CaseStep, CaseTimelineState } from './case-timeline/case-step.entity.js';
import { MonitoringFeed1763800000010 } from './migrations/1763800000010-monitoring-feed.js';
import { MonitoringCaseMemory, MonitoringDelivery, MonitoringStageRecord } from './monitoring-feed/monitoring-feed.entity.js';

export const READ_MODEL_ENTITIES = [ProjectionCheckpoint, CaseSummary, ComplaintRow, CaseTimelineState, CaseStep, MonitoringStageRecord, MonitoringCaseMemory, MonitoringDelivery];
export const READ_MODEL_MIGRATIONS = [Initial1763800000000, PersonKeys1763800000001, ComplaintRegister1763800000002, CaseTimeline1763800000003, MonitoringFeed1763800000010];

/** Serialises concurrent migration runs (api and projector starting together). */
const MIGRATION_LOCK = 7_340_201;

export interface ReadModelDataSourceOptions {
  url: string;
  poolSize?: number;
  /** Schema to keep the read models in (default: the connection's search_path, normally public). */
  schema?: string;
  /** Give up on a statement after this long, server side and (for a server that stopped answering) client side (default 30000 ms). */
  queryTimeoutMs?: number;
}

export function createReadModelDataSource(options: ReadModelDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      // Without these a query on a stalled server (or a dead peer that sent no reset) waits forever, and so
      // do the request and the projector behind it. The client-side limit comes a little after the server's
      // own, which cancels a merely slow statement and keeps the connection.
      statement_timeout: options.queryTimeoutMs ?? 30_000,
      query_timeout: (options.queryTimeoutMs ?? 30_000) + 1000,
      keepAlive: true,
      // bigint positions stay strings (TypeORM's default for bigint columns).
    },
  });
}

/** Connects and brings the read-model schema up to date. */
export async function openReadModels(options: ReadModelDataSourceOptions): Promise<DataSource> {
  const ds = createReadModelDataSource(options);
  await ds.initialize();
  try {
    await runMigrations(ds);
  } catch (error) {
    await ds.destroy();
    throw error;
  }
  return ds;
}

/**
 * Runs pending migrations on one connection that holds an advisory lock, so two processes starting
 * together do not race, and a pool of one (the embedded server) cannot deadlock against itself.
 */
export async function runMigrations(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const executor = new MigrationExecutor(ds, runner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
