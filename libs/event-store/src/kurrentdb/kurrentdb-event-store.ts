/**
 * EventStore adapter for KurrentDB (formerly EventStoreDB), for the scale-out mode (KURRENTDB_URL set).
 *
 * Mapping to the port:
 * - stream version n (1-based) is KurrentDB revision n-1 (0-based); expected version 0 is NO_STREAM;
 * - RecordedEvent.position is the event's commit position in the transaction log. KurrentDB gives every
 *   event of a (non-transactional) append its own log record, so commit === prepare per event and the
 *   commit position alone is unique and strictly increasing in $all order;
 * - recordedAt is the server's `created` timestamp (millisecond precision through the client).
 */
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendStreamState,
  type CurrentStreamState,
  type JSONType,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
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

export interface KurrentDbEventStoreOptions {
  /** Upper bound for every call to the server; the client itself can wait forever on a mute server. */
  callTimeoutMs?: number;
  /** Streams of this system; readAll, headPosition and subscribe see only these. */
  streamPrefixes?: string[];
  /**
   * Prepended to every stream name on the server and stripped on the way back, so that several
   * deployments (or test runs) can share one KurrentDB without seeing each other's events.
   */
  namespace?: string;
  /** Largest batch a subscription yields (default 256). */
  subscriptionBatchSize?: number;
}

const DEFAULT_PREFIXES = ['case-', 'complaint-'];
const DEFAULT_BATCH = 256;

/** Our expected version -> KurrentDB's expected stream state. */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`Expected version must be 'any' or an integer >= 0, got ${String(expected)}`);
  }
  return expected === 0 ? NO_STREAM : BigInt(expected - 1);
}

/** KurrentDB's current stream state (as reported by a conflict) -> our stream version. */
export function toStreamVersion(state: CurrentStreamState | AppendStreamState | undefined): number {
  if (typeof state === 'bigint') return state < 0n ? 0 : Number(state) + 1;
  return 0;
}

/** Our stream version (>= 1) -> KurrentDB revision. */
export function toRevision(streamVersion: number): bigint {
  if (!Number.isSafeInteger(streamVersion) || streamVersion < 1) {
    throw new RangeError(`Stream version must be an integer >= 1, got ${String(streamVersion)}`);
  }
  return BigInt(streamVersion - 1);
}

/** host:port list of a connection string, without credentials, for messages. */
export function describeHost(connectionString: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?]*@)?([^/?#]+)/i.exec(connectionString.trim());
  return match ? match[1] : 'an unparsable KurrentDB address';
}

/**
 * Rejects with EventStoreUnavailableError when `promise` has not settled within `ms`. The late outcome of
 * `promise` is swallowed: the caller has already been told the store is unavailable.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, host: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new EventStoreUnavailableError(`KurrentDB did not answer ${what} within ${ms} ms at ${host}`)),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'cancelled', 'not-leader']);
// gRPC status codes CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE.
const UNAVAILABLE_GRPC_CODES = new Set([1, 4, 14]);
const NETWORK_ERROR = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|No connection established/;

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { type?: unknown; code?: unknown };
  if (typeof e.type === 'string' && UNAVAILABLE_TYPES.has(e.type)) return true;
  if (typeof e.code === 'number' && UNAVAILABLE_GRPC_CODES.has(e.code)) return true;
  if (typeof e.code === 'string' && NETWORK_ERROR.test(e.code)) return true;
  return ['UnavailableError', 'DeadlineExceededError', 'NotLeaderError'].includes(e.name) || NETWORK_ERROR.test(e.message);
}

/** The client's own message, when it says more than the error's class name. */
function describeCause(error: Error): string {
  const message = error.message?.trim();
  return message && message !== error.name ? `: ${message}` : '';
}

function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === 'stream-not-found' || (error instanceof Error && error.name === 'StreamNotFoundError');
}

/** The client's event record, as far as this adapter relies on it. */
interface StoredRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint };
}

function positionOf(record: StoredRecord): bigint {
  if (!record.position) {
    throw new Error(
      `KurrentDB returned event ${record.id} of ${record.streamId} without its log position; the server must be 22.6 or later`,
    );
  }
  return record.position.commit;
}

function logPosition(position: bigint): { commit: bigint; prepare: bigint } {
  return { commit: position, prepare: position };
}

function parsePosition(position: string | undefined): bigint | undefined {
  if (position === undefined || position === '') return undefined;
  if (!/^\d+$/.test(position)) throw new RangeError(`Position must be a non-negative decimal integer, got '${position}'`);
  const value = BigInt(position);
  return value === 0n ? undefined : value;
}

export interface SubscriptionPumpOptions {
  map: (resolved: AllStreamResolvedEvent) => RecordedEvent | undefined;
  /** Largest batch yielded. */
  batchSize: number;
  /** Events buffered before the source is paused; it is resumed once the buffer drains below half. */
  highWaterMark: number;
  /** Stops delivery (the caller's signal, the store's close). */
  signals: AbortSignal[];
  /** How long to wait for the server to confirm the subscription. */
  confirmWithinMs: number;
  host: string;
  release: () => Promise<void>;
}

/**
 * Turns a client $all subscription (a push stream) into pull-based batches. When the consumer lags, the
 * buffer reaches `highWaterMark` and the client stream is paused, which stops reading from the gRPC call
 * and lets HTTP/2 flow control hold the server back; it is resumed once the consumer has drained it.
 */
export async function* pumpSubscription(
  source: AllStreamSubscription,
  options: SubscriptionPumpOptions,
): AsyncGenerator<RecordedEvent[], void, undefined> {
  const buffer: RecordedEvent[] = [];
  const lowWaterMark = Math.floor(options.highWaterMark / 2);
  let confirmed = false;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const sleep = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const stopped = (): boolean => options.signals.some((signal) => signal.aborted);

  const onData = (resolved: AllStreamResolvedEvent): void => {
    const event = options.map(resolved);
    if (event) buffer.push(event);
    if (buffer.length >= options.highWaterMark && !source.isPaused()) source.pause();
    notify();
  };
  const onConfirmation = (): void => {
    confirmed = true;
    notify();
  };
  const onError = (error: Error): void => {
    failure = error;
    notify();
  };
  const onEnd = (): void => {
    ended = true;
    notify();
  };
  source.on('data', onData);
  source.on('confirmation', onConfirmation);
  source.on('error', onError);
  source.on('end', onEnd);
  source.on('close', onEnd);
  for (const signal of options.signals) signal.addEventListener('abort', notify);

  try {
    if (!stopped()) {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        notify();
      }, options.confirmWithinMs);
      try {
        while (!confirmed && buffer.length === 0 && failure === undefined && !ended && !stopped() && !timedOut) {
          await sleep();
        }
      } finally {
        clearTimeout(timer);
      }
      if (timedOut && !confirmed && buffer.length === 0) {
        throw new EventStoreUnavailableError(
          `KurrentDB did not answer subscribe within ${options.confirmWithinMs} ms at ${options.host}`,
        );
      }
    }
    for (;;) {
      if (stopped()) return;
      if (buffer.length > 0) {
        const batch = buffer.splice(0, options.batchSize);
        if (source.isPaused() && buffer.length <= lowWaterMark) source.resume();
        yield batch;
        continue;
      }
      if (failure !== undefined) {
        throw isUnavailable(failure)
          ? new EventStoreUnavailableError(`KurrentDB subscription failed at ${options.host}${describeCause(failure as Error)}`, {
              cause: failure,
            })
          : failure;
      }
      if (ended) throw new EventStoreUnavailableError(`KurrentDB ended the subscription at ${options.host}`);
      await sleep();
    }
  } finally {
    source.removeListener('data', onData);
    source.removeListener('confirmation', onConfirmation);
    source.removeListener('error', onError);
    source.removeListener('end', onEnd);
    source.removeListener('close', onEnd);
    // A late error from a cancelled call must not become an uncaught exception.
    source.on('error', () => undefined);
    for (const signal of options.signals) signal.removeEventListener('abort', notify);
    await options.release();
  }
}

export class KurrentDbEventStore implements EventStore {
  readonly adapter = 'kurrentdb';
  readonly host: string;
  private readonly client: KurrentDBClient;
  private readonly callTimeoutMs: number;
  private readonly namespace: string;
  private readonly prefixes: string[];
  private readonly batchSize: number;
  private readonly closing = new AbortController();
  private readonly subscriptions = new Set<AllStreamSubscription>();

  constructor(connectionString: string, options: KurrentDbEventStoreOptions = {}) {
    const { callTimeoutMs = 5000, streamPrefixes = DEFAULT_PREFIXES, namespace = '', subscriptionBatchSize = DEFAULT_BATCH } = options;
    if (streamPrefixes.length === 0) throw new RangeError('KurrentDbEventStore needs at least one stream prefix');
    this.host = describeHost(connectionString);
    this.callTimeoutMs = callTimeoutMs;
    this.namespace = namespace;
    this.prefixes = streamPrefixes.map((prefix) => namespace + prefix);
    this.batchSize = subscriptionBatchSize;
    this.client = KurrentDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const { expectedVersion } = options;
    const streamState = toStreamState(expectedVersion);
    this.assertOwnStream(streamId);
    const stream = this.toServerStream(streamId);
    const existing = await this.readRecords(stream, `append to ${streamId}`);
    const current = existing.length === 0 ? 0 : Number(existing[existing.length - 1].revision) + 1;

    // KurrentDB's own de-duplication covers a retry with the same expected version, and only best-effort
    // for ANY; looking the ids up in the stream makes every re-append a no-op returning the original.
    const original = this.findOriginal(streamId, existing, events, expectedVersion);
    if (original) return original;
    if (events.length === 0) {
      if (expectedVersion !== 'any' && expectedVersion !== current) {
        throw new WrongExpectedVersionError(streamId, expectedVersion, current);
      }
      const last = existing[existing.length - 1];
      return { streamVersion: current, position: last ? positionOf(last).toString() : '0', events: [] };
    }

    let nextRevision: bigint;
    try {
      const result = await this.call(`append to ${streamId}`, () =>
        this.client.appendToStream(
          stream,
          events.map((event) =>
            jsonEvent({
              id: event.id,
              type: event.type,
              data: event.data as JSONType,
              metadata: event.metadata as unknown as JSONType,
            }),
          ),
          { streamState },
        ),
      );
      nextRevision = result.nextExpectedRevision;
    } catch (error) {
      if (errorType(error) !== 'wrong-expected-version') throw error;
      // A concurrent retry of this very append may have won the race.
      const now = await this.readRecords(stream, `append to ${streamId}`);
      const raced = this.findOriginal(streamId, now, events, expectedVersion);
      if (raced) return raced;
      const actual = toStreamVersion((error as { actualState?: CurrentStreamState }).actualState);
      throw new WrongExpectedVersionError(streamId, expectedVersion, actual);
    }

    // The server's created timestamps and log positions are only known by reading the events back.
    const first = nextRevision - BigInt(events.length - 1);
    let written = await this.readRecords(stream, `append to ${streamId}`, first < 0n ? START : first, events.length);
    if (!sameIds(written, events)) {
      written = await this.readRecords(stream, `append to ${streamId}`);
      const found = this.findOriginal(streamId, written, events, expectedVersion);
      if (found) return found;
      throw new Error(`KurrentDB acknowledged the append to ${streamId} but the events are not in the stream`);
    }
    return this.result(streamId, written);
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.readRecords(this.toServerStream(streamId), `streamVersion of ${streamId}`, END, 1, BACKWARDS);
    return last ? Number(last.revision) + 1 : 0;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromVersion !== undefined && options.fromVersion > 1 ? toRevision(options.fromVersion) : START;
    const toPosition = options.toPosition !== undefined ? parsePosition(options.toPosition) ?? 0n : undefined;
    const toRecordedAt = options.toRecordedAt !== undefined ? Date.parse(options.toRecordedAt) : undefined;
    if (toRecordedAt !== undefined && Number.isNaN(toRecordedAt)) {
      throw new RangeError(`toRecordedAt must be an ISO-8601 instant, got '${options.toRecordedAt}'`);
    }
    const records = await this.readRecords(this.toServerStream(streamId), `readStream ${streamId}`, from);
    return records
      .filter((record) => toPosition === undefined || positionOf(record) <= toPosition)
      .filter((record) => toRecordedAt === undefined || record.created.getTime() <= toRecordedAt)
      .map((record) => this.toRecordedEvent(streamId, record));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = parsePosition(options.after);
    const limit = options.limit;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
      throw new RangeError(`limit must be an integer >= 0, got ${String(limit)}`);
    }
    if (limit === 0) return [];
    const fromPosition: ReadPosition = after === undefined ? START : logPosition(after);
    return this.call('readAll', async (signal) => {
      const out: RecordedEvent[] = [];
      // Reading $all from a position includes the event at that position, hence one more than asked.
      const iterator = this.client.readAll({
        fromPosition,
        direction: FORWARDS,
        filter: streamNameFilter({ prefixes: this.prefixes }),
        ...(limit !== undefined ? { maxCount: limit + 1 } : {}),
      });
      for await (const resolved of iterator) {
        if (signal.aborted) break;
        const event = this.fromAll(resolved, after);
        if (event) out.push(event);
        if (limit !== undefined && out.length >= limit) break;
      }
      return out;
    });
  }

  async headPosition(): Promise<string> {
    return this.call('headPosition', async (signal) => {
      const iterator = this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        filter: streamNameFilter({ prefixes: this.prefixes }),
        maxCount: 16,
      });
      for await (const resolved of iterator) {
        if (signal.aborted) break;
        const event = this.fromAll(resolved, undefined);
        if (event) return event.position;
      }
      return '0';
    });
  }

  subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    return {
      [Symbol.asyncIterator]: () => this.openSubscription(options),
    };
  }

  async health(): Promise<EventStoreHealth> {
    try {
      const head = await this.headPosition();
      return { ok: true, adapter: this.adapter, head };
    } catch (error) {
      return { ok: false, adapter: this.adapter, head: '0', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    const pending = [...this.subscriptions].map((subscription) => this.release(subscription));
    await Promise.allSettled(pending);
    await withTimeout(this.client.dispose(), this.callTimeoutMs, 'close', this.host).catch(() => undefined);
  }

  private openSubscription(options: SubscribeOptions): AsyncGenerator<RecordedEvent[], void, undefined> {
    this.assertOpen();
    const after = parsePosition(options.after);
    const batchSize = options.limit !== undefined && options.limit > 0 ? options.limit : this.batchSize;
    const source = this.client.subscribeToAll({
      // A subscription from a position starts after it.
      fromPosition: after === undefined ? START : logPosition(after),
      filter: streamNameFilter({ prefixes: this.prefixes }),
    });
    this.subscriptions.add(source);
    return pumpSubscription(source, {
      map: (resolved) => this.fromAll(resolved, after),
      batchSize,
      highWaterMark: Math.max(2 * batchSize, 64),
      signals: options.signal ? [options.signal, this.closing.signal] : [this.closing.signal],
      confirmWithinMs: this.callTimeoutMs,
      host: this.host,
      release: () => this.release(source),
    });
  }

  private async release(source: AllStreamSubscription): Promise<void> {
    if (!this.subscriptions.delete(source)) return;
    await withTimeout(source.unsubscribe(), this.callTimeoutMs, 'unsubscribe', this.host).catch(() => undefined);
    source.destroy();
  }

  private async call<T>(what: string, action: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.assertOpen();
    const controller = new AbortController();
    try {
      return await withTimeout(action(controller.signal), this.callTimeoutMs, what, this.host);
    } catch (error) {
      if (error instanceof EventStoreUnavailableError || !isUnavailable(error)) throw error;
      throw new EventStoreUnavailableError(`KurrentDB is unavailable at ${this.host} (${what})${describeCause(error as Error)}`, {
        cause: error,
      });
    } finally {
      controller.abort();
    }
  }

  /** Events of a stream on the server; [] when it does not exist. */
  private readRecords(
    stream: string,
    what: string,
    fromRevision: ReadRevision = START,
    maxCount?: number,
    direction: typeof FORWARDS | typeof BACKWARDS = FORWARDS,
  ): Promise<StoredRecord[]> {
    return this.call(what, async (signal) => {
      const out: StoredRecord[] = [];
      try {
        const iterator = this.client.readStream(stream, {
          fromRevision,
          direction,
          ...(maxCount !== undefined ? { maxCount } : {}),
        });
        for await (const resolved of iterator as AsyncIterable<ResolvedEvent>) {
          if (signal.aborted) break;
          if (resolved.event) out.push(resolved.event as StoredRecord);
        }
      } catch (error) {
        if (isStreamNotFound(error)) return [];
        throw error;
      }
      return out;
    });
  }

  /** The already stored append when all of `events` are in the stream, in order; undefined when none is. */
  private findOriginal(
    streamId: string,
    stored: StoredRecord[],
    events: NewEvent[],
    expectedVersion: ExpectedVersion,
  ): AppendResult | undefined {
    if (events.length === 0) return undefined;
    const ids = new Set(events.map((event) => event.id.toLowerCase()));
    const matching = stored.filter((record) => ids.has(record.id.toLowerCase()));
    if (matching.length === 0) return undefined;
    if (!sameIds(matching, events)) {
      const current = stored.length === 0 ? 0 : Number(stored[stored.length - 1].revision) + 1;
      // Part of the batch is stored and part is not: a different history, not a retry.
      throw new WrongExpectedVersionError(streamId, expectedVersion, current);
    }
    return this.result(streamId, matching);
  }

  private result(streamId: string, records: StoredRecord[]): AppendResult {
    const events = records.map((record) => this.toRecordedEvent(streamId, record));
    const last = events[events.length - 1];
    return { streamVersion: last.streamVersion, position: last.position, events };
  }

  private fromAll(resolved: AllStreamResolvedEvent | ResolvedEvent, after: bigint | undefined): RecordedEvent | undefined {
    const record = resolved.event as StoredRecord | undefined;
    if (!record || record.type.startsWith('$') || record.streamId.startsWith('$')) return undefined;
    if (!this.prefixes.some((prefix) => record.streamId.startsWith(prefix))) return undefined;
    if (after !== undefined && positionOf(record) <= after) return undefined;
    return this.toRecordedEvent(record.streamId.slice(this.namespace.length), record);
  }

  private toRecordedEvent(streamId: string, record: StoredRecord): RecordedEvent {
    return {
      id: record.id,
      type: record.type,
      data: record.data,
      metadata: (record.metadata ?? {}) as EventMetadata,
      streamId,
      streamVersion: Number(record.revision) + 1,
      position: positionOf(record).toString(),
      recordedAt: record.created.toISOString(),
    };
  }

  private toServerStream(streamId: string): string {
    return this.namespace + streamId;
  }

  private assertOwnStream(streamId: string): void {
    const stream = this.toServerStream(streamId);
    if (!this.prefixes.some((prefix) => stream.startsWith(prefix))) {
      // Events outside the prefixes would never reach readAll or a subscription.
      throw new RangeError(`Stream ${streamId} does not start with one of ${this.prefixes.map((p) => p.slice(this.namespace.length)).join(', ')}`);
    }
  }

  private assertOpen(): void {
    if (this.closing.signal.aborted) throw new Error(`KurrentDbEventStore for ${this.host} is closed`);
  }
}

function sameIds(records: StoredRecord[], events: NewEvent[]): boolean {
  return records.length === events.length && records.every((record, i) => record.id.toLowerCase() === events[i].id.toLowerCase());
}
