/**
 * The replay folds a whole stream with the domain's `foldCase`, which appends to a private copy of the state
 * instead of copying the actions on every event. These tests pin it to the reference, `evolveCase` event by
 * event, on random histories the real decider records (corrections, refusals, withdrawals, deadlines, erasures,
 * long runs of sessions), and check that it never writes to what it was given. They live here because the
 * random histories come from `@sped/read-models/testing`, which the domain library may not import.
 */
import fc from 'fast-check';
import { evolveCase, foldCase, initialCaseState, type CaseEvent, type CaseState } from '@sped/domain';
import { randomCase, seededPick } from '@sped/read-models/testing';
import { epochMicros } from './history.replay.js';

const reference = (events: readonly CaseEvent[], state: CaseState = initialCaseState): CaseState => events.reduce(evolveCase, state);

/** Freezes a value and everything it holds: any write to it then throws (ES modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Equal as data and as the JSON the API sends (same keys in the same order). */
function expectSameState(actual: CaseState, expected: CaseState) {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** Histories the real decider records for random commands (frozen: nothing may write to an event either). */
const histories: CaseEvent[][] = Array.from({ length: 40 }, (_, i) => deepFreeze(randomCase(seededPick(i + 1), 'school-1', 40).appends.flat() as unknown as CaseEvent[]));
const pool = histories.flat();
const appointments = pool.filter((e) => e.type === 'ExecutorAppointed');

/**
 * `evolveCase` is total, so the fold must agree with it on any sequence of case events, not only on what the
 * decider allows. A long stream: one recorded history with, at random places, events of others (appointments of
 * other executors, a correction naming an unknown event, a second application...), repeats, and runs of copies
 * of its actions under new ids (a rehabilitation case's hundreds of sessions).
 */
const longStream = fc
  .record({
    base: fc.nat({ max: histories.length - 1 }),
    edits: fc.array(
      fc.record({ at: fc.nat(), kind: fc.constantFrom('foreign', 'appointment', 'repeat', 'run'), pick: fc.nat({ max: pool.length - 1 }), length: fc.integer({ min: 1, max: 120 }) }),
      { maxLength: 25 },
    ),
  })
  .map(({ base, edits }) => {
    const events = [...histories[base]];
    let copies = 0;
    for (const e of edits) {
      const at = e.at % (events.length + 1);
      if (e.kind === 'foreign') events.splice(at, 0, pool[e.pick % pool.length]);
      else if (e.kind === 'appointment') events.splice(at, 0, appointments[e.pick % appointments.length]);
      else if (e.kind === 'repeat' && events.length > 0) events.splice(at, 0, events[e.pick % events.length]);
      else if (events.length > 0) {
        const template = events[e.pick % events.length];
        const run = Array.from({ length: e.length }, () => deepFreeze({ ...template, id: `${template.id}-copy-${++copies}` }) as CaseEvent);
        events.splice(at, 0, ...run);
      }
    }
    return events;
  });

describe('foldCase (the fold the history replay uses)', () => {
  it('gives what evolveCase gives event by event, on histories the decider records and every prefix of them', () => {
    for (const events of histories) {
      for (let cut = 0; cut <= events.length; cut++) expectSameState(foldCase(events.slice(0, cut)), reference(events.slice(0, cut)));
    }
    // The histories hold the events that take the fold's slow way (else the test would prove less).
    const types = new Set(pool.map((e) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['ActionCorrected', 'DeadlinePassed', 'PersonalDataErased', 'SessionHeld', 'ExecutorAppointed', 'ResultIssued', 'ApplicationWithdrawn']));
  });

  it('gives the same on long streams with foreign events, repeats and runs of actions', () => {
    fc.assert(
      fc.property(longStream, (events) => {
        expectSameState(foldCase(events), reference(events));
      }),
      { numRuns: 200 },
    );
  });

  it('continues from a state it is given exactly as evolveCase would, without writing to that state', () => {
    fc.assert(
      fc.property(longStream, fc.nat(), fc.boolean(), (events, at, stale) => {
        const cut = at % (events.length + 1);
        const folded = reference(events.slice(0, cut));
        // Also from a state whose mirrors disagree with its actions (as one stored by an older version might).
        const given = deepFreeze(stale && folded.status !== 'none' ? { ...folded, executorId: 'executor-from-elsewhere', grade: 11, documents: [] } : folded);
        const snapshot = structuredClone(given);
        // Frozen: an append or an assignment to the caller's state (its actions array, its mirrors) would throw.
        expectSameState(foldCase(events.slice(cut), given), reference(events.slice(cut), given));
        expect(given).toEqual(snapshot);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves a state it returned alone when that state is folded further', () => {
    const events = fc.sample(longStream, { numRuns: 1, seed: 42 })[0];
    const half = events.length >> 1;
    const first = foldCase(events.slice(0, half));
    const snapshot = structuredClone(first);
    const second = foldCase(events.slice(half), first);
    const third = foldCase(events.slice(half), first);
    expect(first).toEqual(snapshot);
    expectSameState(second, reference(events));
    expectSameState(third, second);
  });

  it('returns the state it was given when no event changes it', () => {
    const events = histories[0];
    const state = foldCase(events);
    expect(foldCase([], state)).toBe(state);
    expect(foldCase([events[0]], state)).toBe(state); // a second application is ignored
    expect(foldCase(events.slice(1), initialCaseState)).toBe(initialCaseState); // nothing happens to a case before its application
  });
});

/** epochMicros as it was before its digit-by-digit fast path: the fast path must agree with it wherever it answers. */
function referenceMicros(instant: string): number {
  if (instant.length >= 24 && instant.charCodeAt(instant.length - 1) === 90 && instant.charCodeAt(19) === 46 && instant.length <= 27) {
    const seconds = Date.parse(instant.slice(0, 19) + 'Z');
    const fraction = instant.slice(20, -1);
    if (!Number.isNaN(seconds) && /^\d+$/.test(fraction)) return seconds * 1000 + Number(fraction.padEnd(6, '0'));
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(instant);
  const seconds = m ? Date.parse(m[1] + m[3]) : Number.NaN;
  if (!m || Number.isNaN(seconds)) throw new RangeError(`not an ISO-8601 instant with an offset: ${JSON.stringify(instant)}`);
  return seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

const outcome = (f: () => number) => {
  try {
    return f();
  } catch (error) {
    return (error as Error).message;
  }
};

describe('epochMicros of the store form', () => {
  it('agrees with Date.parse on instants of the store form, 3 to 6 fraction digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), fc.nat({ max: 999_999 }), fc.integer({ min: 3, max: 6 }), (ms, micros, places) => {
        const instant = `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0').slice(0, places)}Z`;
        expect(epochMicros(instant)).toBe(referenceMicros(instant));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers as before for near misses of the form: impossible dates, other separators, other lengths', () => {
    const cases = [
      '2019-02-29T00:00:00.000Z',
      '2020-02-29T23:59:59.999999Z',
      '2019-04-31T00:00:00.000Z',
      '2019-13-01T00:00:00.000Z',
      '2019-06-03T24:00:00.000Z',
      '2019-06-03T23:60:00.000Z',
      '2019-06-03T23:59:60.000Z',
      '2019-06-03 03:00:00.123Z',
      '2019-06-03T03:00:00.12Z',
      '2019-06-03T03:00:00.1234567Z',
      '2019-06-03T03:00:00.12a4Z',
      '0999-06-03T03:00:00.123Z',
      '0099-06-03T03:00:00.123Z',
      '+2019-06-03T03:00:00.12Z',
      '2019-06-03T09:00:00.123+06:00',
      '2019-06-03T03:00:00Z',
    ];
    for (const instant of cases) expect([instant, outcome(() => epochMicros(instant))]).toEqual([instant, outcome(() => referenceMicros(instant))]);
  });
});
