import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CaseStage, ExistingCase, RefusalGroundCode } from '@sped/domain';
import type { Localized } from '@sped/regulations';

/** What the stage record says about the result when the case reaches `issued`. */
export interface StageRecordResult {
  /** The result document(s) the case's regulation names for the service. */
  documentKinds: Localized[];
  /** The number the executor gave the result document (e.g. order number), when recorded. */
  documentNumber: string | null;
}

/** What the stage record says about a refusal: the regulation's grounds, never the free-text motivation. */
export interface StageRecordRefusal {
  grounds: Array<{ code: RefusalGroundCode; text: Localized | null }>;
  form: 'paper' | 'electronic' | null;
}

/**
 * One stage of one case as reported to the state monitoring information system (Law on public
 * services, Art. 5(2)(11)). Immutable once written; carries no personal data.
 */
@Entity({ name: 'monitoring_feed' })
export class MonitoringStageRecord {
  /** Deterministic from the event that caused the stage change, so redelivery never duplicates a record. */
  @PrimaryColumn({ type: 'uuid', name: 'record_id' })
  recordId!: string;

  /** The causing event's global position (bigint as a string): the feed's paging cursor. */
  @Column({ type: 'bigint', unique: true })
  cursor!: string;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'text', name: 'service_code' })
  serviceCode!: string;

  @Column({ type: 'text', name: 'provider_id' })
  providerId!: string;

  @Column({ type: 'text' })
  stage!: CaseStage;

  @Column({ type: 'text', name: 'previous_stage', nullable: true })
  previousStage!: CaseStage | null;

  /** The event type that moved the case (e.g. ExecutorAppointed). */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'timestamptz', name: 'occurred_at' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt!: Date;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text', name: 'regulation_id' })
  regulationId!: string;

  @Column({ type: 'jsonb', nullable: true })
  result!: StageRecordResult | null;

  @Column({ type: 'jsonb', nullable: true })
  refusal!: StageRecordRefusal | null;
}

/**
 * The feed projection's own memory of each case: the folded state (without personal data or free
 * text) from which the stage before and after the next event is derived.
 */
@Entity({ name: 'monitoring_feed_case' })
export class MonitoringCaseMemory {
  @PrimaryColumn({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'text', nullable: true })
  stage!: CaseStage | null;

  @Column({ type: 'bigint', name: 'last_position' })
  lastPosition!: string;

  @Column({ type: 'jsonb' })
  state!: ExistingCase;
}

export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Whether a stage record has reached the monitoring system (MONITORING_URL). */
@Entity({ name: 'monitoring_delivery' })
export class MonitoringDelivery {
  @PrimaryColumn({ type: 'uuid', name: 'record_id' })
  recordId!: string;

  @Column({ type: 'bigint', unique: true })
  cursor!: string;

  /** pending = never tried; failed = tried and will be retried; delivered = accepted by the receiver. */
  @Column({ type: 'text', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', name: 'last_attempt_at', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  /** The batch the record was first sent in; a retry resends exactly that batch under the same Idempotency-Key. */
  @Column({ type: 'uuid', name: 'batch_id', nullable: true })
  batchId!: string | null;
}
