import { createHash, randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from './event-store.js';
import { WrongExpectedVersionError } from './event-store.js';
import { chainEvents } from './hash-chain.js';

/**
 * The command pipeline every aggregate shares: read the stream, fold, decide, append with the expected
 * version; retry on a version conflict unless the caller pinned a version (If-Match). An idempotency key
 * is remembered in the events' metadata (with a hash of the request), so a retry answers the first
 * result and appends nothing, whatever store sits behind the port. Every event is hash-chained to the
 * previous event of its stream (hash-chain.ts): the stream is read anyway, so the chain costs no I/O.
 */

export interface CommandResult {
  id: string;
  streamVersion: number;
  position: string | null;
  events: RecordedEvent[];
  /** True when this answer repeats the first result of an idempotent retry. */
  replayed: boolean;
}

export interface Idempotency {
  key: string;
  userId: string;
  /** Hash of the request: the same key with another request is refused. */
  requestHash: string;
}

export interface ExecuteOptions<S> {
  store: EventStore;
  aggregateId: string;
  streamId: string;
  fold(events: RecordedEvent[]): S;
  /** Pure decision: the new events' type/data/metadata (ids are assigned here unless given). */
  decide(state: S, current: { version: number; events: RecordedEvent[] }): Array<Omit<NewEvent, 'id'> & { id?: string }>;
  /** The stream version the caller last saw (HTTP If-Match). */
  ifMatch?: number;
  idempotency?: Idempotency;
  maxRetries?: number;
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super(`The Idempotency-Key "${key}" was already used with a different request.`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class PreconditionFailedError extends Error {
  readonly code = 'PRECONDITION_FAILED';
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number | null,
  ) {
    super(
      actual === null
        ? `Another action was recorded on ${streamId} at the same time; the version ${expected} you sent is stale. Reload and try again.`
        : `The version you sent is ${expected} but the current version is ${actual}. Reload and try again.`,
    );
    this.name = 'PreconditionFailedError';
  }
}

/** A name-based UUID (version 5 layout over SHA-1): the same parts always give the same id. */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha1').update('sped:').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export async function executeCommand<S>(o: ExecuteOptions<S>): Promise<CommandResult> {
  const retries = o.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const events = await o.store.readStream(o.streamId);
    const version = events.length ? events[events.length - 1].streamVersion : 0;
    const idem = o.idempotency;
    if (idem) {
      const prior = events.filter((e) => e.metadata.idempotencyKey === idem.key && e.metadata.actor?.userId === idem.userId);
      if (prior.length) {
        if (prior[0].metadata.requestHash !== idem.requestHash) throw new IdempotencyKeyReusedError(idem.key);
        const last = prior[prior.length - 1];
        return { id: o.aggregateId, streamVersion: last.streamVersion, position: last.position, events: prior, replayed: true };
      }
    }
    if (o.ifMatch !== undefined && o.ifMatch !== version) throw new PreconditionFailedError(o.streamId, o.ifMatch, version);
    const decided = o.decide(o.fold(events), { version, events });
    if (decided.length === 0) {
      const last = events[events.length - 1];
      return { id: o.aggregateId, streamVersion: version, position: last?.position ?? null, events: [], replayed: false };
    }
    const toAppend: NewEvent[] = chainEvents(
      o.streamId,
      events[events.length - 1],
      decided.map((e, i) => ({
        ...e,
        id: idem ? deterministicUuid('event', idem.userId, idem.key, o.streamId, String(i)) : (e.id ?? randomUUID()),
        metadata: { ...e.metadata, ...(idem ? { idempotencyKey: idem.key, requestHash: idem.requestHash } : {}) },
      })),
    );
    try {
      const result = await o.store.append(o.streamId, toAppend, { expectedVersion: version });
      return { id: o.aggregateId, streamVersion: result.streamVersion, position: result.position, events: result.events, replayed: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (o.ifMatch !== undefined) throw new PreconditionFailedError(o.streamId, o.ifMatch, null);
      if (attempt >= retries) throw error;
    }
  }
}
