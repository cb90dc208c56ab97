/**
 * The behaviour every EventStore adapter must show, as one jest suite each adapter's int spec runs:
 *
 *   eventStoreContract('PostgreSQL', async () => ({ store, teardown }), { heldTransactions: true });
 *
 * The factory is called once per suite (beforeAll) and `teardown` once at the end; the tests share
 * the store and keep apart by using fresh stream ids and positions relative to the head. One test
 * builds a second fixture to see a subscription end when its store closes, so the factory must be
 * able to make two fixtures, and `teardown` must tolerate a store that is already closed.
 *
 * Adapter hooks (optional):
 * - `holdTransaction` (with `{ heldTransactions: true }`): append one event in a transaction left open
 *   until `commit()`. Registers the gap-safety scenario: while it is open, later appends commit and a
 *   subscriber must not pass the held position; after the commit it delivers everything in order.
 *   Adapters whose appends cannot be held open from outside (KurrentDB) leave it out.
 *
 * Test-only: it uses jest's globals, so import it from specs (or `@sped/event-store/testing`) only.
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError, type EventStore, type NewEvent, type RecordedEvent } from './event-store.js';

export interface HeldTransaction {
  /** Commits the held append; until then gap-safe readers must not move past its position. */
  commit(): Promise<void>;
}

export interface EventStoreFixture {
  store: EventStore;
  /** See the file comment; required when the contract runs with `heldTransactions: true`. */
  holdTransaction?: (streamId: string, event: NewEvent) => Promise<HeldTransaction>;
  teardown(): Promise<void>;
}

export interface EventStoreContractOptions {
  /** The fixture provides `holdTransaction`: run the held-transaction (gap-safety) scenario. */
  heldTransactions?: boolean;
  /** How long that scenario keeps the transaction open (default 2500 ms). */
  holdMs?: number;
}

/** Generous: PGlite start-up and the held transaction take seconds on a loaded machine (jest's default is 5 s). */
const TIMEOUT_MS = 60_000;
let sequence = 0;

function newEvent(type = 'SomethingHappened', data: Record<string, unknown> = {}): NewEvent {
  sequence += 1;
  return {
    id: randomUUID(),
    type,
    data: { n: sequence, note: 'Құжаттар қабылданды', nested: { list: [1, 2, 3], flag: true }, ...data },
    metadata: {
      actor: { role: 'clerk', userId: randomUUID(), providerId: null },
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
    },
  };
}

function events(count: number, type?: string): NewEvent[] {
  return Array.from({ length: count }, () => newEvent(type));
}

function newStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it stops throwing; gives up (rethrowing its last failure) after `patienceMs`. */
async function eventually(check: () => void | Promise<void>, patienceMs = 20_000): Promise<void> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await delay(25);
    }
  }
}

function expectStrictlyIncreasing(positions: string[]): void {
  for (let i = 1; i < positions.length; i++) {
    if (!(BigInt(positions[i]) > BigInt(positions[i - 1]))) {
      throw new Error(`global positions are not strictly increasing at index ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}

function plain(event: NewEvent) {
  return { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
}

/** Microseconds since the epoch of an ISO-8601 instant, so instants compare across adapters' precisions. */
function micros(iso: string): bigint {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO-8601 instant: ${iso}`);
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(Date.parse(`${match[1]}${match[3]}`)) * 1000n + BigInt(fraction);
}

interface Consumer {
  received: RecordedEvent[];
  batchSizes: number[];
  /** Settles when the subscription ends: resolves on a clean end, rejects on an error. */
  ended: Promise<void>;
}

function consume(iterable: AsyncIterable<RecordedEvent[]>): Consumer {
  const received: RecordedEvent[] = [];
  const batchSizes: number[] = [];
  const ended = (async () => {
    for await (const batch of iterable) {
      batchSizes.push(batch.length);
      received.push(...batch);
    }
  })();
  ended.catch(() => undefined);
  return { received, batchSizes, ended };
}

function ids(list: Array<{ id: string }>): string[] {
  return list.map((e) => e.id);
}

export function eventStoreContract(
  name: string,
  factory: () => Promise<EventStoreFixture>,
  options: EventStoreContractOptions = {},
): void {
  describe(`${name} event store (contract)`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    }, TIMEOUT_MS);

    afterAll(async () => {
      await fixture?.teardown();
    }, TIMEOUT_MS);

    describe('when a stream does not exist', () => {
      it('reports version 0 and reads no events', async () => {
        const stream = newStream();
        expect(await store.streamVersion(stream)).toBe(0);
        expect(await store.readStream(stream)).toEqual([]);
      }, TIMEOUT_MS);
    });

    describe('when appending to a stream', () => {
      it('stores the events in order with versions, positions and the recording time', async () => {
        const stream = newStream();
        const input = events(3);
        const before = Date.now();
        const result = await store.append(stream, input, { expectedVersion: 0 });

        expect(result.streamVersion).toBe(3);
        expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
        expect(result.events.map(plain)).toEqual(input.map(plain));
        expect(result.events.every((e) => e.streamId === stream)).toBe(true);
        expectStrictlyIncreasing(result.events.map((e) => e.position));
        expect(result.position).toBe(result.events[2].position);
        for (const e of result.events) {
          expect(Number.isNaN(Date.parse(e.recordedAt))).toBe(false);
          expect(Date.parse(e.recordedAt)).toBeGreaterThanOrEqual(before - 60_000);
        }

        const read = await store.readStream(stream);
        expect(read).toEqual(result.events);
        expect(await store.streamVersion(stream)).toBe(3);

        const more = await store.append(stream, events(2), { expectedVersion: 3 });
        expect(more.events.map((e) => e.streamVersion)).toEqual([4, 5]);
        expect(BigInt(more.events[0].position)).toBeGreaterThan(BigInt(result.position));
        expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
      }, TIMEOUT_MS);

      it('refuses a stale expected version, naming the actual one, and stores nothing', async () => {
        const stream = newStream();
        await store.append(stream, events(2), { expectedVersion: 0 });

        const stale = store.append(stream, events(1), { expectedVersion: 1 });
        await expect(stale).rejects.toThrow(WrongExpectedVersionError);
        await expect(stale).rejects.toMatchObject({ streamId: stream, expected: 1, actual: 2 });
        await expect(store.append(stream, events(1), { expectedVersion: 0 })).rejects.toMatchObject({ actual: 2 });
        await expect(store.append(newStream(), events(1), { expectedVersion: 4 })).rejects.toMatchObject({ actual: 0 });

        expect(await store.streamVersion(stream)).toBe(2);
        expect(await store.readStream(stream)).toHaveLength(2);
      }, TIMEOUT_MS);

      it("appends after whatever is there when the expected version is 'any'", async () => {
        const stream = newStream();
        const created = await store.append(stream, events(1), { expectedVersion: 'any' });
        expect(created.streamVersion).toBe(1);
        const result = await store.append(stream, events(2), { expectedVersion: 'any' });
        expect(result.events.map((e) => e.streamVersion)).toEqual([2, 3]);
        expect(await store.streamVersion(stream)).toBe(3);
      }, TIMEOUT_MS);

      it('returns the first result and stores nothing new when the same events are appended again', async () => {
        const stream = newStream();
        const input = events(3);
        const first = await store.append(stream, input, { expectedVersion: 0 });
        await store.append(stream, events(1), { expectedVersion: 3 });

        // The retry's expected version is stale by now; it is still the same append.
        const retried = await store.append(stream, input, { expectedVersion: 0 });
        // An adapter that can tell says the retry wrote nothing (the command pipeline then answers from the stream).
        const { duplicate, ...same } = retried;
        expect(first.duplicate).toBeUndefined();
        expect([undefined, true]).toContain(duplicate);
        expect(same).toEqual(first);
        const { duplicate: _again, ...again } = await store.append(stream, input, { expectedVersion: 'any' });
        expect(again).toEqual(first);

        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
        expect(new Set(ids(stored)).size).toBe(4);
      }, TIMEOUT_MS);

      it('lets exactly one of two concurrent appenders with the same expected version win', async () => {
        for (let round = 0; round < 10; round++) {
          const stream = newStream('race');
          await store.append(stream, events(1), { expectedVersion: 0 });
          const [a, b] = await Promise.allSettled([
            store.append(stream, events(2), { expectedVersion: 1 }),
            store.append(stream, events(3), { expectedVersion: 1 }),
          ]);
          const winners = [a, b].filter((r) => r.status === 'fulfilled');
          const losers = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(1);
          expect(losers[0].reason).toBeInstanceOf(WrongExpectedVersionError);
          const version = await store.streamVersion(stream);
          expect((losers[0].reason as WrongExpectedVersionError).actual).toBe(version);
          expect(await store.readStream(stream)).toHaveLength(version);
        }
      }, TIMEOUT_MS);

      it("keeps every event of concurrent 'any' appenders on one stream, versions without holes", async () => {
        const stream = newStream('shared');
        const appended = await Promise.all(
          Array.from({ length: 10 }, async () => {
            const mine: string[] = [];
            for (let i = 0; i < 5; i++) {
              const batch = events(2);
              await store.append(stream, batch, { expectedVersion: 'any' });
              mine.push(...ids(batch));
            }
            return mine;
          }),
        );
        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect(new Set(ids(stored))).toEqual(new Set(appended.flat()));
        expectStrictlyIncreasing(stored.map((e) => e.position));
      }, TIMEOUT_MS);

      it('loses and duplicates nothing when many writers append to many streams at once', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 20 }, () => newStream('many'));
        const written = new Map<string, string[]>();
        await Promise.all(
          streams.map(async (stream) => {
            const mine: string[] = [];
            for (let version = 0; version < 25; version++) {
              const event = newEvent();
              await store.append(stream, [event], { expectedVersion: version });
              mine.push(event.id);
            }
            written.set(stream, mine);
          }),
        );

        for (const stream of streams) {
          const stored = await store.readStream(stream);
          expect(ids(stored)).toEqual(written.get(stream));
          expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        }
        const ours = new Set(streams);
        // A gap-safe reader may lag behind transactions elsewhere in the cluster: poll until it has caught up.
        await eventually(async () => {
          const log: RecordedEvent[] = [];
          for (let after = head; ; ) {
            const page = await store.readAll({ after, limit: 128 });
            if (page.length === 0) break;
            log.push(...page.filter((e) => ours.has(e.streamId)));
            after = page[page.length - 1].position;
          }
          expect(log).toHaveLength(500);
          expect(new Set(ids(log)).size).toBe(500);
          expectStrictlyIncreasing(log.map((e) => e.position));
        });
      }, TIMEOUT_MS);
    });

    describe('when reading the global log', () => {
      it('reads the events after a position in global order, a page at a time', async () => {
        const head = await store.headPosition();
        const a = await store.append(newStream(), events(3), { expectedVersion: 0 });
        const b = await store.append(newStream(), events(2), { expectedVersion: 0 });
        const all = [...a.events, ...b.events];

        await eventually(async () => expect(await store.readAll({ after: head })).toEqual(all));
        expect(await store.readAll({ after: head, limit: 2 })).toEqual(all.slice(0, 2));
        expect(await store.readAll({ after: all[1].position, limit: 2 })).toEqual(all.slice(2, 4));
        expect(await store.readAll({ after: all[4].position })).toEqual([]);
        expect(await store.headPosition()).toBe(b.position);
      }, TIMEOUT_MS);

      it('starts from the beginning without a position', async () => {
        const first = await store.readAll({ limit: 1 });
        expect(first).toHaveLength(1);
        expect(await store.readAll({ after: '0', limit: 1 })).toEqual(first);
      }, TIMEOUT_MS);

      it('reads a stream from a version, up to a position and up to a recording instant', async () => {
        const stream = newStream();
        const early = await store.append(stream, events(2), { expectedVersion: 0 });
        const cut = early.events[1];
        // The next append must be recorded strictly later than the cut, on the store's clock.
        await eventually(() => expect(Date.now()).toBeGreaterThan(Date.parse(cut.recordedAt) + 5));
        const late = await store.append(stream, events(2), { expectedVersion: 2 });
        const all = [...early.events, ...late.events];

        expect(await store.readStream(stream, { fromVersion: 3 })).toEqual(late.events);
        expect(await store.readStream(stream, { toPosition: cut.position })).toEqual(early.events);
        expect(await store.readStream(stream, { fromVersion: 2, toPosition: late.events[0].position })).toEqual(all.slice(1, 3));

        const upToCut = await store.readStream(stream, { toRecordedAt: cut.recordedAt });
        expect(upToCut).toEqual(all.filter((e) => micros(e.recordedAt) <= micros(cut.recordedAt)));
        expect(ids(upToCut)).toEqual(ids(early.events));
      }, TIMEOUT_MS);

      it('reports itself healthy, with the head position', async () => {
        const appended = await store.append(newStream(), events(1), { expectedVersion: 0 });
        await eventually(async () => expect(await store.health()).toEqual({ ok: true, adapter: store.adapter, head: appended.position }));
        expect(store.adapter.length).toBeGreaterThan(0);
      }, TIMEOUT_MS);
    });

    describe('when subscribing', () => {
      it('delivers past events, then live ones, in global order, and ends when aborted', async () => {
        const head = await store.headPosition();
        const past = await store.append(newStream(), events(3), { expectedVersion: 0 });
        const abort = new AbortController();
        const consumer = consume(store.subscribe({ after: head, signal: abort.signal }));

        await eventually(() => expect(ids(consumer.received)).toEqual(ids(past.events)));
        const live = await store.append(newStream(), events(2), { expectedVersion: 0 });
        const other = await store.append(newStream(), events(1), { expectedVersion: 0 });
        const expected = [...past.events, ...live.events, ...other.events];
        await eventually(() => expect(ids(consumer.received)).toEqual(ids(expected)));
        expect(consumer.received).toEqual(expected);

        abort.abort();
        await expect(consumer.ended).resolves.toBeUndefined();
      }, TIMEOUT_MS);

      it('delivers batches no larger than the limit it was given', async () => {
        const head = await store.headPosition();
        const appended = await store.append(newStream(), events(7), { expectedVersion: 0 });
        const abort = new AbortController();
        const consumer = consume(store.subscribe({ after: head, limit: 3, signal: abort.signal }));
        await eventually(() => expect(ids(consumer.received)).toEqual(ids(appended.events)));
        abort.abort();
        await consumer.ended;
        expect(Math.max(...consumer.batchSizes)).toBeLessThanOrEqual(3);
      }, TIMEOUT_MS);

      it('hands out one batch per request, including events appended while the consumer was busy', async () => {
        const head = await store.headPosition();
        const stream = newStream();
        const early = await store.append(stream, events(4), { expectedVersion: 0 });
        const abort = new AbortController();
        const iterator = store.subscribe({ after: head, limit: 2, signal: abort.signal })[Symbol.asyncIterator]();
        const first = await iterator.next();
        const late = await store.append(stream, events(1), { expectedVersion: 4 });
        const second = await iterator.next();
        const third = await iterator.next();
        expect(ids(first.value as RecordedEvent[])).toEqual(ids(early.events.slice(0, 2)));
        expect(ids(second.value as RecordedEvent[])).toEqual(ids(early.events.slice(2, 4)));
        expect(ids(third.value as RecordedEvent[])).toEqual(ids(late.events));
        abort.abort();
        expect((await iterator.next()).done).toBe(true);
      }, TIMEOUT_MS);

      it('ends cleanly when its store closes', async () => {
        const own = await factory();
        try {
          await own.store.append(newStream(), events(1), { expectedVersion: 0 });
          const consumer = consume(own.store.subscribe({}));
          await eventually(() => expect(consumer.received.length).toBeGreaterThan(0));
          await own.store.close();
          await expect(consumer.ended).resolves.toBeUndefined();
        } finally {
          await own.teardown();
        }
      }, TIMEOUT_MS);
    });

    if (options.heldTransactions) {
      describe('when a writer holds its transaction open while later appends commit', () => {
        it('waits for it, then delivers every event in order, skipping none', async () => {
          const hold = fixture.holdTransaction;
          if (!hold) throw new Error(`${name}: the contract runs with heldTransactions but the fixture has no holdTransaction`);
          const holdMs = options.holdMs ?? 2500;
          const head = await store.headPosition();
          const abort = new AbortController();
          const consumer = consume(store.subscribe({ after: head, signal: abort.signal }));

          const warm = await store.append(newStream('held'), events(1), { expectedVersion: 0 });
          await eventually(() => expect(ids(consumer.received)).toEqual(ids(warm.events)));

          const heldEvent = newEvent('HeldBack');
          const held = await hold(newStream('held'), heldEvent);
          const laterEvents = events(5, 'CommittedMeanwhile');
          let laterCommitted = false;
          const later = Promise.all(laterEvents.map((e) => store.append(newStream('held'), [e], { expectedVersion: 0 }))).then((r) => {
            laterCommitted = true;
            return r;
          });
          later.catch(() => undefined);

          // The scenario itself: the transaction stays open for a while; the subscriber must deliver
          // nothing past the warm-up event meanwhile, however often it is woken or polls.
          const releaseAt = Date.now() + holdMs;
          while (Date.now() < releaseAt) {
            expect(ids(consumer.received)).toEqual(ids(warm.events));
            await delay(50);
          }
          expect(ids(consumer.received)).toEqual(ids(warm.events));
          // Where transactions run concurrently (PostgreSQL) the later appends have committed by
          // now, yet gap-safe readers must not see them; where they serialize (PGlite) they wait.
          if (laterCommitted) {
            expect(await store.readAll({ after: warm.position })).toEqual([]);
            expect(await store.headPosition()).toBe(warm.position);
          }

          await held.commit();
          const committed = await later;
          const expectedIds = [...ids(warm.events), heldEvent.id, ...laterEvents.map((e) => e.id)];
          await eventually(() => expect(new Set(ids(consumer.received))).toEqual(new Set(expectedIds)));
          abort.abort();
          await consumer.ended;

          expect(consumer.received).toHaveLength(expectedIds.length);
          expectStrictlyIncreasing(consumer.received.map((e) => e.position));
          expect(consumer.received[1].id).toBe(heldEvent.id);
          expect(consumer.received).toEqual(await store.readAll({ after: head }));
          expect(consumer.received.slice(2).map((e) => e.position)).toEqual(
            committed.map((r) => r.position).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)),
          );
        }, TIMEOUT_MS);
      });
    }
  });
}
