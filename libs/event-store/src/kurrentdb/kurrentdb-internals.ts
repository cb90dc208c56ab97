/** Pure helpers of the KurrentDB adapter: mappings, timeouts, error classification, the subscription pump. */
import {
  ANY,
  NO_STREAM,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendStreamState,
  type CurrentStreamState,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, type ExpectedVersion, type NewEvent, type RecordedEvent } from '../event-store.js';

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

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { type?: unknown; code?: unknown };
  if (typeof e.type === 'string' && UNAVAILABLE_TYPES.has(e.type)) return true;
  if (typeof e.code === 'number' && UNAVAILABLE_GRPC_CODES.has(e.code)) return true;
  if (typeof e.code === 'string' && NETWORK_ERROR.test(e.code)) return true;
  return ['UnavailableError', 'DeadlineExceededError', 'NotLeaderError'].includes(e.name) || NETWORK_ERROR.test(e.message);
}

/** The client's own message, when it says more than the error's class name. */
export function describeCause(error: Error): string {
  const message = error.message?.trim();
  return message && message !== error.name && message !== error.constructor.name ? `: ${message}` : '';
}

export function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === 'stream-not-found' || (error instanceof Error && error.name === 'StreamNotFoundError');
}

/** The client's event record, as far as this adapter relies on it. */
export interface StoredRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint };
}

export function positionOf(record: StoredRecord): bigint {
  if (!record.position) {
    throw new Error(
      `KurrentDB returned event ${record.id} of ${record.streamId} without its log position; the server must be 22.6 or later`,
    );
  }
  return record.position.commit;
}

export function logPosition(position: bigint): { commit: bigint; prepare: bigint } {
  return { commit: position, prepare: position };
}

export function parsePosition(position: string | undefined): bigint | undefined {
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


export function sameIds(records: StoredRecord[], events: NewEvent[]): boolean {
  return records.length === events.length && records.every((record, i) => record.id.toLowerCase() === events[i].id.toLowerCase());
}
