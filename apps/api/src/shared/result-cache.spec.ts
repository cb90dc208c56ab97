import { ResultCache } from './result-cache.js';

/** A computation the test finishes (or fails) when it chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

function setup(options: { maxAgeMs?: number; maxEntries?: number; maxWeight?: number; keepWarmMs?: number } = {}) {
  let time = 1_000_000;
  const started: Array<{ key: string; now: Date; done: ReturnType<typeof deferred<string>> }> = [];
  const errors: unknown[] = [];
  const cache = new ResultCache<string>({
    maxAgeMs: options.maxAgeMs ?? 1000,
    maxEntries: options.maxEntries ?? 10,
    maxWeight: options.maxWeight,
    weigh: (v) => v.length,
    clock: () => time,
    onBackgroundError: (_key, error) => errors.push(error),
    keepWarmMs: options.keepWarmMs,
  });
  const compute = (key: string) => (now: Date) => {
    const done = deferred<string>();
    started.push({ key, now, done });
    return done.promise;
  };
  const get = (key: string) => cache.get(key, compute(key));
  return { cache, started, errors, get, advance: (ms: number) => (time += ms), now: () => time };
}

describe('ResultCache', () => {
  it('runs one computation for concurrent requests of a key and hands every caller its result', async () => {
    const { cache, started, get, now } = setup();
    const calls = [get('a'), get('a'), get('a')];
    await settle();
    expect(started).toHaveLength(1);
    expect(started[0].now.getTime()).toBe(now());
    started[0].done.resolve('figures');
    const results = await Promise.all(calls);
    expect(results.map((r) => r.value)).toEqual(['figures', 'figures', 'figures']);
    expect(cache.stats()).toMatchObject({ computations: 1, joined: 2, hits: 0 });
  });

  it('keeps keys apart', async () => {
    const { started, get } = setup();
    const a = get('a');
    const b = get('b');
    await settle();
    expect(started.map((s) => s.key)).toEqual(['a', 'b']);
    started[0].done.resolve('A');
    started[1].done.resolve('B');
    expect((await a).value).toBe('A');
    expect((await b).value).toBe('B');
  });

  it('answers from the cache while young, refreshes in the background past half its life, and never serves past the limit', async () => {
    const { cache, started, get, advance } = setup({ maxAgeMs: 1000 });
    const first = get('a');
    await settle();
    started[0].done.resolve('v1');
    await first;

    advance(400);
    expect(await get('a')).toMatchObject({ value: 'v1', ageMs: 400 });
    expect(started).toHaveLength(1);

    advance(200); // 600 ms: past half its life, still served, a refresh starts
    expect(await get('a')).toMatchObject({ value: 'v1', ageMs: 600 });
    expect(started).toHaveLength(2);
    expect(await get('a')).toMatchObject({ value: 'v1' });
    expect(started).toHaveLength(2); // one refresh at a time

    advance(500); // 1100 ms: too old; the request waits for the refresh already running
    const waiting = get('a');
    await settle();
    expect(started).toHaveLength(2);
    started[1].done.resolve('v2');
    expect(await waiting).toMatchObject({ value: 'v2', ageMs: 500 });
    expect(cache.stats()).toMatchObject({ computations: 2, refreshes: 1, joined: 1 });
  });

  it('refreshes earlier when a computation takes long, so that it ends before the entry expires', async () => {
    const { started, get, advance } = setup({ maxAgeMs: 1000 });
    const first = get('a');
    await settle();
    advance(300); // the computation takes 300 ms: refresh from 1000 - 2 * 300 = 400 ms of age
    started[0].done.resolve('v1');
    await first;
    advance(150); // age 450
    await get('a');
    expect(started).toHaveLength(2);
  });

  it('computes anew when an entry expired and nothing runs', async () => {
    const { started, get, advance } = setup({ maxAgeMs: 1000 });
    const first = get('a');
    await settle();
    started[0].done.resolve('v1');
    await first;
    advance(1001);
    const again = get('a');
    await settle();
    expect(started).toHaveLength(2);
    started[1].done.resolve('v2');
    expect((await again).value).toBe('v2');
  });

  it('gives a failure to every waiter and keeps nothing of it', async () => {
    const { cache, started, get } = setup();
    const calls = [get('a'), get('a')];
    await settle();
    started[0].done.reject(new Error('database down'));
    for (const c of calls) await expect(c).rejects.toThrow('database down');
    expect(cache.stats().entries).toBe(0);
    const retry = get('a');
    await settle();
    expect(started).toHaveLength(2);
    started[1].done.resolve('v');
    expect((await retry).value).toBe('v');
  });

  it('keeps serving the cached answer when a background refresh fails, and reports the failure', async () => {
    const { started, errors, get, advance } = setup({ maxAgeMs: 1000 });
    const first = get('a');
    await settle();
    started[0].done.resolve('v1');
    await first;
    advance(600);
    await get('a');
    started[1].done.reject(new Error('timeout'));
    await settle();
    expect(errors).toEqual([new Error('timeout')]);
    advance(100);
    expect((await get('a')).value).toBe('v1');
  });

  it('drops the least recently used entries beyond maxEntries', async () => {
    const { cache, started, get } = setup({ maxEntries: 2 });
    const fill = async (key: string) => {
      const p = get(key);
      await settle();
      started.at(-1)!.done.resolve(key.toUpperCase());
      return p;
    };
    await fill('a');
    await fill('b');
    await get('a'); // a used after b
    await fill('c'); // b goes
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
    const count = started.length;
    await get('a');
    expect(started).toHaveLength(count);
    void get('b');
    await settle();
    expect(started).toHaveLength(count + 1);
  });

  it('drops entries to stay within maxWeight', async () => {
    const { cache, started, get } = setup({ maxWeight: 10 });
    const fill = async (key: string, value: string) => {
      const p = get(key);
      await settle();
      started.at(-1)!.done.resolve(value);
      return p;
    };
    await fill('a', 'xxxxxx');
    await fill('b', 'yyyyyy');
    expect(cache.stats()).toMatchObject({ entries: 1, weight: 6, evictions: 1 });
  });

  it('with maxAgeMs 0 keeps nothing but still shares a running computation', async () => {
    const { cache, started, get } = setup({ maxAgeMs: 0 });
    const calls = [get('a'), get('a')];
    await settle();
    started[0].done.resolve('v');
    await Promise.all(calls);
    expect(cache.stats()).toMatchObject({ computations: 1, joined: 1, entries: 0 });
    void get('a');
    await settle();
    expect(started).toHaveLength(2);
  });

  it('keeps an entry asked for recently fresh without requests, so a request after a quiet spell does not wait', async () => {
    const { cache, started, get, advance } = setup({ maxAgeMs: 1000, keepWarmMs: 5000 });
    const first = get('a');
    await settle();
    started[0].done.resolve('v1');
    await first;

    advance(400);
    expect(cache.tick()).toBe(0); // young: nothing to do
    advance(200); // age 600: past its refresh point, nobody asking
    expect(cache.tick()).toBe(1);
    expect(cache.tick()).toBe(0); // one refresh at a time
    await settle();
    started[1].done.resolve('v2');
    await settle();
    advance(900); // age of v2: 900; v1 would have expired by now
    const answer = await get('a');
    expect(answer).toMatchObject({ value: 'v2', ageMs: 900 });
    expect(started).toHaveLength(3); // v2 is past its refresh point: the request started one in the background
    expect(cache.stats()).toMatchObject({ joined: 0 });
  });

  it('stops keeping an entry warm once nobody asked for it within keepWarmMs (it then expires as usual)', async () => {
    const { cache, started, get, advance } = setup({ maxAgeMs: 1000, keepWarmMs: 1500 });
    const first = get('a');
    await settle();
    started[0].done.resolve('v1');
    await first;
    for (let t = 0; t < 3; t++) {
      advance(600);
      cache.tick();
      await settle();
      started.at(-1)?.done.resolve(`v${started.length}`);
      await settle();
    }
    expect(started).toHaveLength(3); // refreshed 600 and 1200 ms after the last request, not 1800 ms after
    advance(2000);
    expect(cache.tick()).toBe(0);
    const late = get('a'); // expired: this request waits for a computation
    await settle();
    expect(started).toHaveLength(4);
    started[3].done.resolve('v4');
    expect(await late).toMatchObject({ value: 'v4', ageMs: 0 });
  });

  it('warms an entry nobody asked for yet (e.g. at start-up), once', async () => {
    const { cache, started, get } = setup({ maxAgeMs: 1000, keepWarmMs: 5000 });
    cache.warm('a', (now) => Promise.resolve(`warm ${now.getTime()}`));
    cache.warm('a', () => Promise.resolve('again'));
    await settle();
    expect(await get('a')).toMatchObject({ value: 'warm 1000000', ageMs: 0 });
    expect(started).toHaveLength(0);
    expect(cache.stats()).toMatchObject({ computations: 1, hits: 1 });
  });

  it('never keeps anything warm without keepWarmMs', async () => {
    const { cache, started, get, advance } = setup({ maxAgeMs: 1000 });
    const first = get('a');
    await settle();
    started[0].done.resolve('v1');
    await first;
    advance(700);
    expect(cache.tick()).toBe(0);
    expect(started).toHaveLength(1);
  });
});
