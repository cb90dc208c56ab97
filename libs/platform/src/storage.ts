import type { EventStore } from '@sped/event-store';
import { KurrentDbEventStore, PostgresEventStore, startEmbeddedPostgres } from '@sped/event-store';
import type { AppConfig, StorageMode } from './config.js';
import type { Logger } from './logger.js';

/** The storage a process runs on, chosen by the environment (DESIGN.md "Runtime modes"). */
export interface Storage {
  mode: StorageMode;
  eventStore: EventStore;
  /** Connection string of the read-model PostgreSQL (the embedded PGlite in embedded mode). */
  readModelUrl: string;
  /** How many connections the read-model database can take at once (1 for the embedded server). */
  readModelPoolSize: number;
  describe: string;
  close(): Promise<void>;
}

export async function openStorage(config: AppConfig, logger: Logger): Promise<Storage> {
  if (config.mode === 'embedded') {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    try {
      // One PGlite session serves every connection, so small pools do as well as large ones.
      const eventStore = await PostgresEventStore.create({ connectionString: embedded.connectionString, logger, poolSize: 4, queryTimeoutMs: config.databaseQueryTimeoutMs });
      logger.info({ mode: config.mode, dataDir: config.dataDir }, 'storage: embedded PGlite');
      return {
        mode: config.mode,
        eventStore,
        readModelUrl: embedded.connectionString,
        readModelPoolSize: 4,
        describe: `embedded PGlite in ${config.dataDir}`,
        async close() {
          await eventStore.close();
          await embedded.stop();
        },
      };
    } catch (error) {
      await embedded.stop();
      throw error;
    }
  }
  const databaseUrl = config.databaseUrl;
  if (!databaseUrl) throw new Error(`${config.mode} mode needs DATABASE_URL`);
  if (config.mode === 'server') {
    const eventStore = await PostgresEventStore.create({ connectionString: databaseUrl, logger, queryTimeoutMs: config.databaseQueryTimeoutMs });
    logger.info({ mode: config.mode }, 'storage: PostgreSQL');
    return {
      mode: config.mode,
      eventStore,
      readModelUrl: databaseUrl,
      readModelPoolSize: 10,
      describe: 'PostgreSQL (events and read models)',
      close: () => eventStore.close(),
    };
  }
  if (!config.kurrentDbUrl) throw new Error('scale-out mode needs KURRENTDB_URL');
  const eventStore = new KurrentDbEventStore(config.kurrentDbUrl);
  logger.info({ mode: config.mode }, 'storage: KurrentDB events, PostgreSQL read models');
  return {
    mode: config.mode,
    eventStore,
    readModelUrl: databaseUrl,
    readModelPoolSize: 10,
    describe: 'KurrentDB (events), PostgreSQL (read models)',
    close: () => eventStore.close(),
  };
}
