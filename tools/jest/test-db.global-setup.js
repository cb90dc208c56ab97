// Decides once per jest run which database the int/e2e tests use, and says so.
// PostgreSQL at TEST_DATABASE_URL / DATABASE_URL / 127.0.0.1:5432 when reachable, embedded PGlite otherwise.
import pg from 'pg';

export default async function globalSetup(_config, projectConfig) {
  if (process.env.TEST_DB_KIND) return;
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  let kind = 'pglite';
  let version = '';
  if (process.env.TEST_DB !== 'pglite') {
    try {
      await client.connect();
      const r = await client.query('show server_version');
      version = r.rows[0].server_version;
      kind = 'postgres';
    } catch {
      kind = 'pglite';
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  process.env.TEST_DB_KIND = kind;
  if (kind === 'postgres') process.env.TEST_DATABASE_URL = url;
  const where = kind === 'postgres' ? `PostgreSQL ${version} at ${url.replace(/\/\/[^@]*@/, '//')}` : 'embedded PGlite (no PostgreSQL reachable)';
  process.stdout.write(`\n[test-db] ${projectConfig?.displayName?.name ?? ''} tests run on ${where}\n`);
}
