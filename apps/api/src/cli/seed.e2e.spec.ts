import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../testing/test-server.js';
import { runSeed, SeedRequestError, type SeedResult } from './seed-runner.js';

let t: TestServer;
const now = new Date();
let first: SeedResult;

beforeAll(async () => {
  t = await startTestServer();
  first = await runSeed({ url: t.url, secret: TEST_JWT_SECRET, cases: 40, seed: 'e2e', now });
  await t.projected(first.lastPosition);
});
afterAll(async () => {
  await t?.close();
});

describe('npm run seed against a running API', () => {
  it('sends every planned command and the API records each one', () => {
    const planned = first.plan.chains.reduce((n, c) => n + c.requests.length, 0);
    expect(first.requests).toBe(planned);
    expect(first.recorded).toBe(planned);
    expect(first.replayed).toBe(0);
    expect(first.plan.chains.filter((c) => c.case)).toHaveLength(40);
  });

  it('records nothing new when run again: every answer is the first one replayed, the event log does not grow', async () => {
    const head = await t.server.runtime.eventStore.headPosition();
    const again = await runSeed({ url: t.url, secret: TEST_JWT_SECRET, cases: 40, seed: 'e2e', now });
    expect(again.recorded).toBe(0);
    expect(again.replayed).toBe(again.requests);
    expect(again.ids).toEqual(first.ids);
    expect(await t.server.runtime.eventStore.headPosition()).toBe(head);
  });

  it('leaves complaints whose review term has run out, listed as overdue for the quality-control authority', async () => {
    const qc = await t.token('quality-control');
    const overdue = await t.request('GET', '/v1/complaints?status=overdue&limit=500', { token: qc });
    expect(overdue.status).toBe(200);
    const expected = first.plan.chains.flatMap((c) => (c.complaints.some((m) => m.overdueNow) ? [first.ids.get(c.id)!['complaint-1']] : []));
    expect(expected.length).toBeGreaterThan(0);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(expected));
  });

  it('leaves portal applications nobody answered within two working days, shown overdue on their first step', async () => {
    const chain = first.plan.chains.find((c) => c.case?.overdueNow)!;
    const head = await t.token('head', chain.case!.providerId);
    const got = await t.request('GET', `/v1/cases/${first.ids.get(chain.id)!.case}`, { token: head });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ service: 'home-education', channel: 'portal', status: 'open' });
    expect(got.body.steps[0]).toMatchObject({ stepId: 'home-b-portal-1', status: 'open', verdict: 'overdue' });
  });

  it('shows a refused application and a case whose late-entered time was corrected', async () => {
    const refused = first.plan.chains.find((c) => c.case?.refusal?.form === 'electronic')!;
    const correctedChain = first.plan.chains.find((c) => c.case?.corrections.includes('late-entry'))!;
    const qcRead = await t.token('investigator');
    const a = await t.request('GET', `/v1/cases/${first.ids.get(refused.id)!.case}`, { token: qcRead });
    expect(a.body).toMatchObject({ status: 'refused', stage: 'refused' });
    const b = await t.request('GET', `/v1/cases/${first.ids.get(correctedChain.id)!.case}`, { token: qcRead });
    const drawn = b.body.actions.find((x: { type: string }) => x.type === 'ResultDrawnUp');
    expect(drawn.corrections).toHaveLength(1);
  });

  it('stops at the first refused command and names it', async () => {
    const run = runSeed({ url: t.url, secret: 'not-the-secret-of-this-api-0123456789abcdef', cases: 1, seed: 'e2e-bad', now, concurrency: 1 });
    await expect(run).rejects.toBeInstanceOf(SeedRequestError);
    await expect(run).rejects.toMatchObject({ status: 401, request: { key: 'seed-e2e-bad-k0-01' }, problem: { code: 'UNAUTHENTICATED' } });
  });
});
