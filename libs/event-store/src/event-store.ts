/**
 * The event store port. The store is generic: it knows envelopes and streams, not cases.
 * Every adapter (PostgreSQL, embedded PGlite, KurrentDB) passes `event-store.contract.ts`.
 */

/** Who did it, as the verified token says (never the request body). */
export interface EventActor {
  role: string;
  userId: string;
  providerId?: string | null;
}

export interface EventMetadata {
  actor: EventActor;
  /** When the action happened, as stated by the actor (ISO-8601 instant). */
  occurredAt: string;
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
  /** The rule set in force for the aggregate (regulation version id). */
  regulationId?: string;
  [key: string]: unknown;
}

/** An event about to be appended. `id` is a UUID chosen by the writer: re-appending it is a no-op. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

/** An event as the store holds it. */
export interface RecordedEvent<TType extends string = string, TData = unknown> extends NewEvent<TType, TData> {
  streamId: string;
  /** 1 for the first event of a stream. */
  streamVersion: number;
  /** Global position, a bigint as a decimal string; strictly increasing in global order. */
  position: string;
  /** When the store took it (ISO-8601 instant, UTC). */
  recordedAt: string;
}

/**
 * Expected version of the stream before the append: a number (0 = the stream must not exist yet),
 * or 'any' to skip the check.
 */
export type ExpectedVersion = number | 'any';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  /** Stream version after the append (the version of the last event appended). */
  streamVersion: number;
  /** Global position of the last event appended. */
  position: string;
  events: RecordedEvent[];
  /** True when the store already held these very events (a retried append, recognised by the event ids), so nothing was written. */
  duplicate?: boolean;
}

export interface ReadStreamOptions {
  /** Only events with streamVersion >= fromVersion. */
  fromVersion?: number;
  /** Only events at or before this global position. */
  toPosition?: string;
  /** Only events recorded at or before this instant. */
  toRecordedAt?: string;
}

export interface ReadAllOptions {
  /** Exclusive lower bound: events after this position ('0' or absent = from the start). */
  after?: string;
  limit?: number;
}

export interface SubscribeOptions extends ReadAllOptions {
  /** Stop delivering when aborted; the iterator then ends. */
  signal?: AbortSignal;
}

export interface EventStoreHealth {
  ok: boolean;
  adapter: string;
  head: string;
  detail?: string;
}

export interface EventStore {
  readonly adapter: string;
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Current version of the stream; 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events in global order. Gap-safe: never returns a position past one whose transaction may still commit. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Highest position a gap-safe reader may see now ('0' for an empty store). */
  headPosition(): Promise<string>;
  /**
   * Catch-up then live: yields batches in global order, starting after `after`. Pull-based, so a slow
   * consumer holds the store back (back-pressure) instead of buffering without bound.
   */
  subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent[]>;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId}: expected version ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The store could not be reached or did not answer in time; the operation may be retried. */
export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
