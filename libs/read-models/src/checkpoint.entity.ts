import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per projection: how far it has applied the global log, written with the rows it covers. */
@Entity({ name: 'projection_checkpoint' })
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** Global position of the last event applied (bigint, as a string). */
  @Column({ type: 'bigint', default: '0' })
  position!: string;

  @Column({ type: 'text', default: 'running' })
  status!: 'running' | 'failed';

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
