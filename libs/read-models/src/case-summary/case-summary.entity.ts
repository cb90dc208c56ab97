import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExistingCase } from '@sped/domain';

/**
 * One row per case: what it is, where it stands, and the folded domain state (personal data only sealed),
 * from which queries derive every step's norm, due instant and verdict against the current instant.
 */
@Entity({ name: 'case_summary' })
export class CaseSummary {
  @PrimaryColumn({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'text', name: 'service_code' })
  serviceCode!: string;

  @Column({ type: 'text', name: 'provider_id' })
  providerId!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text', name: 'regulation_id' })
  regulationId!: string;

  @Column({ type: 'text' })
  stage!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', name: 'executor_id', nullable: true })
  executorId!: string | null;

  @Column({ type: 'timestamptz', name: 'submitted_at' })
  submittedAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'int', name: 'stream_version' })
  streamVersion!: number;

  @Column({ type: 'bigint', name: 'last_position' })
  lastPosition!: string;

  @Column({ type: 'jsonb' })
  state!: ExistingCase;
}
