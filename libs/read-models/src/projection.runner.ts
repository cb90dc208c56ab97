import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '@sped/event-store';
import { unavailableReason } from '@sped/event-store';
import { ProjectionCheckpoint } from './checkpoint.entity.js';
import type { Projection } from './projection.js';
import { ProjectionRebuilder, type RebuildOptions, type RebuildProgress, type RebuildResult } from './projection.rebuilder.js';

export interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** `paused`: held by a rebuild of this process for its last catch-up and swap. */
export type ProjectionState = 'starting' | 'running' | 'paused' | 'failed' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  position: string;
  error?: string;
}

/** The latest rebuild of a projection started by this process. */
export interface RebuildStatus {
  name: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  progress: RebuildProgress;
  error?: string;
}

export interface ProjectionRunnerOptions {
  batchSize?: number;
  /** Wait before retrying after the storage was unavailable (default 1 s). */
  retryDelayMs?: number;
  /** How often a failed projection looks whether a rebuild (maybe in another process) has reset it (default 5 s). */
  failedPollMs?: number;
}

interface Running {
  projection: Projection;
  state: ProjectionState;
  position: string;
  error?: string;
  done?: Promise<void>;
  pause?: AbortController;
  waiters: Array<{ position: bigint; resolve: () => void }>;
}

/** The stored checkpoint is not where this runner left it: a rebuild swapped the model, or another runner moved it. */
class CheckpointMovedError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: string,
    readonly found: { position: string; status: string } | null,
  ) {
    super(`The checkpoint of ${projection} moved from ${expected} to ${found?.position ?? 'nothing'} (${found?.status ?? 'missing'})`);
    this.name = 'CheckpointMovedError';
  }
}

/** Connection-level failures (database restarting, network) are retried; anything else stops the projection. */
function isTransient(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string };
  if (e?.name === 'EventStoreUnavailableError') return true;
  // A stalled database's query timeouts too: stopping the projection for them would need a rebuild to undo.
  if (unavailableReason(error) !== null) return true;
  if (typeof e?.code === 'string' && (/^08/.test(e.code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(e.code))) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}


/**
 * See ProjectionRunner.claim. `set_config(..., true)` is SET LOCAL; the subquery runs once, before the update. A
 * SELECT around it, because TypeORM answers a bare UPDATE with [rows, count].
 */
const CLAIM = `
  WITH claimed AS (
    UPDATE projection_checkpoint AS c SET position = $3::bigint, status = 'running', error = NULL, updated_at = now()
      FROM (SELECT set_config('synchronous_commit', 'off', true)) AS local_settings
     WHERE c.name = $1 AND c.position = $2::bigint AND c.status = 'running'
    RETURNING c.name)
  SELECT name FROM claimed`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs each projection from its own checkpoint: catch-up, then live. Every batch's rows and the
 * checkpoint are written in one transaction, so a crash at any point neither loses nor
 * double-applies an event. Each batch first locks its checkpoint row and checks it is where this runner
 * left it, so two runners of one projection (api and projector processes) never both apply a batch, and a
 * rebuild that swapped the model under a runner sends it on from the rebuilt position.
 * An event a projection cannot apply stops that projection loudly; it stays stopped until a rebuild (here or
 * in another process) resets its checkpoint, and then carries on by itself.
 */
export class ProjectionRunner {
  private readonly running = new Map<string, Running>();
  private readonly abort = new AbortController();
  private readonly rebuilds = new Map<string, RebuildStatus>();
  private readonly rebuildsInFlight = new Set<Promise<unknown>>();
  private rebuilder?: ProjectionRebuilder;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: Projection[],
    private readonly logger: RunnerLogger,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  start(): void {
    for (const projection of this.projections) {
      const r: Running = { projection, state: 'starting', position: '0', waiters: [] };
      this.running.set(projection.name, r);
      this.launch(r);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.rebuildsInFlight].map((p) => p.catch(() => undefined)));
    await Promise.all([...this.running.values()].map((r) => r.done));
    for (const r of this.running.values()) {
      if (r.state !== 'failed') r.state = 'stopped';
      this.settle(r);
    }
  }

  status(): ProjectionStatus[] {
    return [...this.running.values()].map((r) => ({ name: r.projection.name, state: r.state, position: r.position, ...(r.error ? { error: r.error } : {}) }));
  }

  /** The projections this runner runs, by name. */
  names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** Resolves when every running projection has applied `position` (or has failed). */
  async waitFor(position: string, signal?: AbortSignal): Promise<void> {
    const target = BigInt(position);
    await Promise.all(
      [...this.running.values()].map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.state === 'failed' || r.state === 'stopped' || BigInt(r.position) >= target) return resolve();
            r.waiters.push({ position: target, resolve });
            signal?.addEventListener('abort', () => resolve(), { once: true });
          }),
      ),
    );
  }

  /** Stops one projection after its current batch (for a rebuild's swap); `resume` starts it again from its checkpoint. */
  async pause(name: string): Promise<void> {
    const r = this.running.get(name);
    if (!r) return;
    r.pause?.abort();
    await r.done;
    if (!this.abort.signal.aborted) r.state = 'paused';
  }

  resume(name: string): void {
    const r = this.running.get(name);
    if (!r || r.state !== 'paused' || this.abort.signal.aborted) return;
    r.state = 'starting';
    this.launch(r);
  }

  /**
   * Rebuilds a projection into new tables and swaps them in when caught up (see ProjectionRebuilder); this
   * runner's projection is paused only for the last catch-up and the swap. Resolves once the rebuild has
   * started; `done` settles when the rebuilt model is live. Throws UnknownProjectionError or
   * RebuildAlreadyRunningError.
   */
  async startRebuild(name: string, options: RebuildOptions = {}): Promise<{ status: RebuildStatus; done: Promise<RebuildResult> }> {
    if (this.abort.signal.aborted) throw new Error('The projector is stopping');
    this.rebuilder ??= new ProjectionRebuilder(this.store, this.dataSource, this.projections, this.logger, { runner: this, batchSize: this.options.batchSize });
    const status: RebuildStatus = {
      name,
      status: 'running',
      startedAt: new Date().toISOString(),
      progress: { projection: name, phase: 'preparing', position: '0', head: '0', events: 0, eventsPerSecond: 0, elapsedMs: 0 },
    };
    const signal = options.signal ? AbortSignal.any([options.signal, this.abort.signal]) : this.abort.signal;
    const started = await this.rebuilder.start(name, {
      ...options,
      signal,
      onProgress: (p) => {
        status.progress = p;
        options.onProgress?.(p);
      },
    });
    this.rebuilds.set(name, status);
    const done = started.done.then(
      (result) => {
        status.status = 'succeeded';
        status.finishedAt = new Date().toISOString();
        return result;
      },
      (error: unknown) => {
        status.status = 'failed';
        status.finishedAt = new Date().toISOString();
        status.error = (error as Error)?.message ?? String(error);
        throw error;
      },
    );
    this.rebuildsInFlight.add(done);
    void done.catch(() => undefined).finally(() => this.rebuildsInFlight.delete(done));
    return { status, done };
  }

  /** Rebuilds a projection and resolves when the rebuilt model is live. */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    return (await this.startRebuild(name, options)).done;
  }

  /** The latest rebuild of each projection started by this runner. */
  rebuildStatus(): RebuildStatus[] {
    return [...this.rebuilds.values()].map((s) => ({ ...s, progress: { ...s.progress } }));
  }

  private launch(r: Running): void {
    r.pause = new AbortController();
    r.done = this.run(r, AbortSignal.any([this.abort.signal, r.pause.signal]));
  }

  private settle(r: Running) {
    const at = BigInt(r.position);
    const failed = r.state === 'failed' || r.state === 'stopped';
    r.waiters = r.waiters.filter((w) => {
      if (failed || w.position <= at) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  private async run(r: Running, signal: AbortSignal): Promise<void> {
    const { name } = r.projection;
    while (!signal.aborted) {
      try {
        const saved = await this.dataSource.getRepository(ProjectionCheckpoint).findOneBy({ name });
        if (saved?.status === 'failed') {
          if (r.state !== 'failed') {
            this.logger.error({ projection: name, position: saved.position, error: saved.error }, 'projection is stopped after a failure; rebuild it once the cause is fixed');
          }
          r.state = 'failed';
          r.position = saved.position;
          r.error = saved.error ?? 'failed earlier';
          this.settle(r);
          await sleep(this.options.failedPollMs ?? 5000, signal);
          continue;
        }
        r.position = saved?.position ?? '0';
        r.state = 'running';
        r.error = undefined;
        this.logger.info({ projection: name, position: r.position }, 'projection catching up');
        this.settle(r);
        for await (const batch of this.store.subscribe({ after: r.position, limit: this.options.batchSize ?? 500, signal })) {
          const fresh = batch.filter((e) => BigInt(e.position) > BigInt(r.position));
          if (fresh.length === 0) continue;
          await this.applyBatch(r, fresh);
          this.settle(r);
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CheckpointMovedError) {
          this.logger.info({ projection: name, from: error.expected, to: error.found?.position, status: error.found?.status }, 'projection checkpoint moved (rebuilt or run elsewhere); carrying on from it');
          continue;
        }
        if (isTransient(error)) {
          this.logger.warn({ projection: name, err: String(error) }, 'projection paused: storage unavailable, retrying');
          await sleep(this.options.retryDelayMs ?? 1000, signal);
          continue;
        }
        await this.fail(r, error);
        await sleep(this.options.failedPollMs ?? 5000, signal);
      }
    }
  }

  /**
   * Claims the batch: in one statement, locks this projection's checkpoint row for the batch's transaction, checks
   * nobody moved it, moves it to the batch's last position (undone with the batch if the batch fails) and turns
   * off the wait for the commit's WAL flush (ASYNC_COMMIT). One round trip where there were three.
   */
  private async claim(manager: EntityManager, r: Running, to: string): Promise<void> {
    const name = r.projection.name;
    const claimed = async () =>
      ((await manager.query(CLAIM, [name, r.position, to])) as unknown[]).length === 1;
    if (await claimed()) return;
    if (r.position === '0') {
      // The first batch ever: a row to claim (another runner may be creating it at the same moment).
      await manager.createQueryBuilder().insert().into(ProjectionCheckpoint).values({ name, position: '0', status: 'running', error: null, updatedAt: new Date() }).orIgnore().execute();
      if (await claimed()) return;
    }
    const row = await manager.getRepository(ProjectionCheckpoint).findOneBy({ name });
    throw new CheckpointMovedError(name, r.position, row ? { position: row.position, status: row.status } : null);
  }

  private async applyIn(r: Running, events: RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1].position;
    await this.dataSource.transaction(async (manager) => {
      await this.claim(manager, r, last);
      await r.projection.apply(manager, events);
    });
    r.position = last;
  }

  private async applyBatch(r: Running, events: RecordedEvent[]): Promise<void> {
    try {
      await this.applyIn(r, events);
    } catch (error) {
      if (error instanceof CheckpointMovedError || isTransient(error) || events.length === 1) throw error;
      // Find the event that cannot be applied: replay the batch one event at a time.
      for (const event of events) {
        try {
          await this.applyIn(r, [event]);
        } catch (single) {
          if (single instanceof CheckpointMovedError || isTransient(single)) throw single;
          throw Object.assign(single as Error, { event });
        }
      }
    }
  }

  private async fail(r: Running, error: unknown): Promise<void> {
    const event = (error as { event?: RecordedEvent }).event;
    const message = `${(error as Error)?.message ?? String(error)}${event ? ` (event ${event.id} ${event.type} at position ${event.position}, stream ${event.streamId})` : ''}`;
    r.state = 'failed';
    r.error = message;
    this.logger.error({ projection: r.projection.name, position: r.position, error: message }, 'projection stopped: an event could not be applied');
    try {
      await this.dataSource
        .getRepository(ProjectionCheckpoint)
        .upsert({ name: r.projection.name, position: r.position, status: 'failed', error: message, updatedAt: new Date() }, ['name']);
    } catch (saveError) {
      this.logger.error({ projection: r.projection.name, err: String(saveError) }, 'could not record the projection failure');
    }
    this.settle(r);
  }
}
