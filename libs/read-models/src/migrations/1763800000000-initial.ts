import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE projection_checkpoint (
      name text PRIMARY KEY,
      position bigint NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'running',
      error text,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE case_summary (
      case_id uuid PRIMARY KEY,
      service_code text NOT NULL,
      provider_id text NOT NULL,
      channel text NOT NULL,
      regulation_id text NOT NULL,
      stage text NOT NULL,
      status text NOT NULL,
      executor_id text,
      submitted_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      stream_version int NOT NULL,
      last_position bigint NOT NULL,
      state jsonb NOT NULL)`);
    await q.query(`CREATE INDEX case_summary_provider_stage ON case_summary (provider_id, stage)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_summary`);
    await q.query(`DROP TABLE projection_checkpoint`);
  }
}
