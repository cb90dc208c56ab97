import { startTestServer, type TestServer } from '../testing/test-server.js';
import { almaty, applicant, child, officeFlow, tokens } from '../testing/case-flows.js';

let t: TestServer;
let tok: Awaited<ReturnType<typeof tokens>>;
const provider = 'school-almaty-12';

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, provider);
});
afterAll(async () => {
  await t?.close();
});

const submit = (overrides: Record<string, unknown> = {}, token = tok.clerk, headers: Record<string, string> = {}) =>
  t.request('POST', '/v1/cases', {
    token,
    headers,
    body: { service: 'home-education', providerId: provider, channel: 'office', occurredAt: almaty('2021-09-06', '09:00'), applicant: applicant(), child: child(), documents: [{ kind: 'application' }, { kind: 'medical-certificate' }], ...overrides },
  });

describe('Walking skeleton: POST /v1/cases -> event store -> projector -> GET /v1/cases/{id}', () => {
  it('opens a case and reads it back from the read model', async () => {
    const res = await submit();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ streamVersion: 1, events: [{ type: 'ApplicationSubmitted' }] });
    await t.projected(res.body.position);
    const got = await t.request('GET', `/v1/cases/${res.body.id}`, { token: tok.director });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: res.body.id, service: 'home-education', providerId: provider, stage: 'submitted', status: 'open', regulation: { id: 'home-education-rules-2020' } });
    expect(got.body.personalData.child.fullName).toBe(child().fullName);
  });
});

describe('A home-education case under the later rules (office)', () => {
  it('goes from application to the issued order, each step judged against its norm', async () => {
    const opened = await submit();
    let last = opened.body;
    for (const step of officeFlow('home-education-b', '2021-09-06')) {
      const res = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok[step.role], body: step.body });
      expect({ type: step.body.type, status: res.status, body: res.status === 201 ? 'ok' : res.body }).toEqual({ type: step.body.type, status: 201, body: 'ok' });
      last = res.body;
    }
    await t.projected(last.position);
    const got = await t.request('GET', `/v1/cases/${opened.body.id}`, { token: tok.head });
    expect(got.body).toMatchObject({ stage: 'issued', status: 'issued' });
    expect(got.body.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual([
      ['home-b-office-1', 'completed'],
      ['home-b-office-2', 'completed'],
      ['home-b-3', 'completed'],
    ]);
  });
});
