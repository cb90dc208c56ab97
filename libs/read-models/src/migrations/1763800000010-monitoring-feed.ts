import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The state monitoring feed (Law on public services, Art. 5(2)(11)) and its delivery outbox. */
export class MonitoringFeed1763800000010 implements MigrationInterface {
  name = 'MonitoringFeed1763800000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE monitoring_feed (
      record_id uuid PRIMARY KEY,
      cursor bigint NOT NULL UNIQUE,
      event_id uuid NOT NULL,
      case_id uuid NOT NULL,
      service_code text NOT NULL,
      provider_id text NOT NULL,
      stage text NOT NULL,
      previous_stage text,
      action text NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      channel text NOT NULL,
      regulation_id text NOT NULL,
      result jsonb,
      refusal jsonb)`);
    await q.query(`CREATE INDEX monitoring_feed_provider_cursor ON monitoring_feed (provider_id, cursor)`);
    await q.query(`CREATE INDEX monitoring_feed_case_id_cursor ON monitoring_feed (case_id, cursor)`);
    await q.query(`CREATE TABLE monitoring_feed_case (
      case_id uuid PRIMARY KEY,
      stage text,
      last_position bigint NOT NULL,
      state jsonb NOT NULL)`);
    await q.query(`CREATE TABLE monitoring_delivery (
      record_id uuid PRIMARY KEY,
      cursor bigint NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed', 'delivered')),
      attempts int NOT NULL DEFAULT 0,
      last_error text,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      batch_id uuid)`);
    // The worker's next batch: the undelivered records in cursor order.
    await q.query(`CREATE INDEX monitoring_delivery_undelivered ON monitoring_delivery (cursor) WHERE status <> 'delivered'`);
    await q.query(`CREATE INDEX monitoring_delivery_status_cursor ON monitoring_delivery (status, cursor)`);
    await q.query(`CREATE INDEX monitoring_delivery_batch ON monitoring_delivery (batch_id)`);
    // One delivering process at a time (several API processes may run the projector).
    await q.query(`CREATE TABLE monitoring_delivery_lease (
      name text PRIMARY KEY,
      owner text NOT NULL,
      expires_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE monitoring_delivery_lease`);
    await q.query(`DROP TABLE monitoring_delivery`);
    await q.query(`DROP TABLE monitoring_feed_case`);
    await q.query(`DROP TABLE monitoring_feed`);
  }
}
