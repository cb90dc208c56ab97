import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a case is and where it stands: the row behind `GET /v1/cases/{id}` and the case list. */
@Entity({ name: 'case_summary' })
export class CaseSummary {
  @PrimaryColumn({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'text', name: 'service_code' })
  serviceCode!: string;

  @Column({ type: 'text', name: 'provider_id' })
  providerId!: string;

  @Column({ type: 'text', nullable: true })
  channel!: string | null;

  @Column({ type: 'text', name: 'regulation_id', nullable: true })
  regulationId!: string | null;

  @Column({ type: 'text' })
  stage!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'timestamptz', name: 'submitted_at' })
  submittedAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: 'int', name: 'stream_version' })
  streamVersion!: number;

  @Column({ type: 'bigint', name: 'last_position' })
  lastPosition!: string;
}
