import { startTestServer, type TestServer } from '../testing/test-server.js';
import { almaty, applicant, applicationBody, child, FLOWS, runFlow, tokens, type Tokens } from '../testing/case-flows.js';

let t: TestServer;
let tok: Tokens;
const provider = 'school-almaty-12';
const homeB = FLOWS.find((f) => f.name === 'home education at the office (later rules)')!;

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, provider);
});
afterAll(async () => {
  await t?.close();
});

const open = (serial = 1, overrides: Record<string, unknown> = {}, token = tok.clerk, headers: Record<string, string> = {}) =>
  t.request('POST', '/v1/cases', { token, headers, body: { ...applicationBody(homeB, provider, serial), ...overrides } });
const act = (id: string, body: Record<string, unknown>, token: string, headers: Record<string, string> = {}) => t.request('POST', `/v1/cases/${id}/actions`, { token, body, headers });

describe('Walking skeleton: POST /v1/cases -> event store -> projector -> GET /v1/cases/{id}', () => {
  it('opens a case and reads it back from the read model', async () => {
    const res = await open();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ streamVersion: 1, events: [{ type: 'ApplicationSubmitted' }] });
    expect(res.headers.get('etag')).toBe('"1"');
    await t.projected(res.body.position);
    const got = await t.request('GET', `/v1/cases/${res.body.id}`, { token: tok.director });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: res.body.id, service: 'home-education', providerId: provider, stage: 'submitted', status: 'open', regulation: { id: 'home-education-rules-2020' } });
    expect(got.body.personalData.child.fullName).toBe(child().fullName);
  });
});

describe('Complete cases through HTTP', () => {
  it.each(FLOWS.map((f) => [f.name, f] as const))('takes %s from the application to the result, every step completed', async (_name, flow) => {
    const { id, position } = await runFlow(t, tok, flow, provider, 10);
    await t.projected(position);
    const got = await t.request('GET', `/v1/cases/${id}`, { token: tok.head });
    expect(got.body).toMatchObject({ status: 'issued', stage: 'issued', regulation: { id: flow.regulationId }, channel: flow.channel });
    expect(got.body.steps.length).toBeGreaterThan(0);
    expect(got.body.steps.every((s: { status: string }) => s.status === 'completed')).toBe(true);
    for (const step of got.body.steps) expect(step.norm.source).toBeDefined();
  });

  it('decides the steps of a case on its kept state, reading its stream once (Prometheus counts it)', async () => {
    const before = t.server.runtime.commandCache.cases.snapshotStats();
    const { id } = await runFlow(t, tok, FLOWS[0], provider, 10);
    const after = t.server.runtime.commandCache.cases.snapshotStats();
    expect((await t.server.runtime.eventStore.readStream(`case-${id}`)).length).toBeGreaterThan(FLOWS[0].steps.length);
    // The application reads the (empty) stream; every later step is decided on the state the last one left.
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(FLOWS[0].steps.length);
    const metrics = await t.request('GET', '/metrics');
    expect(metrics.text).toContain(`sped_command_cache_total{aggregate="cases",outcome="hit"} ${after.hits}`);
  });

  it('judges each PMPC step against its norm in working time or days, naming the excess', async () => {
    const { id, position } = await runFlow(t, tok, FLOWS[0], provider, 11);
    await t.projected(position);
    const got = await t.request('GET', `/v1/cases/${id}`, { token: tok.head });
    const steps = Object.fromEntries(got.body.steps.map((s: { stepId: string }) => [s.stepId, s]));
    expect(steps['pmpc-1']).toMatchObject({ verdict: 'on-time', workingMinutes: 12 }); // 15 minutes allowed
    expect(steps['pmpc-2']).toMatchObject({ verdict: 'on-time', workingMinutes: 53 }); // 1 hour
    expect(steps['pmpc-3']).toMatchObject({ verdict: 'on-time', dueAt: '2019-07-03T00:00:00+06:00' }); // 29 calendar days from 3 June
    expect(steps['pmpc-4']).toMatchObject({ verdict: 'on-time', workingMinutes: 210 }); // 4 hours: Fri 16:00-18:00 + Mon 09:00-10:30
    expect(steps['pmpc-5']).toMatchObject({ verdict: 'late', excess: { amount: 15, unit: 'minutes' }, workingMinutes: 30 }); // 15 minutes
    expect(steps['pmpc-1'].norm.source.document).toBeTruthy();
  });
});

describe('Refusal and correction', () => {
  it('refuses an application for incomplete documents at acceptance and closes the case', async () => {
    const opened = await open(20);
    const refused = await act(opened.body.id, { type: 'RefuseApplication', grounds: ['incomplete-documents'], motivation: 'No medical conclusion (VKK) attached.', occurredAt: almaty('2021-09-06', '09:10') }, tok.clerk);
    expect(refused.status).toBe(201);
    expect(refused.body.events[0]).toMatchObject({ type: 'ApplicationRefused', data: { form: 'paper', grounds: ['incomplete-documents'] } });
    const after = await act(opened.body.id, { type: 'AcceptDocuments', journalNumber: 'H-9', occurredAt: almaty('2021-09-06', '09:20') }, tok.clerk);
    expect(after.status).toBe(422);
    expect(after.body.code).toBe('CASE_CLOSED');
  });

  it('refuses a refusal on a ground the regulation does not give', async () => {
    const opened = await open(21);
    const res = await act(opened.body.id, { type: 'RefuseApplication', grounds: ['bad-weather'], motivation: 'It is raining heavily today.' }, tok.clerk);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('grounds.0');
  });

  it('corrects a wrongly recorded time with a new event that names the original, which stays', async () => {
    const opened = await open(22);
    const accepted = await act(opened.body.id, { type: 'AcceptDocuments', journalNumber: 'H-22', occurredAt: almaty('2021-09-06', '09:50') }, tok.clerk);
    const originalId = accepted.body.events[0].id;
    const corrected = await act(opened.body.id, { type: 'CorrectAction', correctedEventId: originalId, reason: 'Typed 09:50 instead of 09:05', corrected: { occurredAt: almaty('2021-09-06', '09:05') } }, tok.clerk);
    expect(corrected.status).toBe(201);
    expect(corrected.body.events[0]).toMatchObject({ type: 'ActionCorrected', data: { correctedEventId: originalId } });
    await t.projected(corrected.body.position);
    const got = await t.request('GET', `/v1/cases/${opened.body.id}`, { token: tok.investigator });
    const acceptance = got.body.actions.find((a: { type: string }) => a.type === 'DocumentsAccepted');
    expect(acceptance.occurredAt).toBe('2021-09-06T03:05:00.000Z');
    expect(acceptance.corrections).toHaveLength(1);
  });
});

describe('Who may act', () => {
  let caseId: string;
  beforeAll(async () => {
    const opened = await open(30);
    caseId = opened.body.id;
    await t.projected(opened.body.position);
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await t.request('POST', `/v1/cases/${caseId}/actions`, { body: { type: 'SendToHead' } })).status).toBe(401);
    const forged = (await tok.clerk).slice(0, -4) + 'AAAA';
    const res = await act(caseId, { type: 'SendToHead' }, forged);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it.each(['director', 'qualityControl', 'investigator'] as const)('refuses a %s recording a case action', async (role) => {
    const res = await act(caseId, { type: 'AcceptDocuments', journalNumber: 'X' }, tok[role]);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ROLE_NOT_ALLOWED');
  });

  it("refuses a clerk of another provider acting on this provider's case", async () => {
    const res = await act(caseId, { type: 'AcceptDocuments', journalNumber: 'X' }, await t.token('clerk', 'another-school'));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('PROVIDER_MISMATCH');
  });

  it("refuses a director reading another provider's case", async () => {
    const res = await t.request('GET', `/v1/cases/${caseId}`, { token: await t.token('director', 'another-school') });
    expect(res.status).toBe(403);
  });

  it('refuses an executor doing the clerk\'s step', async () => {
    const res = await act(caseId, { type: 'AcceptDocuments', journalNumber: 'X', occurredAt: almaty('2021-09-06', '09:05') }, tok.executor);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses a step out of order', async () => {
    const res = await act(caseId, { type: 'SignResult', occurredAt: almaty('2021-09-06', '09:05') }, tok.head);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('STEP_OUT_OF_ORDER');
  });

  it('refuses an action dated in the future', async () => {
    const res = await act(caseId, { type: 'AcceptDocuments', journalNumber: 'X', occurredAt: '2099-01-01T09:00:00+05:00' }, tok.clerk);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('OCCURRED_IN_FUTURE');
  });

  it('takes the actor from the token, never from the body', async () => {
    const res = await act(caseId, { type: 'AcceptDocuments', journalNumber: 'X', actor: { role: 'head' } }, tok.clerk);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('actor');
  });
});

describe('Retries and conflicts', () => {
  it('answers a retry with the same Idempotency-Key with the first result and records nothing new', async () => {
    const first = await open(40, {}, tok.clerk, { 'idempotency-key': 'submit-40' });
    const again = await open(40, {}, tok.clerk, { 'idempotency-key': 'submit-40' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const accept = { type: 'AcceptDocuments', journalNumber: 'H-40', occurredAt: almaty('2021-09-06', '09:05') };
    const a1 = await act(first.body.id, accept, tok.clerk, { 'idempotency-key': 'accept-40' });
    const a2 = await act(first.body.id, accept, tok.clerk, { 'idempotency-key': 'accept-40' });
    expect(a2.body).toEqual(a1.body);
    expect(a2.body.streamVersion).toBe(2);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    await open(41, {}, tok.clerk, { 'idempotency-key': 'submit-41' });
    const other = await open(42, {}, tok.clerk, { 'idempotency-key': 'submit-41' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers a stale If-Match with 412 and records nothing', async () => {
    const opened = await open(43);
    const res = await act(opened.body.id, { type: 'AcceptDocuments', journalNumber: 'H-43', occurredAt: almaty('2021-09-06', '09:05') }, tok.clerk, { 'if-match': '"7"' });
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ code: 'PRECONDITION_FAILED', currentVersion: 1 });
    const ok = await act(opened.body.id, { type: 'AcceptDocuments', journalNumber: 'H-43', occurredAt: almaty('2021-09-06', '09:05') }, tok.clerk, { 'if-match': '"1"' });
    expect(ok.status).toBe(201);
  });

  it('lets exactly one of two concurrent writers pinned to the same version win; the other gets 412', async () => {
    const opened = await open(44);
    const body = { type: 'AcceptDocuments', journalNumber: 'H-44', occurredAt: almaty('2021-09-06', '09:05') };
    const [r1, r2] = await Promise.all([act(opened.body.id, body, tok.clerk, { 'if-match': '1' }), act(opened.body.id, body, tok.clerk, { 'if-match': '1' })]);
    expect([r1.status, r2.status].sort()).toEqual([201, 412]);
  });
});

describe('Bad input', () => {
  it.each([
    ['malformed JSON', '{"service": ', 'application/json', 400, 'MALFORMED_JSON'],
    ['a body that is not JSON', 'service=home-education', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over the size limit', JSON.stringify({ pad: 'x'.repeat(300_000) }), 'application/json', 413, 'BODY_TOO_LARGE'],
  ])('answers %s with a problem document', async (_what, rawBody, type, status, code) => {
    const res = await t.request('POST', '/v1/cases', { token: tok.clerk, rawBody, headers: { 'content-type': type } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
  });

  it('names every bad field of an application', async () => {
    const res = await t.request('POST', '/v1/cases', {
      token: tok.clerk,
      body: { service: 'astrology', providerId: '', channel: 'fax', applicant: { iin: '123', fullName: 'A' }, child: { ...child(50), birthDate: '2014-05-18' }, documents: [], colour: 'red' },
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['service', 'providerId', 'channel', 'applicant.iin', 'child.birthDate', 'documents', 'colour']));
  });

  it('refuses an IIN with a wrong check digit', async () => {
    const bad = applicant(51);
    bad.iin = bad.iin.slice(0, 11) + String((Number(bad.iin[11]) + 1) % 10);
    const res = await open(51, { applicant: bad });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'applicant.iin', message: 'IIN the check digit (12th) does not match' }]);
  });

  it('answers an unknown action type naming the field and the allowed types', async () => {
    const opened = await open(52);
    const res = await act(opened.body.id, { type: 'Teleport' }, tok.clerk);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'type' });
    expect(res.body.errors[0].message).toContain('AcceptDocuments');
  });

  it('says which dates no regulation covers when a service has none in force', async () => {
    const res = await t.request('POST', '/v1/cases', { token: tok.clerk, body: { ...applicationBody(FLOWS[0], provider, 53), occurredAt: almaty('2023-03-01', '10:00') } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('NO_REGULATION_IN_FORCE');
  });

  it('answers an action on a case that does not exist with 404', async () => {
    const res = await act('0b4f6a52-6f1c-4c8e-9d55-4d1a6f0f7a11', { type: 'SendToHead' }, tok.clerk);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CASE_NOT_FOUND');
  });
});
