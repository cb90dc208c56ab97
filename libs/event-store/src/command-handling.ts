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
 *
 * With a `StreamStateCache` the stream is not read again for every command: the folded state of its last
 * known version is kept, and the decision is appended with that version as the expected one. The store's
 * optimistic concurrency makes that safe: the append succeeds only if the stream is still at that version,
 * so a decision is only ever stored when it was made on the stream's current state. Any other answer (a
 * refusal, a 412, nothing to do, a conflict) is given only after the stream's newer events, if any, are
 * read and folded in, so a state that another process moved on can cost a retry, never a wrong answer.
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
  /** Folds events into a state: from the initial state, or on from `state` (newer events of a known state). */
  fold(events: RecordedEvent[], state?: S): S;
  /** Pure decision: the new events' type/data/metadata (ids are assigned here unless given). */
  decide(state: S, current: { version: number }): Array<Omit<NewEvent, 'id'> & { id?: string }>;
  /** Keeps folded states between commands (see the file comment). */
  cache?: StreamStateCache<S>;
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

/** What the pipeline knows of a stream at one version. Immutable, except the grow-only idempotency index. */
export interface StreamSnapshot<S> {
  version: number;
  state: S;
  /** The stream's last event: the next event's hash chains to it. */
  last: Pick<RecordedEvent, 'streamVersion' | 'position' | 'metadata'> | undefined;
  /**
   * The stored commands that carried an Idempotency-Key, by `userId NUL key`. Shared by the snapshots of one
   * stream and only ever added to with stored events, so a lookup in an older snapshot can only find more truth.
   */
  keys: Map<string, { requestHash: unknown; events: RecordedEvent[] }>;
}

export interface StreamStateCacheStats {
  streams: number;
  /** Commands decided on a kept state without reading the stream. */
  hits: number;
  /** Commands that read the whole stream (not kept, or evicted). */
  misses: number;
  /** Reads of a kept stream's newer events (a conflict, or an answer other than an append). */
  catchUps: number;
}

/** The folded states of the most recently used streams, at most `maxStreams` of them (least recently used go first). */
export class StreamStateCache<S> {
  private readonly streams = new Map<string, StreamSnapshot<S>>();
  readonly stats = { hits: 0, misses: 0, catchUps: 0 };

  constructor(readonly maxStreams = 10_000) {
    if (!Number.isInteger(maxStreams) || maxStreams < 0) throw new RangeError(`maxStreams must be a whole number >= 0, got ${maxStreams}`);
  }

  get(streamId: string): StreamSnapshot<S> | undefined {
    const snapshot = this.streams.get(streamId);
    if (snapshot) {
      this.streams.delete(streamId);
      this.streams.set(streamId, snapshot);
    }
    return snapshot;
  }

  /** Keeps `snapshot` unless a newer one of the stream is kept already (concurrent commands finish in any order). */
  set(streamId: string, snapshot: StreamSnapshot<S>): void {
    if (this.maxStreams === 0) return;
    const kept = this.streams.get(streamId);
    if (kept && kept.version > snapshot.version) return;
    this.streams.delete(streamId);
    this.streams.set(streamId, snapshot);
    while (this.streams.size > this.maxStreams) this.streams.delete(this.streams.keys().next().value as string);
  }

  delete(streamId: string): void {
    this.streams.delete(streamId);
  }

  clear(): void {
    this.streams.clear();
  }

  snapshotStats(): StreamStateCacheStats {
    return { streams: this.streams.size, ...this.stats };
  }
}

const keyOf = (userId: unknown, key: unknown) => `${String(userId)}\u0000${String(key)}`;

/** `base` followed by `events` (the stream's next events, in order). */
function extend<S>(o: ExecuteOptions<S>, base: StreamSnapshot<S> | undefined, events: RecordedEvent[]): StreamSnapshot<S> {
  if (events.length === 0 && base) return base;
  const keys: StreamSnapshot<S>['keys'] = base?.keys ?? new Map();
  for (const e of events) {
    const key = e.metadata.idempotencyKey;
    if (key === undefined || key === null) continue;
    const k = keyOf(e.metadata.actor?.userId, key);
    const entry = keys.get(k);
    if (!entry) keys.set(k, { requestHash: e.metadata.requestHash, events: [e] });
    else if (!entry.events.some((x) => x.id === e.id)) entry.events.push(e);
  }
  const last = events.length ? events[events.length - 1] : base?.last;
  return { version: last?.streamVersion ?? 0, state: o.fold(events, base?.state), last, keys };
}

/** The stream's current snapshot: `base` with the events after it, or the whole stream. */
async function readSnapshot<S>(o: ExecuteOptions<S>, base: StreamSnapshot<S> | undefined): Promise<StreamSnapshot<S>> {
  const events = await o.store.readStream(o.streamId, base ? { fromVersion: base.version + 1 } : undefined);
  const snapshot = extend(o, base, events);
  o.cache?.set(o.streamId, snapshot);
  return snapshot;
}

export async function executeCommand<S>(o: ExecuteOptions<S>): Promise<CommandResult> {
  const retries = o.maxRetries ?? 5;
  const idem = o.idempotency;
  const cache = o.cache;
  let snapshot = cache?.get(o.streamId);
  /** Whether `snapshot` was read from the store during this command (so it is the stream's head, or was). */
  let current = false;
  if (cache && snapshot) cache.stats.hits++;
  else {
    if (cache) cache.stats.misses++;
    snapshot = await readSnapshot(o, undefined);
    current = true;
  }
  /** Reads the newer events of a kept snapshot; true when there were any (decide again). */
  const catchUp = async (): Promise<boolean> => {
    if (current) return false;
    if (cache) cache.stats.catchUps++;
    const next = await readSnapshot(o, snapshot);
    current = true;
    if (next === snapshot) return false;
    snapshot = next;
    return true;
  };
  for (let attempt = 0; ; attempt++) {
    const { version } = snapshot;
    if (idem) {
      const prior = snapshot.keys.get(keyOf(idem.userId, idem.key));
      if (prior) {
        if (prior.requestHash !== idem.requestHash) throw new IdempotencyKeyReusedError(idem.key);
        const last = prior.events[prior.events.length - 1];
        return { id: o.aggregateId, streamVersion: last.streamVersion, position: last.position, events: prior.events, replayed: true };
      }
    }
    if (o.ifMatch !== undefined && o.ifMatch !== version) {
      if (await catchUp()) continue;
      throw new PreconditionFailedError(o.streamId, o.ifMatch, version);
    }
    let decided: ReturnType<ExecuteOptions<S>['decide']>;
    try {
      decided = o.decide(snapshot.state, { version });
    } catch (error) {
      if (await catchUp()) continue;
      throw error;
    }
    if (decided.length === 0) {
      if (await catchUp()) continue;
      return { id: o.aggregateId, streamVersion: version, position: snapshot.last?.position ?? null, events: [], replayed: false };
    }
    const toAppend: NewEvent[] = chainEvents(
      o.streamId,
      snapshot.last,
      decided.map((e, i) => ({
        ...e,
        id: idem ? deterministicUuid('event', idem.userId, idem.key, o.streamId, String(i)) : (e.id ?? randomUUID()),
        metadata: { ...e.metadata, ...(idem ? { idempotencyKey: idem.key, requestHash: idem.requestHash } : {}) },
      })),
    );
    let result: Awaited<ReturnType<EventStore['append']>>;
    try {
      result = await o.store.append(o.streamId, toAppend, { expectedVersion: version });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) {
        // A timeout or a lost connection leaves the outcome unknown: the next command reads the stream.
        o.cache?.delete(o.streamId);
        throw error;
      }
      if (o.ifMatch !== undefined) {
        o.cache?.delete(o.streamId);
        throw new PreconditionFailedError(o.streamId, o.ifMatch, null);
      }
      if (attempt >= retries) {
        o.cache?.delete(o.streamId);
        throw error;
      }
      current = false;
      await catchUp();
      continue;
    }
    const appended = !result.duplicate && result.events.length === toAppend.length && result.events[0]?.streamVersion === version + 1 && result.events[0]?.id === toAppend[0].id;
    if (!appended) {
      if (attempt >= retries) {
        o.cache?.delete(o.streamId);
        return { id: o.aggregateId, streamVersion: result.streamVersion, position: result.position, events: result.events, replayed: true };
      }
      // The store already held these events (a retry of an idempotent command that another process, or an
      // earlier attempt, stored): answer from the stream as it is.
      current = false;
      if (o.cache) {
        await catchUp();
        continue;
      }
      snapshot = await readSnapshot(o, undefined);
      current = true;
      continue;
    }
    o.cache?.set(o.streamId, extend(o, snapshot, result.events));
    return { id: o.aggregateId, streamVersion: result.streamVersion, position: result.position, events: result.events, replayed: false };
  }
}
