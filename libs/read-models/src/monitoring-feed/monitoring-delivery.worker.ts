import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { deterministicUuid } from '@sped/event-store';
import type { RunnerLogger } from '../projection.runner.js';
import { MonitoringStageRecord } from './monitoring-feed.entity.js';
import { stageRecordView, type StageRecordView } from './monitoring-feed.queries.js';

export interface MonitoringDeliveryOptions {
  /** Where the monitoring system takes stage records (MONITORING_URL). */
  url: string;
  /** Records per POST (default 50). */
  batchSize?: number;
  /** Bound on one POST, answer included (default 10 s); then it is aborted and counts as failed. */
  attemptTimeoutMs?: number;
  /** First retry delay (default 1 s); doubles per failed attempt of the batch, with jitter. */
  retryBaseMs?: number;
  /** Cap on the retry delay (default 60 s). */
  retryMaxMs?: number;
  /** How often to look for new records when there are none (default 1 s). */
  idlePollMs?: number;
  /** How long the delivering process holds the lease between renewals (default attemptTimeoutMs + 30 s). */
  leaseMs?: number;
  /** Lease owner name (default a random id per worker). */
  owner?: string;
  fetch?: typeof fetch;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
}

export interface DeliveryBatchBody {
  /** Also sent as the Idempotency-Key header; a retry of the batch carries the same id and the same records. */
  batchId: string;
  records: StageRecordView[];
}

export interface MonitoringDeliveryStatus {
  state: 'idle' | 'running' | 'standby' | 'stopped';
  /** Failed attempts of the current batch since this worker last delivered one. */
  consecutiveFailures: number;
  lastError: string | null;
}

const LEASE = 'monitoring-delivery';

/**
 * Retry delay after the `failures`-th failed attempt: exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so retries of many workers do not fall in step.
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

interface Claimed {
  batchId: string;
  records: StageRecordView[];
  /** Attempts already made on this batch. */
  attempts: number;
}

type Outcome = { ok: true; status: number } | { ok: false; status?: number; error: string };

/** Receivers' answers and error texts on one line, bounded, without control characters. */
const oneLine = (s: string, max = 300) =>
  [...s]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, max);

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.message ?? e?.cause?.code;
  return oneLine(`${e?.message ?? String(error)}${cause ? `: ${cause}` : ''}`);
}

/**
 * Sends the monitoring feed's undelivered records to MONITORING_URL, in cursor order, one batch at a
 * time: a batch is resent (same id, same records) until the receiver accepts it with a 2xx, and only
 * then is the next one sent. Each record's status (pending, failed, delivered; attempts, last error)
 * is kept in `monitoring_delivery`. Of several processes only the holder of a lease delivers.
 * Delivery is at least once: a batch accepted whose answer was lost is sent again under its key.
 */
export class MonitoringDeliveryWorker {
  private readonly o: Required<Omit<MonitoringDeliveryOptions, 'fetch' | 'random' | 'leaseMs' | 'owner'>> & { leaseMs: number; owner: string };
  private readonly fetch: typeof fetch;
  private readonly random: () => number;
  private readonly target: string;
  private loop?: Promise<void>;
  private stopping = false;
  private wakeUp?: () => void;
  private current: MonitoringDeliveryStatus = { state: 'idle', consecutiveFailures: 0, lastError: null };

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: RunnerLogger,
    options: MonitoringDeliveryOptions,
  ) {
    const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
    this.o = {
      url: options.url,
      batchSize: options.batchSize ?? 50,
      attemptTimeoutMs,
      retryBaseMs: options.retryBaseMs ?? 1_000,
      retryMaxMs: options.retryMaxMs ?? 60_000,
      idlePollMs: options.idlePollMs ?? 1_000,
      leaseMs: options.leaseMs ?? attemptTimeoutMs + 30_000,
      owner: options.owner ?? randomUUID(),
    };
    this.fetch = options.fetch ?? globalThis.fetch;
    this.random = options.random ?? Math.random;
    // Logged without query string or credentials.
    const u = new URL(options.url);
    this.target = `${u.origin}${u.pathname}`;
  }

  start(): void {
    if (this.loop || this.stopping) return;
    this.current.state = 'running';
    this.logger.info({ target: this.target, owner: this.o.owner, batchSize: this.o.batchSize }, 'monitoring delivery started');
    this.loop = this.run();
  }

  /** Look for records now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  status(): MonitoringDeliveryStatus {
    return { ...this.current };
  }

  /** Lets an attempt in flight finish (it is bounded by attemptTimeoutMs), then releases the lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    if (!this.loop) {
      this.current.state = 'stopped';
      return;
    }
    await this.loop;
    try {
      await this.dataSource.query('DELETE FROM monitoring_delivery_lease WHERE name = $1 AND owner = $2', [LEASE, this.o.owner]);
    } catch (error) {
      this.logger.warn({ err: describe(error) }, 'monitoring delivery: could not release the lease; it expires by itself');
    }
    this.current.state = 'stopped';
    this.logger.info({ owner: this.o.owner }, 'monitoring delivery stopped');
  }

  private async run(): Promise<void> {
    let storageFailures = 0;
    while (!this.stopping) {
      let wait: number;
      try {
        wait = await this.step();
        storageFailures = 0;
      } catch (error) {
        storageFailures++;
        wait = backoffDelay(storageFailures, this.o.retryBaseMs, this.o.retryMaxMs, this.random);
        this.logger.warn({ err: describe(error), retryInMs: wait }, 'monitoring delivery paused: the read-model database failed');
      }
      if (wait > 0 && !this.stopping) await this.sleep(wait);
    }
  }

  /** One round: how long to wait before the next (0 = at once). */
  private async step(): Promise<number> {
    if (!(await this.holdLease())) {
      if (this.current.state !== 'standby') this.logger.info({ owner: this.o.owner }, 'monitoring delivery on standby: another process holds the lease');
      this.current.state = 'standby';
      return this.o.idlePollMs;
    }
    this.current.state = 'running';
    const batch = await this.claim();
    if (!batch) return this.o.idlePollMs;
    const attempt = batch.attempts + 1;
    const range = { batchId: batch.batchId, records: batch.records.length, fromCursor: batch.records[0].cursor, toCursor: batch.records[batch.records.length - 1].cursor, attempt };
    const outcome = await this.post(batch);
    if (outcome.ok) {
      await this.dataSource.query(
        `UPDATE monitoring_delivery SET status = 'delivered', attempts = attempts + 1, last_attempt_at = now(), delivered_at = now(), last_error = NULL
          WHERE batch_id = $1 AND status <> 'delivered'`,
        [batch.batchId],
      );
      this.current = { ...this.current, consecutiveFailures: 0, lastError: null };
      this.logger.info({ ...range, status: outcome.status }, 'monitoring batch delivered');
      return 0;
    }
    await this.dataSource.query(
      `UPDATE monitoring_delivery SET status = 'failed', attempts = attempts + 1, last_attempt_at = now(), last_error = $2
        WHERE batch_id = $1 AND status <> 'delivered'`,
      [batch.batchId, outcome.error],
    );
    const retryInMs = backoffDelay(attempt, this.o.retryBaseMs, this.o.retryMaxMs, this.random);
    this.current = { ...this.current, consecutiveFailures: this.current.consecutiveFailures + 1, lastError: outcome.error };
    this.logger.warn({ ...range, status: outcome.status, error: outcome.error, retryInMs }, 'monitoring batch not accepted; will resend it');
    return retryInMs;
  }

  /** Takes or renews the lease; false while another live process holds it. */
  private async holdLease(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO monitoring_delivery_lease (name, owner, expires_at) VALUES ($1, $2, now() + $3::double precision * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE monitoring_delivery_lease.owner = EXCLUDED.owner OR monitoring_delivery_lease.expires_at < now()
       RETURNING owner`,
      [LEASE, this.o.owner, this.o.leaseMs],
    );
    return rows.length === 1;
  }

  /**
   * The earliest undelivered records: the batch they were already sent in (resent as it was), or else a
   * new batch of up to batchSize feed records after the last one ever batched. Batched records are a
   * prefix of the feed in cursor order, so nothing is skipped and nothing overtakes.
   */
  private async claim(): Promise<Claimed | null> {
    const claimed = await this.dataSource.transaction(async (m) => {
      const [open]: Array<{ batch_id: string }> = await m.query(
        `SELECT batch_id FROM monitoring_delivery WHERE status <> 'delivered' ORDER BY cursor LIMIT 1`,
      );
      if (open) {
        const again: Array<{ record_id: string; attempts: number }> = await m.query(
          `SELECT record_id, attempts FROM monitoring_delivery WHERE batch_id = $1 AND status <> 'delivered' ORDER BY cursor`,
          [open.batch_id],
        );
        return { batchId: open.batch_id, ids: again.map((r) => r.record_id), attempts: Math.max(...again.map((r) => Number(r.attempts))) };
      }
      const fresh: Array<{ record_id: string; cursor: string }> = await m.query(
        `SELECT record_id, cursor FROM monitoring_feed
          WHERE cursor > COALESCE((SELECT max(cursor) FROM monitoring_delivery), 0)
          ORDER BY cursor LIMIT $1`,
        [this.o.batchSize],
      );
      if (fresh.length === 0) return null;
      const ids = fresh.map((r) => r.record_id);
      const batchId = deterministicUuid('monitoring-batch', ...ids);
      await m.query(
        `INSERT INTO monitoring_delivery (record_id, cursor, status, attempts, batch_id)
         SELECT unnest($1::uuid[]), unnest($2::bigint[]), 'pending', 0, $3
         ON CONFLICT DO NOTHING`,
        [ids, fresh.map((r) => String(r.cursor)), batchId],
      );
      return { batchId, ids, attempts: 0 };
    });
    if (!claimed) return null;
    const rows = await this.dataSource.getRepository(MonitoringStageRecord).find({ where: { recordId: In(claimed.ids) }, order: { cursor: 'ASC' } });
    // Only while a rebuild swaps the feed table in; sending part of a batch would mark the rest delivered.
    if (rows.length !== claimed.ids.length) throw new Error(`batch ${claimed.batchId}: ${claimed.ids.length - rows.length} of its records are not in the feed now`);
    return { batchId: claimed.batchId, records: rows.map(stageRecordView), attempts: claimed.attempts };
  }

  private async post(batch: Claimed): Promise<Outcome> {
    const body: DeliveryBatchBody = { batchId: batch.batchId, records: batch.records };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.attemptTimeoutMs);
    try {
      const res = await this.fetch(this.o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': batch.batchId },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: controller.signal,
      });
      const text = await res.text();
      if (res.ok) return { ok: true, status: res.status };
      return { ok: false, status: res.status, error: `HTTP ${res.status}${text ? `: ${oneLine(text, 200)}` : ''}` };
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, error: `no answer within ${this.o.attemptTimeoutMs} ms` };
      return { ok: false, error: describe(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
