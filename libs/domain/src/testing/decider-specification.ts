import { expect } from '@jest/globals';
import { DomainError } from '../shared/domain-error.js';
import type { Decider } from '../shared/messages.js';

/**
 * Given / when / then for deciders, after Emmett's DeciderSpecification: the given events are folded with
 * `evolve`, the command goes through `decide`, and the outcome is asserted. Every outcome is also folded,
 * so a decided event that `evolve` cannot take fails the test.
 */
export interface Outcome<E> {
  then(expected: E[]): void;
  /** Like `then`, but each expected event is a partial match (toMatchObject). */
  thenMatches(expected: unknown[]): void;
  thenNothingHappened(): void;
  thenThrows(code: string, field?: string): void;
  /** The decided events, for assertions of their own. */
  events(): E[];
}

export interface Specification<C, E, X> {
  given(events: E[]): { when(command: C, context?: Partial<X>): Outcome<E> };
}

/** The thrown value, or undefined: lets a test assert on an error without `expect` inside a `catch`. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

export function DeciderSpecification<C, E, S, X>(decider: Decider<C, E, S, X>, context: () => X): Specification<C, E, X> {
  return {
    given(givenEvents) {
      return {
        when(command, overrides) {
          const run = (): E[] => {
            const state = givenEvents.reduce(decider.evolve, decider.initialState);
            const events = decider.decide(command, state, { ...context(), ...overrides });
            events.reduce(decider.evolve, state);
            return events;
          };
          return {
            then: (expected) => expect(run()).toEqual(expected),
            thenMatches: (expected) => {
              const events = run();
              expect(events).toHaveLength(expected.length);
              expected.forEach((e, i) => expect(events[i]).toMatchObject(e as object));
            },
            thenNothingHappened: () => expect(run()).toEqual([]),
            thenThrows: (code, field) => {
              const error = thrownBy(run);
              expect(error).toBeInstanceOf(DomainError);
              expect(error).toMatchObject(field === undefined ? { code } : { code, field });
            },
            events: run,
          };
        },
      };
    },
  };
}

/** Deterministic ids: `${prefix}-1`, `${prefix}-2`, ... */
export function sequentialIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
