export * from './event-store.js';
export * from './kurrentdb/kurrentdb-event-store.js';
export { PostgresEventStore } from './postgres/postgres-event-store.js';
export type { EventStoreLogger, MigrationReport, PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { DEFAULT_SCHEMA as DEFAULT_EVENT_STORE_SCHEMA } from './postgres/schema.js';
export { startEmbeddedPostgres, IN_MEMORY } from './embedded/embedded-postgres.js';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded/embedded-postgres.js';
export { acquireDataDirLock, DataDirLockedError, LOCK_FILE_NAME } from './embedded/data-dir-lock.js';
export type { DataDirLock, DataDirLockHolder } from './embedded/data-dir-lock.js';
