import type { DataSource, EntityManager } from 'typeorm';
import type { CaseStage } from '@sped/domain';
import { MonitoringStageRecord, type DeliveryStatus, type StageRecordRefusal, type StageRecordResult } from './monitoring-feed.entity.js';

/** A stage record as the pull feed serves it and the delivery worker sends it. No personal data. */
export interface StageRecordView {
  recordId: string;
  cursor: string;
  caseId: string;
  serviceCode: string;
  providerId: string;
  stage: CaseStage;
  previousStage: CaseStage | null;
  action: string;
  occurredAt: string;
  recordedAt: string;
  channel: string;
  regulationId: string;
  result: StageRecordResult | null;
  refusal: StageRecordRefusal | null;
}

export function stageRecordView(row: MonitoringStageRecord): StageRecordView {
  return {
    recordId: row.recordId,
    cursor: String(row.cursor),
    caseId: row.caseId,
    serviceCode: row.serviceCode,
    providerId: row.providerId,
    stage: row.stage,
    previousStage: row.previousStage,
    action: row.action,
    occurredAt: new Date(row.occurredAt).toISOString(),
    recordedAt: new Date(row.recordedAt).toISOString(),
    channel: row.channel,
    regulationId: row.regulationId,
    result: row.result,
    refusal: row.refusal,
  };
}

export interface FeedPage<T> {
  items: T[];
  /** Where to continue (`after=`); the `after` asked for when the page is empty. */
  nextCursor: string;
}

/** Stage records after a cursor, in cursor order. */
export async function readMonitoringFeed(
  db: DataSource | EntityManager,
  query: { after?: string; limit: number; providerId?: string },
): Promise<FeedPage<StageRecordView>> {
  const after = query.after ?? '0';
  const qb = db.getRepository(MonitoringStageRecord).createQueryBuilder('r').where('r.cursor > :after', { after });
  if (query.providerId !== undefined) qb.andWhere('r.provider_id = :providerId', { providerId: query.providerId });
  const rows = await qb.orderBy('r.cursor', 'ASC').limit(query.limit).getMany();
  const items = rows.map(stageRecordView);
  return { items, nextCursor: items.at(-1)?.cursor ?? after };
}

export interface DeliveryView {
  recordId: string;
  cursor: string;
  caseId: string;
  providerId: string;
  stage: CaseStage;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  batchId: string | null;
}

interface DeliveryRow {
  record_id: string;
  cursor: string;
  case_id: string;
  provider_id: string;
  stage: CaseStage;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  batch_id: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Delivery status per record, in cursor order, with the number of records in each status. A record the
 * worker has not taken into a batch yet has no row in monitoring_delivery and is pending.
 */
export async function readMonitoringDeliveries(
  db: DataSource | EntityManager,
  query: { status?: DeliveryStatus; after?: string; limit: number },
): Promise<FeedPage<DeliveryView> & { counts: Record<DeliveryStatus, number> }> {
  const after = query.after ?? '0';
  const params: unknown[] = [after, query.limit];
  let where = 'f.cursor > $1';
  if (query.status) {
    params.push(query.status);
    where += ` AND COALESCE(d.status, 'pending') = $3`;
  }
  const rows: DeliveryRow[] = await db.query(
    `SELECT f.record_id, f.cursor, f.case_id, f.provider_id, f.stage, COALESCE(d.status, 'pending') AS status, COALESCE(d.attempts, 0) AS attempts,
            d.last_error, d.last_attempt_at, d.delivered_at, d.batch_id
       FROM monitoring_feed f LEFT JOIN monitoring_delivery d ON d.record_id = f.record_id
      WHERE ${where} ORDER BY f.cursor LIMIT $2`,
    params,
  );
  const [totals]: Array<{ records: string; delivered: string; failed: string }> = await db.query(
    `SELECT (SELECT count(*) FROM monitoring_feed) AS records,
            (SELECT count(*) FROM monitoring_delivery WHERE status = 'delivered') AS delivered,
            (SELECT count(*) FROM monitoring_delivery WHERE status = 'failed') AS failed`,
  );
  const delivered = Number(totals.delivered);
  const failed = Number(totals.failed);
  const counts: Record<DeliveryStatus, number> = { pending: Math.max(0, Number(totals.records) - delivered - failed), failed, delivered };
  const items = rows.map((r) => ({
    recordId: r.record_id,
    cursor: String(r.cursor),
    caseId: r.case_id,
    providerId: r.provider_id,
    stage: r.stage,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    deliveredAt: iso(r.delivered_at),
    batchId: r.batch_id,
  }));
  return { items, nextCursor: items.at(-1)?.cursor ?? after, counts };
}
