import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExistingCase } from '@sped/domain';
import type { Norm } from '@sped/regulations';

/**
 * The case timeline: one row per case and step of its regulation. The facts (norm, start, due, done,
 * working time taken, verdict of a finished step) are stored; whether an open step is at risk or overdue
 * depends on the current instant and is judged at query time from `dueAt`.
 */
@Entity({ name: 'case_step' })
export class CaseStep {
  @PrimaryColumn({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @PrimaryColumn({ type: 'text', name: 'step_id' })
  stepId!: string;

  @Column({ type: 'int', name: 'step_order' })
  stepOrder!: number;

  @Column({ type: 'text', name: 'provider_id' })
  providerId!: string;

  @Column({ type: 'text', name: 'service_code' })
  serviceCode!: string;

  @Column({ type: 'text', name: 'regulation_id' })
  regulationId!: string;

  @Column({ type: 'text' })
  channel!: string;

  /** The case's stage and status, denormalised so workload queries need no join. */
  @Column({ type: 'text', name: 'case_stage' })
  caseStage!: string;

  @Column({ type: 'text', name: 'case_status' })
  caseStatus!: string;

  @Column({ type: 'text', name: 'executor_id', nullable: true })
  executorId!: string | null;

  @Column({ type: 'text', array: true })
  roles!: string[];

  /** The step's completing event type (ExecutorAppointed marks the head's appointment step). */
  @Column({ type: 'text', name: 'completed_by' })
  completedBy!: string;

  @Column({ type: 'jsonb' })
  norm!: Norm;

  @Column({ type: 'text', name: 'norm_kind' })
  normKind!: string;

  @Column({ type: 'text', name: 'norm_unit', nullable: true })
  normUnit!: string | null;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'earliest_at', nullable: true })
  earliestAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  /** not-started, open, completed, stopped (the case closed before the step finished). */
  @Column({ type: 'text' })
  status!: string;

  /** For a completed step: on-time, late, too-early, too-late, not-judged. Null while open. */
  @Column({ type: 'text', nullable: true })
  verdict!: string | null;

  @Column({ type: 'int', name: 'excess_amount', nullable: true })
  excessAmount!: number | null;

  @Column({ type: 'text', name: 'excess_unit', nullable: true })
  excessUnit!: string | null;

  /** Working minutes the step took (provider schedule), for minute and hour norms and as a common measure. */
  @Column({ type: 'int', name: 'working_minutes', nullable: true })
  workingMinutes!: number | null;

  /** Days the step took in its norm's unit (working or calendar days), for day norms. */
  @Column({ type: 'int', name: 'duration_days', nullable: true })
  durationDays!: number | null;

  @Column({ type: 'text', name: 'performed_by_role', nullable: true })
  performedByRole!: string | null;

  @Column({ type: 'text', name: 'performed_by_user', nullable: true })
  performedByUser!: string | null;

  /** An action of the step was recorded after the end of the next working day (LATE_RECORDING in @sped/regulations). */
  @Column({ type: 'boolean', name: 'recorded_late' })
  recordedLate!: boolean;

  @Column({ type: 'bigint', name: 'max_recording_delay_ms' })
  maxRecordingDelayMs!: string;

  /** The sweeper has recorded DeadlinePassed for this step. */
  @Column({ type: 'boolean', name: 'deadline_recorded' })
  deadlineRecorded!: boolean;

  @Column({ type: 'boolean' })
  provisional!: boolean;

  @Column({ type: 'bigint', name: 'last_position' })
  lastPosition!: string;
}

/** The folded case state the timeline is derived from (this projection's own, independent of case-summary). */
@Entity({ name: 'case_timeline' })
export class CaseTimelineState {
  @PrimaryColumn({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'jsonb' })
  state!: ExistingCase;

  @Column({ type: 'bigint', name: 'last_position' })
  lastPosition!: string;
}
