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
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
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
import {
  describeCause,
  describeHost,
  errorType,
  isStreamNotFound,
  isUnavailable,
  logPosition,
  parsePosition,
  positionOf,
  pumpSubscription,
  sameIds,
  toRevision,
  toStreamState,
  toStreamVersion,
  withTimeout,
  type StoredRecord,
} from './kurrentdb-internals.js';

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

