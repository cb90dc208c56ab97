import type { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent } from '@sped/event-store';
import { ProjectionCheckpoint } from './checkpoint.entity.js';
import type { Projection } from './projection.js';

export interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type ProjectionState = 'starting' | 'running' | 'failed' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  position: string;
  error?: string;
}

interface Running {
  projection: Projection;
  state: ProjectionState;
  position: string;
  error?: string;
  done?: Promise<void>;
  waiters: Array<{ position: bigint; resolve: () => void }>;
}

/** Connection-level failures (database restarting, network) are retried; anything else stops the projection. */
function isTransient(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string };
  if (e?.name === 'EventStoreUnavailableError') return true;
  if (typeof e?.code === 'string' && (/^08/.test(e.code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(e.code))) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}

/**
 * Runs each projection from its own checkpoint: catch-up, then live. Every batch's rows and the
 * checkpoint are written in one transaction, so a crash at any point neither loses nor
 * double-applies an event. An event a projection cannot apply stops that projection loudly.
 */
export class ProjectionRunner {
  private readonly running = new Map<string, Running>();
  private readonly abort = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: Projection[],
    private readonly logger: RunnerLogger,
    private readonly options: { batchSize?: number; retryDelayMs?: number } = {},
  ) {}

  start(): void {
    for (const projection of this.projections) {
      const r: Running = { projection, state: 'starting', position: '0', waiters: [] };
      this.running.set(projection.name, r);
      r.done = this.run(r);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
    for (const r of this.running.values()) if (r.state !== 'failed') r.state = 'stopped';
  }

  status(): ProjectionStatus[] {
    return [...this.running.values()].map((r) => ({ name: r.projection.name, state: r.state, position: r.position, ...(r.error ? { error: r.error } : {}) }));
  }

  /** Resolves when every running projection has applied `position` (or has failed). */
  async waitFor(position: string, signal?: AbortSignal): Promise<void> {
    const target = BigInt(position);
    await Promise.all(
      [...this.running.values()].map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.state === 'failed' || BigInt(r.position) >= target) return resolve();
            r.waiters.push({ position: target, resolve });
            signal?.addEventListener('abort', () => resolve(), { once: true });
          }),
      ),
    );
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

  private async run(r: Running): Promise<void> {
    const { name } = r.projection;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const saved = await this.dataSource.getRepository(ProjectionCheckpoint).findOneBy({ name });
        if (saved?.status === 'failed') {
          r.state = 'failed';
          r.position = saved.position;
          r.error = saved.error ?? 'failed earlier';
          this.logger.error({ projection: name, position: r.position, error: r.error }, 'projection is stopped after a failure; rebuild or fix and reset it');
          this.settle(r);
          return;
        }
        r.position = saved?.position ?? '0';
        r.state = 'running';
        this.logger.info({ projection: name, position: r.position }, 'projection catching up');
        for await (const batch of this.store.subscribe({ after: r.position, limit: this.options.batchSize ?? 500, signal })) {
          const fresh = batch.filter((e) => BigInt(e.position) > BigInt(r.position));
          if (fresh.length === 0) continue;
          await this.applyBatch(r, fresh);
          this.settle(r);
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (isTransient(error)) {
          this.logger.warn({ projection: name, err: String(error) }, 'projection paused: storage unavailable, retrying');
          await new Promise((res) => setTimeout(res, this.options.retryDelayMs ?? 1000));
          continue;
        }
        await this.fail(r, error);
        return;
      }
    }
  }

  private async applyBatch(r: Running, events: RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1].position;
    try {
      await this.dataSource.transaction(async (manager) => {
        await r.projection.apply(manager, events);
        await manager.upsert(ProjectionCheckpoint, { name: r.projection.name, position: last, status: 'running', error: null, updatedAt: new Date() }, ['name']);
      });
      r.position = last;
    } catch (error) {
      if (isTransient(error) || events.length === 1) throw error;
      // Find the event that cannot be applied: replay the batch one event at a time.
      for (const event of events) {
        try {
          await this.dataSource.transaction(async (manager) => {
            await r.projection.apply(manager, [event]);
            await manager.upsert(ProjectionCheckpoint, { name: r.projection.name, position: event.position, status: 'running', error: null, updatedAt: new Date() }, ['name']);
          });
          r.position = event.position;
        } catch (single) {
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
