import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseTimeline1763800000003 implements MigrationInterface {
  name = 'CaseTimeline1763800000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_timeline (
      case_id uuid PRIMARY KEY,
      state jsonb NOT NULL,
      last_position bigint NOT NULL)`);
    await q.query(`CREATE TABLE case_step (
      case_id uuid NOT NULL,
      step_id text NOT NULL,
      step_order int NOT NULL,
      provider_id text NOT NULL,
      service_code text NOT NULL,
      regulation_id text NOT NULL,
      channel text NOT NULL,
      case_stage text NOT NULL,
      case_status text NOT NULL,
      executor_id text,
      roles text[] NOT NULL,
      completed_by text NOT NULL,
      norm jsonb NOT NULL,
      norm_kind text NOT NULL,
      norm_unit text,
      started_at timestamptz,
      due_at timestamptz,
      earliest_at timestamptz,
      completed_at timestamptz,
      status text NOT NULL,
      verdict text,
      excess_amount int,
      excess_unit text,
      working_minutes int,
      duration_days int,
      performed_by_role text,
      performed_by_user text,
      recorded_late boolean NOT NULL,
      max_recording_delay_ms bigint NOT NULL,
      deadline_recorded boolean NOT NULL,
      provisional boolean NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (case_id, step_id))`);
    // Directors' workload and the sweeper: open steps by provider and due instant.
    await q.query(`CREATE INDEX case_step_open_due ON case_step (provider_id, due_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX case_step_open_due_all ON case_step (due_at) WHERE status = 'open'`);
    // Compliance: steps by service, step and start period.
    await q.query(`CREATE INDEX case_step_compliance ON case_step (service_code, step_id, started_at) INCLUDE (provider_id, verdict, working_minutes, duration_days)`);
    await q.query(`CREATE INDEX case_step_provider_started ON case_step (provider_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_step`);
    await q.query(`DROP TABLE case_timeline`);
  }
}
