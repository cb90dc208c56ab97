import type { DataSource } from 'typeorm';
import type { EventStore, StreamEventCache, StreamStateCache } from '@sped/event-store';
import type { CaseState, ComplaintState } from '@sped/domain';
import type { AppConfig, Logger, PersonalDataVault, ProviderDirectory, Storage } from '@sped/platform';
import type { ProjectionRunner } from '@sped/read-models';
import type { HttpMetrics } from './metrics/metrics.js';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const RUNTIME = Symbol('RUNTIME');

/** Everything a running process holds open; built before Nest starts, closed after it stops. */
export interface Runtime {
  config: AppConfig;
  logger: Logger;
  storage: Storage;
  eventStore: EventStore;
  readModels: DataSource;
  /** Per-person keys for personal data (outside the event log). */
  vault: PersonalDataVault;
  /** The providers and their working schedules. */
  providers: ProviderDirectory;
  /** Present when this process also runs the projector (always in embedded mode). */
  projector?: ProjectionRunner;
  startedAt: Date;
  httpMetrics: HttpMetrics;
  /** Folded states of recently commanded streams (executeCommand's cache; COMMAND_CACHE_STREAMS each). */
  commandCache: { cases: StreamStateCache<CaseState>; complaints: StreamStateCache<ComplaintState> };
  /** Events of recently replayed streams (the history endpoints; HISTORY_CACHE_EVENTS). */
  historyCache: StreamEventCache;
}
