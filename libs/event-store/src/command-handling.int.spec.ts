import { createTestDatabase, type TestDatabase } from './testing/index.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { executeCommand, IdempotencyKeyReusedError, PreconditionFailedError, StreamStateCache, type ExecuteOptions } from './command-handling.js';
import { verifyStream } from './hash-chain.js';
import type { EventStore, RecordedEvent } from './event-store.js';

/**
 * The command pipeline with kept states, on the real PostgreSQL store. Two caches over one store stand for two
 * api processes: each keeps what it last saw of a stream, and the other moves the stream on behind its back.
 * The aggregate is a counter that must be opened first and can be closed.
 */
interface Counter {
  opened: boolean;
  closed: boolean;
  count: number;
}
type Command = 'open' | 'increment' | 'close';

class Refused extends Error {}

const initial: Counter = { opened: false, closed: false, count: 0 };

function fold(events: RecordedEvent[], state: Counter = initial): Counter {
  let s = state;
  for (const e of events) {
    if (e.type === 'Opened') s = { ...s, opened: true };
    if (e.type === 'Incremented') s = { ...s, count: s.count + 1 };
    if (e.type === 'Closed') s = { ...s, closed: true };
  }
  return s;
}

function decide(command: Command, s: Counter) {
  const meta = { actor: { userId: 'u', role: 'clerk' }, occurredAt: '2026-03-02T04:00:00.000Z' };
  if (command === 'open') return s.opened ? [] : [{ type: 'Opened', data: {}, metadata: meta }];
  if (!s.opened) throw new Refused('not opened');
  if (s.closed) throw new Refused('closed');
  return [{ type: command === 'close' ? 'Closed' : 'Incremented', data: {}, metadata: meta }];
}

/** Counts the stream reads a command makes. */
function counting(store: EventStore) {
  const calls = { reads: 0 };
  const wrapped = Object.create(store) as EventStore;
  wrapped.readStream = (...args) => {
    calls.reads++;
    return store.readStream(...args);
  };
  return { store: wrapped, calls };
}

let db: TestDatabase;
let base: PostgresEventStore;
let n = 0;
const newStream = () => `counter-${process.pid}-${++n}`;

beforeAll(async () => {
  db = await createTestDatabase('command_pipeline');
  base = await PostgresEventStore.create({ connectionString: db.connectionString });
});
afterAll(async () => {
  await base?.close();
  await db?.drop();
});

function run(store: EventStore, cache: StreamStateCache<Counter> | undefined, streamId: string, command: Command, extra: Partial<ExecuteOptions<Counter>> = {}) {
  return executeCommand<Counter>({ store, aggregateId: streamId, streamId, fold, decide: (s) => decide(command, s), cache, ...extra });
}

describe('executeCommand with kept stream states', () => {
  it('decides on the kept state without reading the stream again, and the hash chain runs on unbroken', async () => {
    const { store, calls } = counting(base);
    const cache = new StreamStateCache<Counter>();
    const id = newStream();
    await run(store, cache, id, 'open');
    expect(calls.reads).toBe(1);
    for (let i = 0; i < 5; i++) await run(store, cache, id, 'increment');
    expect(calls.reads).toBe(1);
    expect(cache.snapshotStats()).toMatchObject({ streams: 1, hits: 5, misses: 1, catchUps: 0 });
    const events = await base.readStream(id);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(verifyStream(id, events).ok).toBe(true);
  });

  it('refuses on the current state, not on a kept one that another process has moved on (closed there)', async () => {
    const a = counting(base);
    const cacheA = new StreamStateCache<Counter>();
    const id = newStream();
    await run(a.store, cacheA, id, 'open');
    await run(base, new StreamStateCache(), id, 'close');
    // A's kept state says open: the append with A's version conflicts, A reads the close and refuses.
    await expect(run(a.store, cacheA, id, 'increment')).rejects.toThrow(Refused);
    expect((await base.readStream(id)).map((e) => e.type)).toEqual(['Opened', 'Closed']);
    expect(cacheA.snapshotStats().catchUps).toBe(1);
  });

  it('accepts what the current state allows even when the kept state would refuse it (opened elsewhere)', async () => {
    const cacheA = new StreamStateCache<Counter>();
    const id = newStream();
    // A keeps the empty stream (a no-op "open" of an already opened stream would not do: the stream is new).
    await expect(run(base, cacheA, id, 'increment')).rejects.toThrow('not opened');
    await run(base, new StreamStateCache(), id, 'open');
    const result = await run(base, cacheA, id, 'increment');
    expect(result.streamVersion).toBe(2);
    expect((await base.readStream(id)).map((e) => e.type)).toEqual(['Opened', 'Incremented']);
  });

  it('answers nothing-to-do only from the current state', async () => {
    const cacheA = new StreamStateCache<Counter>();
    const id = newStream();
    await run(base, cacheA, id, 'open');
    await run(base, new StreamStateCache(), id, 'increment');
    const noop = await run(base, cacheA, id, 'open');
    expect(noop.events).toEqual([]);
    expect(noop.streamVersion).toBe(2);
  });

  it('checks If-Match against the current version, not the kept one', async () => {
    const cacheA = new StreamStateCache<Counter>();
    const id = newStream();
    await run(base, cacheA, id, 'open');
    await run(base, new StreamStateCache(), id, 'increment');
    // The client saw version 2 (from the other process): A must not answer 412 from its kept version 1.
    const ok = await run(base, cacheA, id, 'increment', { ifMatch: 2 });
    expect(ok.streamVersion).toBe(3);
    await expect(run(base, cacheA, id, 'increment', { ifMatch: 2 })).rejects.toThrow(PreconditionFailedError);
  });

  it('answers a retried Idempotency-Key with the first result when another process stored it', async () => {
    const cacheA = new StreamStateCache<Counter>();
    const cacheB = new StreamStateCache<Counter>();
    const id = newStream();
    await run(base, cacheA, id, 'open');
    await run(base, cacheB, id, 'open');
    const idempotency = { key: 'k-1', userId: 'u', requestHash: 'h-1' };
    const first = await run(base, cacheA, id, 'increment', { idempotency });
    // B still keeps version 1, without the key: its append of the same event ids finds them stored.
    const again = await run(base, cacheB, id, 'increment', { idempotency });
    expect(again.replayed).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(again.streamVersion).toBe(first.streamVersion);
    expect((await base.readStream(id)).map((e) => e.type)).toEqual(['Opened', 'Incremented']);
    // And from the kept state, without a read, in the process that stored it.
    const { store, calls } = counting(base);
    expect((await run(store, cacheA, id, 'increment', { idempotency })).replayed).toBe(true);
    expect(calls.reads).toBe(0);
    // The same key with another request is refused, in either process.
    await expect(run(base, cacheA, id, 'increment', { idempotency: { ...idempotency, requestHash: 'h-2' } })).rejects.toThrow(IdempotencyKeyReusedError);
    await expect(run(base, new StreamStateCache(), id, 'increment', { idempotency: { ...idempotency, requestHash: 'h-2' } })).rejects.toThrow(IdempotencyKeyReusedError);
  });

  it('stores every command of concurrent writers once, in two processes with kept states', async () => {
    const caches = [new StreamStateCache<Counter>(), new StreamStateCache<Counter>()];
    const id = newStream();
    await run(base, caches[0], id, 'open');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => run(base, caches[i % 2], id, 'increment', { maxRetries: 100 })));
    const events = await base.readStream(id);
    expect(events.length).toBe(41);
    expect(new Set(results.map((r) => r.streamVersion)).size).toBe(40);
    expect(verifyStream(id, events).ok).toBe(true);
    expect(fold(events).count).toBe(40);
  });

  it('keeps at most maxStreams states, dropping the least recently used', async () => {
    const { store, calls } = counting(base);
    const cache = new StreamStateCache<Counter>(2);
    const [x, y, z] = [newStream(), newStream(), newStream()];
    for (const id of [x, y, z]) await run(store, cache, id, 'open');
    expect(cache.snapshotStats().streams).toBe(2);
    calls.reads = 0;
    await run(store, cache, z, 'increment');
    expect(calls.reads).toBe(0);
    await run(store, cache, x, 'increment');
    expect(calls.reads).toBe(1);
  });

  it('reads the stream for every command without a cache, as before', async () => {
    const { store, calls } = counting(base);
    const id = newStream();
    await run(store, undefined, id, 'open');
    await run(store, undefined, id, 'increment');
    expect(calls.reads).toBe(2);
  });
});
