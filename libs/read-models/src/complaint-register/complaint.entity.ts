import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExistingComplaint } from '@sped/domain';

/** One row per complaint: the register investigators and directors read, with its review term's due instant. */
@Entity({ name: 'complaint_register' })
export class ComplaintRow {
  @PrimaryColumn({ type: 'uuid', name: 'complaint_id' })
  complaintId!: string;

  @Column({ type: 'text', name: 'provider_id' })
  providerId!: string;

  @Column({ type: 'uuid', name: 'case_id', nullable: true })
  caseId!: string | null;

  @Column({ type: 'text' })
  addressee!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'timestamptz', name: 'filed_at' })
  filedAt!: Date;

  @Column({ type: 'timestamptz', name: 'registered_at', nullable: true })
  registeredAt!: Date | null;

  /** When the review term of the current registration expires (5 or 15 working days). */
  @Column({ type: 'timestamptz', name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'answered_at', nullable: true })
  answeredAt!: Date | null;

  @Column({ type: 'boolean', name: 'answered_late', nullable: true })
  answeredLate!: boolean | null;

  /** The sweeper has recorded that the current registration's term expired unanswered. */
  @Column({ type: 'boolean', name: 'deadline_recorded', default: false })
  deadlineRecorded!: boolean;

  @Column({ type: 'int', name: 'stream_version' })
  streamVersion!: number;

  @Column({ type: 'bigint', name: 'last_position' })
  lastPosition!: string;

  @Column({ type: 'jsonb' })
  state!: ExistingComplaint;
}
