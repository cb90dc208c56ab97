import { startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe('GET /v1/calendar/due', () => {
  it('gives the instant a working-day term expires with the Almaty offset, skipping Nauryz 2024', async () => {
    // Started Wednesday 20 March 2024: Nauryz 21-23 (Thu-Sat), Sunday 24, Monday 25 the carried-over Saturday.
    const res = await t.request('GET', '/v1/calendar/due?from=2024-03-20T10:00:00%2B05:00&amount=2&unit=working-days');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dueAt: '2024-03-28T00:00:00+05:00', lastDay: '2024-03-27', provisional: false });
  });

  it('counts minutes of working time across lunch', async () => {
    const res = await t.request('GET', '/v1/calendar/due?from=2024-04-02T12:50:00Z&amount=15&unit=minutes');
    // 12:50Z = 17:50 local (UTC+5): 10 minutes left that day, 5 more from 09:00 next working day.
    expect(res.body).toMatchObject({ dueAt: '2024-04-03T09:05:00+05:00', lastDay: null });
  });

  it("counts a provider's own working hours when providerId is given", async () => {
    // rehab-taldykorgan works 08:30-12:30, 13:30-17:30: 15 minutes from 17:20 local end at 08:35 next day.
    const res = await t.request('GET', '/v1/calendar/due?from=2024-04-02T17:20:00%2B05:00&amount=15&unit=minutes&providerId=rehab-taldykorgan');
    expect(res.body).toMatchObject({ dueAt: '2024-04-03T08:35:00+05:00' });
    const unknown = await t.request('GET', '/v1/calendar/due?from=2024-04-02T17:20:00%2B05:00&amount=15&unit=minutes&providerId=nobody');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('query.providerId');
  });

  it('marks an answer in a year without published data as provisional', async () => {
    const res = await t.request('GET', '/v1/calendar/due?from=2027-12-28T10:00:00%2B05:00&amount=5&unit=working-days');
    expect(res.status).toBe(200);
    expect(res.body.provisional).toBe(true);
  });

  it.each([
    ['from=yesterday&amount=2&unit=working-days', 'query.from'],
    ['from=2024-03-20T10:00:00Z&amount=-1&unit=working-days', 'query.amount'],
    ['from=2024-03-20T10:00:00Z&amount=2&unit=fortnights', 'query.unit'],
    ['amount=2&unit=hours', 'query.from'],
    ['from=2024-03-20T10:00:00Z&amount=1.5&unit=working-days', 'query.amount'],
    ['from=2024-03-20T10:00:00Z&amount=2&unit=hours&colour=red', 'query.colour'],
  ])('answers %s with a 400 problem naming %s', async (qs, field) => {
    const res = await t.request('GET', `/v1/calendar/due?${qs}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).join(' ')).toContain(field);
  });
});

describe('GET /v1/calendar/days', () => {
  it('lists each day with why it is or is not a working day', async () => {
    const res = await t.request('GET', '/v1/calendar/days?from=2020-05-07&to=2020-05-11');
    expect(res.status).toBe(200);
    const byDate = Object.fromEntries(res.body.days.map((d: { date: string }) => [d.date, d]));
    expect(byDate['2020-05-07']).toMatchObject({ working: false, reason: 'holiday' });
    expect(byDate['2020-05-08']).toMatchObject({ working: false });
    expect(byDate['2020-05-11']).toMatchObject({ working: true });
  });

  it('refuses a range that ends before it starts', async () => {
    const res = await t.request('GET', '/v1/calendar/days?from=2024-05-10&to=2024-05-01');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query.to');
  });
});

describe('GET /v1/regulations', () => {
  it('lists the regulation versions with their legal sources', async () => {
    const res = await t.request('GET', '/v1/regulations');
    expect(res.status).toBe(200);
    expect(res.body.regulations.length).toBeGreaterThanOrEqual(2);
    expect(res.body.regulations[0].source.document).toBeTruthy();
  });

  it('gives the home-education regulation in force on a date with its steps and norms', async () => {
    const res = await t.request('GET', '/v1/regulations/home-education?at=2019-06-01');
    expect(res.status).toBe(200);
    const executorStep = res.body.service.steps.find((s: { performedBy: string[] }) => s.performedBy.includes('executor'));
    expect(executorStep.norm).toMatchObject({ kind: 'limit', amount: 2, unit: 'working-days' });
  });

  it('says which dates no regulation covers', async () => {
    const res = await t.request('GET', '/v1/regulations/pmpc-examination?at=2010-01-01');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NO_REGULATION_IN_FORCE');
    expect(res.body.detail).toMatch(/pmpc-examination/);
  });

  it('refuses an unknown service code', async () => {
    const res = await t.request('GET', '/v1/regulations/astrology');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('params.service');
  });
});

describe('unknown routes and the documentation', () => {
  it('answers an unknown route with a problem document', async () => {
    const res = await t.request('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('serves the OpenAPI document and its page', async () => {
    const json = await t.request('GET', '/docs/json');
    expect(json.body.openapi).toBe('3.1.0');
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/v1/calendar/due', '/v1/regulations/{service}']));
    const page = await t.request('GET', '/docs');
    expect(page.text).toContain('swagger-ui-bundle.js');
  });

  it('exposes Prometheus metrics: projections, their failure state, and requests by route pattern', async () => {
    await t.request('GET', '/v1/regulations/home-education?at=2019-06-01');
    const res = await t.request('GET', '/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toContain('sped_projection_failed{projection="case-summary"} 0');
    expect(res.text).toMatch(/sped_projection_lag_positions\{projection="case-timeline"\} \d+/);
    expect(res.text).toContain('sped_http_requests_total{method="GET",route="/v1/regulations/:service",status="200"}');
  });

  it('reports health with the event store, read models and projector lag', async () => {
    const res = await t.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ eventStore: { ok: true }, readModels: { ok: true }, projector: { ok: true, lag: 0 } });
  });
});
