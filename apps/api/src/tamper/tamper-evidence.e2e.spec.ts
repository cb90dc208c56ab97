import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../testing/test-server.js';
import { FLOWS, runFlow, tokens, type Tokens } from '../testing/case-flows.js';

const root = path.resolve(import.meta.dirname, '../../../..');
let t: TestServer;
let tok: Tokens;
const provider = 'pmpc-almaty-1';

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, provider);
});
afterAll(async () => {
  await t?.close();
});

async function sql(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: t.db.connectionString });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs the verify CLI against the test database. Asynchronously: on PGlite the database is served by this very process. */
const verifyCli = () =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'apps/api/dist/cli/verify.js')], {
      env: { ...process.env, DATABASE_URL: t.db.connectionString, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

describe('Tamper evidence', () => {
  it('verifies an untouched case: every event carries a hash linked to the one before', async () => {
    const { id } = await runFlow(t, tok, FLOWS[0], provider, 1);
    const res = await t.request('GET', `/v1/cases/${id}/verify`, { token: tok.investigator });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, checked: FLOWS[0].steps.length + 1, firstBroken: null });
    const cli = await verifyCli();
    expect(cli.stdout).toMatch(/^OK: \d+ streams, \d+ events, every hash chain holds\./);
    expect(cli.status).toBe(0);
  });

  it('names the event edited directly in the database, through the API and the verify CLI', async () => {
    const { id } = await runFlow(t, tok, FLOWS[0], provider, 2);
    const [row] = await sql(`SELECT id, stream_version FROM event_store.events WHERE stream_id = $1 AND type = 'ResultDrawnUp'`, [`case-${id}`]);
    // Someone back-dates the executor's result in the database to hide a delay.
    await sql(`UPDATE event_store.events SET metadata = jsonb_set(metadata, '{occurredAt}', '"2019-06-10T10:00:00.000Z"') WHERE id = $1`, [row.id]);

    const res = await t.request('GET', `/v1/cases/${id}/verify`, { token: tok.investigator });
    expect(res.body).toMatchObject({ ok: false, firstBroken: { eventId: row.id, streamVersion: row.stream_version, type: 'ResultDrawnUp', reason: 'hash-mismatch' } });

    const cli = await verifyCli();
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`case-${id} version ${row.stream_version} (event ${row.id}, ResultDrawnUp`);
  });

  it('notices a deleted event', async () => {
    const { id } = await runFlow(t, tok, FLOWS[0], provider, 3);
    const [row] = await sql(`SELECT id FROM event_store.events WHERE stream_id = $1 AND stream_version = 3`, [`case-${id}`]);
    await sql(`DELETE FROM event_store.events WHERE id = $1`, [row.id]);
    const res = await t.request('GET', `/v1/cases/${id}/verify`, { token: tok.investigator });
    expect(res.body.firstBroken).toMatchObject({ streamVersion: 4, reason: 'version-gap' });
  });

  it('is refused to a clerk', async () => {
    const { id } = await runFlow(t, tok, FLOWS[0], provider, 4);
    expect((await t.request('GET', `/v1/cases/${id}/verify`, { token: tok.clerk })).status).toBe(403);
  });
});
