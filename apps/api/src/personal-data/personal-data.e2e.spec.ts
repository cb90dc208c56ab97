import pg from 'pg';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { applicant, applicationBody, child, FLOWS, tokens, type Tokens } from '../testing/case-flows.js';

let t: TestServer;
let tok: Tokens;
const provider = 'school-pii-1';
const flow = FLOWS.find((f) => f.name === 'home education at the office (later rules)')!;

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, provider);
});
afterAll(async () => {
  await t?.close();
});

async function rawEventsTable(): Promise<string> {
  const client = new pg.Client({ connectionString: t.db.connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT row_to_json(e)::text AS row FROM event_store.events e ORDER BY position`);
    return rows.map((r: { row: string }) => r.row).join('\n');
  } finally {
    await client.end();
  }
}

describe('Personal data', () => {
  it('never reaches the event log in plain text: names, IINs, birth dates, phones, medical notes, complaint texts', async () => {
    const opened = await t.request('POST', '/v1/cases', { token: tok.clerk, body: applicationBody(flow, provider, 7) });
    expect(opened.status).toBe(201);
    const complaintText = 'Ребёнку отказали без объяснения причин, диагноз F84.0';
    const complaint = await t.request('POST', '/v1/complaints', {
      token: tok.clerk,
      body: { providerId: provider, caseId: opened.body.id, subject: 'decision', addressee: 'provider', complainant: applicant(7), text: complaintText },
    });
    expect(complaint.status).toBe(201);
    const dump = await rawEventsTable();
    expect(dump).toContain('ApplicationSubmitted');
    const secrets = [applicant(7).fullName, applicant(7).iin, applicant(7).phone, child(7).fullName, child(7).iin, child(7).birthDate, child(7).medicalNotes, complaintText, 'F84.0'];
    for (const secret of secrets) expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
  });

  it('after erasure of a person, shows their data as erased everywhere while the case and its timeline remain', async () => {
    const opened = await t.request('POST', '/v1/cases', { token: tok.clerk, body: applicationBody(flow, provider, 8) });
    await t.projected(opened.body.position);
    const before = await t.request('GET', `/v1/cases/${opened.body.id}`, { token: tok.head });
    expect(before.body.personalData.child.fullName).toBe(child(8).fullName);
    const childId = before.body.personalData.child.personId;

    const byClerk = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok.clerk, body: { type: 'ErasePersonalData', personId: childId, reason: 'Request of the legal representative' } });
    expect(byClerk.status).toBe(403);

    const erased = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok.admin, body: { type: 'ErasePersonalData', personId: childId, reason: 'Request of the legal representative' } });
    expect(erased.status).toBe(201);
    expect(erased.body.events[0]).toMatchObject({ type: 'PersonalDataErased', data: { personId: childId } });
    await t.projected(erased.body.position);

    const after = await t.request('GET', `/v1/cases/${opened.body.id}`, { token: tok.head });
    expect(after.status).toBe(200);
    expect(after.body.personalData.child).toEqual({ personId: childId, erased: true });
    expect(after.body.personalData.applicant.fullName).toBe(applicant(8).fullName);
    expect(after.body).toMatchObject({ service: 'home-education', stage: 'submitted' });
    expect(after.body.steps.length).toBeGreaterThan(0);
  });

  it('gives a child who applies again after erasure a new person and key, leaving the erased data unreadable', async () => {
    const again = await t.request('POST', '/v1/cases', { token: tok.clerk, body: applicationBody(flow, provider, 8) });
    expect(again.status).toBe(201);
    await t.projected(again.body.position);
    const got = await t.request('GET', `/v1/cases/${again.body.id}`, { token: tok.head });
    expect(got.body.personalData.child.fullName).toBe(child(8).fullName);
  });
});
