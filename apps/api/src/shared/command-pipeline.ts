import type { EventStore, NewEvent, RecordedEvent } from '@sped/event-store';
import { WrongExpectedVersionError } from '@sped/event-store';
import { ProblemError } from '../http/problem.js';
import { deterministicUuid, newUuid } from './ids.js';

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
  /** Hash of the request (method, path, body): the same key with another body is refused. */
  requestHash: string;
}

export interface ExecuteOptions<S> {
  store: EventStore;
  aggregateId: string;
  streamId: string;
  /** Folds the stream into the decider's state. */
  fold(events: RecordedEvent[]): S;
  /** Pure decision: the new events' type/data/metadata; ids are assigned here. */
  decide(state: S, current: { version: number; events: RecordedEvent[] }): Array<Omit<NewEvent, 'id'>>;
  /** If-Match: the stream version the client last saw. */
  ifMatch?: number;
  idempotency?: Idempotency;
  maxRetries?: number;
}

const MAX_RETRIES = 5;

/**
 * The command pipeline every aggregate shares: read the stream, fold, decide, append with the expected
 * version; retry on a version conflict unless the client pinned one with If-Match. An idempotency key
 * is remembered in the events' metadata, so a retry answers the first result and appends nothing.
 */
export async function executeCommand<S>(o: ExecuteOptions<S>): Promise<CommandResult> {
  const retries = o.maxRetries ?? MAX_RETRIES;
  for (let attempt = 0; ; attempt++) {
    const events = await o.store.readStream(o.streamId);
    const version = events.length ? events[events.length - 1].streamVersion : 0;
    const idem = o.idempotency;
    if (idem) {
      const prior = events.filter((e) => e.metadata.idempotencyKey === idem.key && e.metadata.actor?.userId === idem.userId);
      if (prior.length) {
        if (prior[0].metadata.requestHash !== idem.requestHash) {
          throw new ProblemError(422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency key reused', `The Idempotency-Key "${idem.key}" was already used with a different request.`, [
            { field: 'Idempotency-Key', message: 'already used with a different body' },
          ]);
        }
        const last = prior[prior.length - 1];
        return { id: o.aggregateId, streamVersion: last.streamVersion, position: last.position, events: prior, replayed: true };
      }
    }
    if (o.ifMatch !== undefined && o.ifMatch !== version) {
      throw new ProblemError(412, 'PRECONDITION_FAILED', 'The record has changed', `If-Match was ${o.ifMatch} but the current version is ${version}. Reload and try again.`, [
        { field: 'If-Match', message: `current version is ${version}` },
      ], { currentVersion: version });
    }
    const state = o.fold(events);
    const decided = o.decide(state, { version, events });
    if (decided.length === 0) {
      const last = events[events.length - 1];
      return { id: o.aggregateId, streamVersion: version, position: last?.position ?? null, events: [], replayed: false };
    }
    const toAppend: NewEvent[] = decided.map((e, i) => ({
      ...e,
      id: o.idempotency ? deterministicUuid('event', o.idempotency.userId, o.idempotency.key, o.streamId, String(i)) : newUuid(),
      metadata: {
        ...e.metadata,
        ...(o.idempotency ? { idempotencyKey: o.idempotency.key, requestHash: o.idempotency.requestHash } : {}),
      },
    }));
    try {
      const result = await o.store.append(o.streamId, toAppend, { expectedVersion: version });
      return { id: o.aggregateId, streamVersion: result.streamVersion, position: result.position, events: result.events, replayed: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (o.ifMatch !== undefined) {
        throw new ProblemError(412, 'PRECONDITION_FAILED', 'The record has changed', `Another action was recorded on ${o.streamId} at the same time; If-Match ${o.ifMatch} is stale. Reload and try again.`, [
          { field: 'If-Match', message: 'stale' },
        ]);
      }
      if (attempt >= retries) throw error;
    }
  }
}
