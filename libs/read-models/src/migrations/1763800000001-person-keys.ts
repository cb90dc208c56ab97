import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-person encryption keys live here, outside the event log, so erasing one crypto-shreds that person's data. */
export class PersonKeys1763800000001 implements MigrationInterface {
  name = 'PersonKeys1763800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE person_key (
      person_id uuid PRIMARY KEY,
      iin_hmac text UNIQUE,
      wrapped_key bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      erased_at timestamptz,
      erased_by text,
      erase_reason text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person_key`);
  }
}
