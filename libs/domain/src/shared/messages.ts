import type { Actor } from './actor.js';

/** What a caller supplies with every command. Time and identity are inputs, never read inside a decider. */
export interface CommandMetadata {
  actor: Actor;
  /** The recording instant (ISO-8601 with offset), from the caller's clock. */
  now: string;
  /** When the action happened, as stated (ISO-8601 with offset); defaults to `now`. Earlier = late recording. */
  occurredAt?: string;
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
}

export interface Command<TType extends string, TData> {
  type: TType;
  data: TData;
  metadata: CommandMetadata;
}

/**
 * Event metadata (a type alias, so it is assignable to the event store's open metadata record).
 * `occurredAt` is when it happened as stated, `recordedAt` when it was recorded (the command's `now`):
 * both are kept, so a late recording stays visible. Instants are normalised to UTC.
 */
export type EventMetadata = {
  actor: Actor;
  occurredAt: string;
  recordedAt: string;
  /** The regulation version in force for the case (case events only). */
  regulationId?: string;
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
};

export interface DomainEvent<TType extends string, TData> {
  /** Chosen by the caller's id generator (a UUID); the store treats a re-append of the same id as a no-op. */
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

/** A decider in the Emmett / Dudycz sense, with the inputs it needs besides the command in `context`. */
export interface Decider<TCommand, TEvent, TState, TContext> {
  decide(command: TCommand, state: TState, context: TContext): TEvent[];
  evolve(state: TState, event: TEvent): TState;
  initialState: TState;
}

export function eventMetadata(
  metadata: CommandMetadata,
  occurredAt: string,
  recordedAt: string,
  regulationId?: string,
): EventMetadata {
  const result: EventMetadata = { actor: metadata.actor, occurredAt, recordedAt };
  if (regulationId !== undefined) result.regulationId = regulationId;
  if (metadata.correlationId !== undefined) result.correlationId = metadata.correlationId;
  if (metadata.causationId !== undefined) result.causationId = metadata.causationId;
  if (metadata.idempotencyKey !== undefined) result.idempotencyKey = metadata.idempotencyKey;
  return result;
}
