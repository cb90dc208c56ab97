/**
 * An in-process cache of computed results (an expensive report, say), one entry per query shape.
 *
 * - **Single flight**: while a key's computation runs, every request for that key waits for it instead of
 *   starting its own.
 * - **Bounded staleness**: an answer is served at most `maxAgeMs` after its computation *started* (the instant
 *   its figures describe). A request arriving later waits for a new computation (or joins the one running).
 * - **Stale while revalidate**: once an entry is past its refresh point (half its life, or earlier when the
 *   computation is slow: it should be done before the entry expires) the next request still gets it at once
 *   and starts one computation in the background.
 * - **Bounded size**: at most `maxEntries` entries and `maxWeight` in total (the caller weighs a value, e.g.
 *   by its number of rows); the least recently used go first.
 * - **Kept warm** (`keepWarmMs` > 0): an entry requested within the last `keepWarmMs` is refreshed in the
 *   background when due even if no request comes (`tick`, run every `tickMs` once `keepWarm()` started the
 *   timer), so that a shape in use is never found expired: only its first request waits for a computation.
 *
 * Failed computations are not cached: their waiters get the error; a failed background refresh leaves the
 * entry as it was (it still expires at its age limit) and is reported to `onBackgroundError`.
 * `maxAgeMs` 0 keeps nothing: only requests arriving while a computation runs share it.
 */
export interface ResultCacheOptions<V> {
  maxAgeMs: number;
  maxEntries: number;
  /** Upper bound on the sum of `weigh(value)` over the entries (default: no bound beyond maxEntries). */
  maxWeight?: number;
  weigh?: (value: V) => number;
  clock?: () => number;
  onBackgroundError?: (key: string, error: unknown) => void;
  /** Entries requested within this long are refreshed when due without waiting for a request (default 0: never). */
  keepWarmMs?: number;
}

export interface CachedResult<V> {
  value: V;
  /** When the computation that produced `value` started (ms since the epoch): the instant the figures describe. */
  computedAt: number;
  /** How old the figures were when this answer was handed out (ms). */
  ageMs: number;
}

export interface ResultCacheStats {
  /** Calls of get. */
  requests: number;
  /** Computations started (requests that found nothing usable, plus background refreshes). */
  computations: number;
  /** Of those, refreshes started in the background while a usable answer was served. */
  refreshes: number;
  /** Requests answered from an entry within its age limit. */
  hits: number;
  /** Requests that waited for a computation another request had started. */
  joined: number;
  /** Entries dropped to stay within maxEntries / maxWeight. */
  evictions: number;
  entries: number;
  weight: number;
}

interface Computed<V> {
  value: V;
  computedAt: number;
  durationMs: number;
  weight: number;
}

interface Entry<V> {
  current?: Computed<V>;
  inflight?: Promise<Computed<V>>;
  /** When a request (or `warm`) last asked for it, and how to compute it again (for keeping it warm). */
  askedAt?: number;
  compute?: (now: Date) => Promise<V>;
}

export class ResultCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private totalWeight = 0;
  private readonly counters = { requests: 0, computations: 0, refreshes: 0, hits: 0, joined: 0, evictions: 0 };
  private readonly clock: () => number;
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly options: ResultCacheOptions<V>) {
    if (!(options.maxAgeMs >= 0) || !(options.maxEntries >= 1)) throw new RangeError('maxAgeMs must be >= 0 and maxEntries >= 1');
    this.clock = options.clock ?? Date.now;
  }

  get maxAgeMs() {
    return this.options.maxAgeMs;
  }

  stats(): ResultCacheStats {
    return { ...this.counters, entries: this.entries.size, weight: this.totalWeight };
  }

  /** The answer for `key`: cached if young enough, else computed by `compute(now)` (once for all concurrent callers). */
  async get(key: string, compute: (now: Date) => Promise<V>): Promise<CachedResult<V>> {
    this.counters.requests++;
    const now = this.clock();
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    if (entry) {
      entry.askedAt = now;
      entry.compute = compute;
    }
    const current = entry?.current;
    if (entry && current && now - current.computedAt <= this.options.maxAgeMs) {
      this.counters.hits++;
      if (!entry.inflight && now - current.computedAt >= this.refreshAfter(current)) {
        this.counters.refreshes++;
        this.start(key, entry, compute).catch((error: unknown) => this.options.onBackgroundError?.(key, error));
      }
      return { value: current.value, computedAt: current.computedAt, ageMs: now - current.computedAt };
    }
    let done: Computed<V>;
    if (entry?.inflight) {
      this.counters.joined++;
      done = await entry.inflight;
    } else {
      if (!entry) {
        entry = { askedAt: now, compute };
        this.entries.set(key, entry);
        this.evict(entry);
      }
      done = await this.start(key, entry, compute);
    }
    return { value: done.value, computedAt: done.computedAt, ageMs: Math.max(0, this.clock() - done.computedAt) };
  }

  /**
   * Starts computing `key` in the background unless it is cached or being computed (e.g. a report most users
   * open, at start-up); it then counts as asked for now, so `keepWarmMs` keeps it fresh for that long.
   */
  warm(key: string, compute: (now: Date) => Promise<V>): void {
    const now = this.clock();
    let entry = this.entries.get(key);
    if (entry?.current || entry?.inflight) return;
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
      this.evict(entry);
    }
    entry.askedAt = now;
    entry.compute = compute;
    this.counters.refreshes++;
    this.start(key, entry, compute).catch((error: unknown) => this.options.onBackgroundError?.(key, error));
  }

  /**
   * Refreshes in the background every entry asked for within `keepWarmMs` whose answer is past its refresh
   * point (see `refreshAfter`) and not already being recomputed. Returns how many refreshes it started.
   */
  tick(): number {
    const keepWarmMs = this.options.keepWarmMs ?? 0;
    if (keepWarmMs <= 0 || this.options.maxAgeMs <= 0) return 0;
    const now = this.clock();
    let started = 0;
    for (const [key, entry] of this.entries) {
      const current = entry.current;
      if (!current || entry.inflight || !entry.compute || entry.askedAt === undefined || now - entry.askedAt > keepWarmMs) continue;
      if (now - current.computedAt < this.refreshAfter(current)) continue;
      this.counters.refreshes++;
      started++;
      this.start(key, entry, entry.compute).catch((error: unknown) => this.options.onBackgroundError?.(key, error));
    }
    return started;
  }

  /** Runs `tick` every `tickMs` (the timer does not keep the process alive) until `close`. */
  keepWarm(tickMs: number): void {
    if ((this.options.keepWarmMs ?? 0) <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref?.();
  }

  /** Stops the keep-warm timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Forgets every entry (computations running finish for their waiters but are not kept). */
  clear() {
    this.entries.clear();
    this.totalWeight = 0;
  }

  /** Age at which a background refresh starts: half the life, earlier when a computation takes long, so it ends before expiry. */
  private refreshAfter(c: Computed<V>) {
    return Math.max(0, Math.min(this.options.maxAgeMs / 2, this.options.maxAgeMs - 2 * c.durationMs));
  }

  private start(key: string, entry: Entry<V>, compute: (now: Date) => Promise<V>): Promise<Computed<V>> {
    this.counters.computations++;
    const startedAt = this.clock();
    const promise: Promise<Computed<V>> = Promise.resolve()
      .then(() => compute(new Date(startedAt)))
      .then((value) => {
        const done: Computed<V> = { value, computedAt: startedAt, durationMs: Math.max(0, this.clock() - startedAt), weight: this.options.weigh?.(value) ?? 1 };
        const kept = this.entries.get(key) === entry;
        if (kept && this.options.maxAgeMs > 0 && (!entry.current || entry.current.computedAt <= done.computedAt)) {
          this.totalWeight += done.weight - (entry.current?.weight ?? 0);
          entry.current = done;
          this.evict(entry);
        }
        return done;
      })
      .finally(() => {
        if (entry.inflight === promise) entry.inflight = undefined;
        // An entry with nothing kept and nothing running holds no answer: drop it.
        if (!entry.current && !entry.inflight && this.entries.get(key) === entry) this.entries.delete(key);
      });
    entry.inflight = promise;
    return promise;
  }

  /** Drops least recently used entries (never `keep`) until the bounds hold. */
  private evict(keep: Entry<V>) {
    const maxWeight = this.options.maxWeight ?? Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.totalWeight <= maxWeight) return;
      if (entry === keep) continue;
      this.entries.delete(key);
      this.totalWeight -= entry.current?.weight ?? 0;
      this.counters.evictions++;
    }
  }
}
