import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ComplaintRegister1763800000002 implements MigrationInterface {
  name = 'ComplaintRegister1763800000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE complaint_register (
      complaint_id uuid PRIMARY KEY,
      provider_id text NOT NULL,
      case_id uuid,
      addressee text NOT NULL,
      status text NOT NULL,
      filed_at timestamptz NOT NULL,
      registered_at timestamptz,
      due_at timestamptz,
      answered_at timestamptz,
      answered_late boolean,
      deadline_recorded boolean NOT NULL DEFAULT false,
      stream_version int NOT NULL,
      last_position bigint NOT NULL,
      state jsonb NOT NULL)`);
    await q.query(`CREATE INDEX complaint_register_provider_status ON complaint_register (provider_id, status, due_at)`);
    await q.query(`CREATE INDEX complaint_register_status_due ON complaint_register (status, due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE complaint_register`);
  }
}
