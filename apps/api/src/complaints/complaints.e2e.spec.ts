import { startTestServer, type TestServer } from '../testing/test-server.js';
import { almaty, applicant, tokens, type Tokens } from '../testing/case-flows.js';

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

const file = (addressee: 'provider' | 'authorized-body', serial: number, token: string, occurredAt: string) =>
  t.request('POST', '/v1/complaints', {
    token,
    body: { providerId: provider, subject: 'inaction', addressee, complainant: applicant(serial), text: 'Заключение ПМПК не выдано в срок.', occurredAt },
  });
const act = (id: string, body: Record<string, unknown>, token: string) => t.request('POST', `/v1/complaints/${id}/actions`, { token, body });

describe('A complaint to the provider', () => {
  it('runs 5 working days from registration and is answered on time', async () => {
    const filed = await file('provider', 1, tok.clerk, almaty('2022-03-01', '10:00'));
    expect(filed.status).toBe(201);
    const registered = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'Ж-12', occurredAt: almaty('2022-03-01', '11:00') }, tok.clerk);
    expect(registered.status).toBe(201);
    expect(registered.body.events[0].data.term).toMatchObject({ amount: 5, unit: 'working-days' });
    const answered = await act(filed.body.id, { type: 'AnswerComplaint', outcome: 'satisfied', answer: 'Заключение выдано 03.03.2022.', occurredAt: almaty('2022-03-03', '15:00') }, tok.head);
    expect(answered.status).toBe(201);
    await t.projected(answered.body.position);
    const got = await t.request('GET', `/v1/complaints/${filed.body.id}`, { token: tok.director });
    // Registered Tue 1 March 2022: working days 2, 3, 4, Sat 5 (worked by transfer), then 7 off (transfer), 8 holiday, 9 -> last day 9 March.
    expect(got.body).toMatchObject({ status: 'answered', outcome: 'satisfied', answeredLate: false, verdict: { status: 'on-time', lastDay: '2022-03-09', dueAt: '2022-03-10T00:00:00+06:00' } });
    expect(got.body.personalData.text.text).toBe('Заключение ПМПК не выдано в срок.');
  });

  it('is overdue once its term has passed unanswered, and listed so', async () => {
    const filed = await file('provider', 2, tok.clerk, almaty('2023-01-09', '10:00'));
    const registered = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'Ж-13', occurredAt: almaty('2023-01-09', '10:30') }, tok.clerk);
    await t.projected(registered.body.position);
    const overdue = await t.request('GET', '/v1/complaints?status=overdue', { token: tok.director });
    expect(overdue.status).toBe(200);
    const item = overdue.body.items.find((i: { id: string }) => i.id === filed.body.id);
    expect(item.verdict).toMatchObject({ status: 'overdue', lastDay: '2023-01-16' });
  });
});

describe('A complaint to the authorized body', () => {
  it('runs 15 working days from its registration there, and only quality-control registers it', async () => {
    const filed = await file('authorized-body', 3, tok.qualityControl, almaty('2022-05-04', '10:00'));
    expect(filed.status).toBe(201);
    const byClerk = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'QC-1', occurredAt: almaty('2022-05-04', '10:30') }, tok.clerk);
    expect(byClerk.status).toBe(403);
    const registered = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'QC-1', occurredAt: almaty('2022-05-04', '10:30') }, tok.qualityControl);
    expect(registered.status).toBe(201);
    expect(registered.body.events[0].data.term).toMatchObject({ amount: 15, unit: 'working-days' });
    await t.projected(registered.body.position);
    const got = await t.request('GET', `/v1/complaints/${filed.body.id}`, { token: tok.investigator });
    // 4 May 2022 (Wed): 5, 6, [7 Sat holiday, 8 Sun, 9 holiday, 10 its carry-over], 11, 12, 13, 16-20, 23-27 -> 15th is 27 May.
    expect(got.body.verdict).toMatchObject({ lastDay: '2022-05-27', term: { amount: 15 } });
  });

  it('is forwarded by the provider and registered again by quality-control, restarting the term at 15 working days', async () => {
    const filed = await file('provider', 4, tok.clerk, almaty('2022-06-01', '10:00'));
    await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'Ж-20', occurredAt: almaty('2022-06-01', '10:10') }, tok.clerk);
    const forwarded = await act(filed.body.id, { type: 'ForwardComplaint', reason: 'Касается решения управления образования', occurredAt: almaty('2022-06-02', '10:00') }, tok.head);
    expect(forwarded.status).toBe(201);
    const again = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'QC-20', occurredAt: almaty('2022-06-03', '09:00') }, tok.qualityControl);
    expect(again.status).toBe(201);
    expect(again.body.events[0].data.term.amount).toBe(15);
  });
});

describe('Complaint scope', () => {
  it("refuses a director reading complaints about another provider", async () => {
    const res = await t.request('GET', '/v1/complaints?providerId=pmpc-almaty-1', { token: await t.token('director', 'another') });
    expect(res.status).toBe(403);
  });

  it('refuses an unknown status filter, naming it', async () => {
    const res = await t.request('GET', '/v1/complaints?status=angry', { token: tok.director });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query.status');
  });
});

describe('A withdrawn complaint', () => {
  it('is not judged against today: its term stopped', async () => {
    const filed = await file('provider', 5, tok.clerk, almaty('2022-04-04', '10:00'));
    await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'Ж-30', occurredAt: almaty('2022-04-04', '10:30') }, tok.clerk);
    const withdrawn = await act(filed.body.id, { type: 'WithdrawComplaint', reason: 'Resolved by phone', occurredAt: almaty('2022-04-05', '10:00') }, tok.clerk);
    expect(withdrawn.status).toBe(201);
    await t.projected(withdrawn.body.position);
    const got = await t.request('GET', `/v1/complaints/${filed.body.id}`, { token: tok.director });
    expect(got.body).toMatchObject({ status: 'withdrawn', verdict: { status: 'stopped', dueAt: null } });
    const overdue = await t.request('GET', '/v1/complaints?status=overdue', { token: tok.director });
    expect(overdue.body.items.map((i: { id: string }) => i.id)).not.toContain(filed.body.id);
  });
});
