import { startTestServer, type TestServer } from '../testing/test-server.js';
import { almaty, applicationBody, FLOWS, runFlow, tokens, type Tokens } from '../testing/case-flows.js';

let t: TestServer;
let tok: Tokens;
const provider = 'pmpc-almaty-1';
const school = 'school-almaty-12';
let schoolTok: Tokens;
let portalCaseId: string;
let pmpcCaseId: string;

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, provider);
  schoolTok = await tokens(t, school);
  const pmpc = await runFlow(t, tok, FLOWS[0], provider, 1);
  pmpcCaseId = pmpc.id;
  // A portal request from 2021 that nobody processed: its 2-working-day term has long expired.
  const portal = FLOWS.find((f) => f.channel === 'portal')!;
  const opened = await t.request('POST', '/v1/cases', { token: schoolTok.applicant, body: applicationBody(portal, school, 2) });
  portalCaseId = opened.body.id;
  const office = FLOWS.find((f) => f.name === 'home education at the office (later rules)')!;
  const done = await runFlow(t, schoolTok, office, school, 3);
  await t.projected(done.position);
});
afterAll(async () => {
  await t?.close();
});

describe('Compliance for the quality-control authority', () => {
  it('summarises each step: on-time share, breaches, median and 90th percentile in the norm unit', async () => {
    const res = await t.request('GET', '/v1/compliance/summary?service=pmpc-examination', { token: tok.qualityControl });
    expect(res.status).toBe(200);
    const byStep = Object.fromEntries(res.body.items.map((i: { stepId: string }) => [i.stepId, i]));
    expect(byStep['pmpc-1']).toMatchObject({ providerId: provider, cases: 1, completed: 1, onTime: 1, onTimeShare: 1, breaches: 0, median: 12, p90: 12, durationUnit: 'working-minutes' });
    expect(byStep['pmpc-5']).toMatchObject({ onTimeShare: 0, breaches: 1, lateOrOutsideWindow: 1, median: 30 });
    expect(byStep['pmpc-3']).toMatchObject({ durationUnit: 'calendar-days', median: 25 });
  });

  it('groups by month for a trend', async () => {
    const res = await t.request('GET', '/v1/compliance/summary?groupBy=month&from=2019-01-01&to=2019-12-31', { token: tok.qualityControl });
    expect(res.body.items.map((i: { month: string }) => i.month)).toEqual(['2019-06', '2019-07']);
  });

  it('lists breaches with the norm and the excess, including a step overdue now', async () => {
    const res = await t.request('GET', '/v1/compliance/breaches', { token: tok.qualityControl });
    expect(res.status).toBe(200);
    const late = res.body.items.find((i: { caseId: string; stepId: string }) => i.caseId === pmpcCaseId && i.stepId === 'pmpc-5');
    expect(late).toMatchObject({ breach: 'late', excess: { amount: 15, unit: 'minutes' }, norm: { kind: 'limit', amount: 15, unit: 'minutes' } });
    const overdue = res.body.items.find((i: { caseId: string }) => i.caseId === portalCaseId);
    expect(overdue).toMatchObject({ breach: 'overdue', stepId: 'home-b-portal-1', norm: { amount: 2, unit: 'working-days' } });
    expect(overdue.excess.amount).toBeGreaterThan(1000);
  });

  it('exports the breaches as CSV', async () => {
    const res = await t.request('GET', '/v1/compliance/breaches?kind=late', { token: tok.qualityControl, headers: { accept: 'text/csv' } });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('caseId,providerId,service,stepId,regulationId,norm,source,startedAt,dueAt,completedAt,breach,excessAmount,excessUnit,performedByRole,performedByUser,executorId,recordedLate');
    expect(lines.some((l) => l.startsWith(`${pmpcCaseId},${provider},pmpc-examination,pmpc-5,`) && l.includes(',late,15,minutes,'))).toBe(true);
  });

  it("keeps a director to their own provider's figures", async () => {
    const own = await t.request('GET', '/v1/compliance/summary', { token: schoolTok.director });
    expect(own.body.items.every((i: { providerId: string }) => i.providerId === school)).toBe(true);
    const other = await t.request('GET', `/v1/compliance/summary?providerId=${provider}`, { token: schoolTok.director });
    expect(other.status).toBe(403);
    const clerk = await t.request('GET', '/v1/compliance/summary', { token: tok.clerk });
    expect(clerk.status).toBe(403);
  });

  it('names a bad grouping dimension', async () => {
    const res = await t.request('GET', '/v1/compliance/summary?groupBy=colour', { token: tok.qualityControl });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query.groupBy');
  });
});

describe("The director's workload", () => {
  it('counts open cases per executor, overdue ones and cases waiting for work', async () => {
    const res = await t.request('GET', '/v1/workload', { token: schoolTok.director });
    expect(res.status).toBe(200);
    expect(res.body.total).toMatchObject({ openCases: 1, overdue: 1 });
    expect(res.body.executors).toEqual([expect.objectContaining({ executorId: null, openCases: 1, overdue: 1, byStage: { submitted: 1 } })]);
  });

  it('lists cases waiting for the head to appoint an executor', async () => {
    const open = await t.request('POST', '/v1/cases', { token: tok.clerk, body: applicationBody(FLOWS[0], provider, 9) });
    await t.request('POST', `/v1/cases/${open.body.id}/actions`, { token: tok.clerk, body: { type: 'AcceptDocuments', journalNumber: 'P-9', occurredAt: almaty('2019-06-03', '09:05') } });
    const sent = await t.request('POST', `/v1/cases/${open.body.id}/actions`, { token: tok.clerk, body: { type: 'SendToHead', occurredAt: almaty('2019-06-03', '09:10') } });
    await t.projected(sent.body.position);
    const res = await t.request('GET', '/v1/workload', { token: tok.director });
    expect(res.body.waitingForExecutor).toEqual([expect.objectContaining({ caseId: open.body.id, stepId: 'pmpc-2', verdict: 'overdue' })]);
  });
});

describe('The case list', () => {
  it('filters cases overdue now', async () => {
    const res = await t.request('GET', '/v1/cases?overdue=true', { token: tok.qualityControl });
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(portalCaseId);
    expect(ids).not.toContain(pmpcCaseId);
    const item = res.body.items.find((i: { id: string }) => i.id === portalCaseId);
    expect(item.currentStep).toMatchObject({ stepId: 'home-b-portal-1', verdict: 'overdue' });
  });

  it('pages with a cursor without repeats or gaps', async () => {
    const all = await t.request('GET', '/v1/cases?limit=500', { token: tok.qualityControl });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.request('GET', `/v1/cases?limit=1${after ? `&after=${after}` : ''}`, { token: tok.qualityControl });
      seen.push(...page.body.items.map((i) => i.id));
      after = page.body.nextCursor;
    } while (after);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('shows a director only their own cases', async () => {
    const res = await t.request('GET', '/v1/cases', { token: schoolTok.director });
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((i: { providerId: string }) => i.providerId === school)).toBe(true);
  });

  it('names a bad filter', async () => {
    const res = await t.request('GET', '/v1/cases?stage=lost&limit=0', { token: tok.qualityControl });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.limit', 'query.stage']);
  });
});
