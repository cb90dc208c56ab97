import { startTestServer, type TestResponse, type TestServer } from '../testing/test-server.js';
import { almaty, applicationBody, FLOWS, runFlow, tokens, type Tokens } from '../testing/case-flows.js';
import { ComplianceSummaryService } from './compliance-summary.service.js';

let t: TestServer;
let tok: Tokens;
const provider = 'pmpc-almaty-1';
const school = 'school-almaty-12';
let schoolTok: Tokens;
let portalCaseId: string;
let pmpcCaseId: string;

/** Polls `condition` until it holds (the test's own timeout bounds the wait). */
async function until(condition: () => boolean | Promise<boolean>) {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 10));
}

beforeAll(async () => {
  // Cached summaries stay usable for the whole file here, so that a test can tell a cached answer from a new one.
  t = await startTestServer({ COMPLIANCE_SUMMARY_MAX_AGE_MS: '600000' });
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

describe('The cached compliance summary', () => {
  const summaries = () => t.server.app.get(ComplianceSummaryService);

  it('runs the aggregation once for concurrent identical requests, and answers later ones from the cache', async () => {
    const path = '/v1/compliance/summary?groupBy=provider,month&from=2019-01-01';
    const before = summaries().stats();
    // Hold the step table so that the first request's aggregation cannot finish before the others arrive.
    const lock = t.server.runtime.readModels.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    let calls: Array<Promise<TestResponse>> = [];
    try {
      await lock.query('LOCK TABLE case_step IN ACCESS EXCLUSIVE MODE');
      calls = Array.from({ length: 8 }, () => t.request('GET', path, { token: tok.qualityControl }));
      // Every request has reached the cache (and, but for one, waits there) before the table is released.
      await until(() => summaries().stats().requests - before.requests === 8);
      expect(summaries().stats().computations - before.computations).toBe(1);
      expect(summaries().stats().joined - before.joined).toBe(7);
    } finally {
      await lock.commitTransaction();
      await lock.release();
    }
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers[0].body.items.length).toBeGreaterThan(0);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(summaries().stats().computations - before.computations).toBe(1);

    const later = await t.request('GET', path, { token: tok.qualityControl });
    expect(later.body.asOf).toBe(answers[0].body.asOf);
    expect(later.body).toMatchObject({ maxAgeMs: 600000, items: answers[0].body.items });
    expect(Number(later.headers.get('age'))).toBeLessThanOrEqual(600);
    expect(later.headers.get('x-as-of')).toBe(later.body.asOf);
    const csv = await t.request('GET', path, { token: tok.qualityControl, headers: { accept: 'text/csv' } });
    expect(csv.text.trim().split('\r\n')).toHaveLength(answers[0].body.items.length + 1);
    expect(summaries().stats().computations - before.computations).toBe(1);
  });

  it("never hands one provider's director the cached answer of another's", async () => {
    const path = '/v1/compliance/summary?groupBy=provider,service';
    const school1 = await t.request('GET', path, { token: schoolTok.director });
    const computed = summaries().stats().computations;
    const pmpc = await t.request('GET', path, { token: tok.director });
    expect(summaries().stats().computations).toBe(computed + 1);
    const school2 = await t.request('GET', path, { token: schoolTok.director });
    expect(summaries().stats().computations).toBe(computed + 1);
    expect(school1.body.items.length).toBeGreaterThan(0);
    expect(pmpc.body.items.length).toBeGreaterThan(0);
    expect(school1.body.items.every((i: { providerId: string }) => i.providerId === school)).toBe(true);
    expect(pmpc.body.items.every((i: { providerId: string }) => i.providerId === provider)).toBe(true);
    expect(school2.body.items).toEqual(school1.body.items);
    // The same for CSV, answered from the same entries.
    const pmpcCsv = await t.request('GET', path, { token: tok.director, headers: { accept: 'text/csv' } });
    const rows = pmpcCsv.text.trim().split('\r\n').slice(1);
    expect(rows.length).toBe(pmpc.body.items.length);
    expect(rows.every((r) => r.startsWith(`${provider},`))).toBe(true);
    // Quality control's report over every provider is another entry again.
    const all = await t.request('GET', path, { token: tok.qualityControl });
    expect(new Set(all.body.items.map((i: { providerId: string }) => i.providerId))).toEqual(new Set([provider, school]));
  });

  it('shows a new event once the cached answer is older than the maximum age', async () => {
    const fresh = await startTestServer({ COMPLIANCE_SUMMARY_MAX_AGE_MS: '200' });
    try {
      const ft = await tokens(fresh, provider);
      const steps = async () => {
        const res = await fresh.request('GET', '/v1/compliance/summary?groupBy=provider', { token: ft.qualityControl });
        expect(res.body.maxAgeMs).toBe(200);
        return (res.body.items as Array<{ steps: number }>).reduce((n, i) => n + i.steps, 0);
      };
      const first = await runFlow(fresh, ft, FLOWS[0], provider, 1);
      await fresh.projected(first.position);
      const before = await steps();
      expect(before).toBeGreaterThan(0);
      const opened = await fresh.request('POST', '/v1/cases', { token: ft.clerk, body: applicationBody(FLOWS[0], provider, 2) });
      await fresh.projected(opened.body.position);
      await until(async () => (await steps()) > before);
      expect(fresh.server.app.get(ComplianceSummaryService).stats().computations).toBeGreaterThan(1);
    } finally {
      await fresh.close();
    }
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
