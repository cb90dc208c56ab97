import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from './testing/index.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { StreamEventCache } from './stream-event-cache.js';
import type { EventStore, NewEvent } from './event-store.js';

const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'SessionHeld', data: { n }, metadata: { actor: { userId: 'u', role: 'executor' }, occurredAt: '2026-03-02T04:00:00.000Z' } });

let db: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('stream_event_cache');
  store = await PostgresEventStore.create({ connectionString: db.connectionString });
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

/** Records what each read asked the store for. */
function counting(inner: EventStore) {
  const asked: Array<number | undefined> = [];
  return {
    asked,
    store: { readStream: (id: string, o?: { fromVersion?: number }) => (asked.push(o?.fromVersion), inner.readStream(id, o)) },
  };
}

describe('StreamEventCache', () => {
  it('reads a stream once, then only its newer events, and always answers what the store holds', async () => {
    const id = `case-${randomUUID()}`;
    await store.append(id, [event(1), event(2), event(3)], { expectedVersion: 0 });
    const { asked, store: s } = counting(store);
    const cache = new StreamEventCache(s, 100);
    expect((await cache.read(id)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect((await cache.read(id)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    await store.append(id, [event(4), event(5)], { expectedVersion: 3 });
    const after = await cache.read(id);
    expect(after.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(after).toEqual(await store.readStream(id));
    // Whole stream once; then from the version after the kept ones.
    expect(asked).toEqual([undefined, 4, 4]);
    expect(cache.snapshotStats()).toMatchObject({ streams: 1, events: 5, hits: 2, misses: 1 });
  });

  it('hands out copies: a caller changing its array does not change what is kept', async () => {
    const id = `case-${randomUUID()}`;
    await store.append(id, [event(1), event(2)], { expectedVersion: 0 });
    const cache = new StreamEventCache(store, 100);
    const first = await cache.read(id);
    first.pop();
    expect((await cache.read(id)).length).toBe(2);
  });

  it('keeps at most maxEvents events, dropping the least recently read streams, and never a stream larger than that', async () => {
    const ids = [`case-${randomUUID()}`, `case-${randomUUID()}`, `case-${randomUUID()}`];
    for (const id of ids) await store.append(id, [event(1), event(2), event(3), event(4)], { expectedVersion: 0 });
    const big = `case-${randomUUID()}`;
    await store.append(big, Array.from({ length: 12 }, (_, i) => event(i)), { expectedVersion: 0 });
    const { asked, store: s } = counting(store);
    const cache = new StreamEventCache(s, 10);
    for (const id of ids) await cache.read(id);
    expect(cache.snapshotStats()).toMatchObject({ streams: 2, events: 8 });
    asked.length = 0;
    await cache.read(ids[2]);
    await cache.read(ids[0]);
    expect(asked).toEqual([5, undefined]);
    expect((await cache.read(big)).length).toBe(12);
    expect(cache.snapshotStats().events).toBeLessThanOrEqual(10);
    expect(await cache.read(`case-${randomUUID()}`)).toEqual([]);
    expect(cache.snapshotStats().events).toBeLessThanOrEqual(10);
  });
});
