import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MonitoringDeliveryWorker, type DeliveryBatchBody, type StageRecordView } from '@sped/read-models';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { almaty, applicant, applicationBody, child, FLOWS, runFlow, tokens, type Tokens } from '../testing/case-flows.js';

const providerA = 'school-monitoring-a';
const providerB = 'school-monitoring-b';
const pmpc = FLOWS.find((f) => f.service === 'pmpc-examination')!;
const homeB = FLOWS.find((f) => f.name === 'home education at the office (later rules)')!;
const portal = FLOWS.find((f) => f.channel === 'portal')!;
const MOTIVATION = 'Не приложено заключение ПМПК для ребёнка';

let t: TestServer;
let tok: Tokens;
let tokB: Tokens;
const cases: Record<'pmpc' | 'other' | 'refused' | 'withdrawn' | 'corrected', string> = { pmpc: '', other: '', refused: '', withdrawn: '', corrected: '' };

interface Received {
  key: string | undefined;
  body: DeliveryBatchBody;
  status: number;
}

/** The state monitoring system, on 127.0.0.1: `answer(n)` gives the status of its n-th request. Can go down and come back on the same port. */
async function startReceiver(answer: (n: number) => number) {
  const received: Received[] = [];
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const status = answer(received.length + 1);
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) as DeliveryBatchBody, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: status < 300 }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const down = async () => {
    const s = server!;
    server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  return {
    url: `http://127.0.0.1:${port}/api/stages?token=not-logged`,
    received,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    up,
    down,
    close: async () => {
      if (server) await down();
    },
  };
}

/** Polls for a condition (the test's own timeout ends a wait that never comes true). */
async function until(condition: () => Promise<boolean> | boolean) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

const act = (id: string, body: Record<string, unknown>, token: string) => t.request('POST', `/v1/cases/${id}/actions`, { token, body });
async function open(serial: number) {
  const res = await t.request('POST', '/v1/cases', { token: tok.clerk, body: applicationBody(homeB, providerA, serial) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function wholeFeed(token = tok.qualityControl): Promise<StageRecordView[]> {
  const res = await t.request('GET', '/v1/monitoring/feed?limit=1000', { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

const personalData = (serial: number) => [applicant(serial).iin, applicant(serial).fullName, child(serial).iin, child(serial).fullName, child(serial).medicalNotes, applicant(serial).phone];

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, providerA);
  tokB = await tokens(t, providerB);
  cases.pmpc = (await runFlow(t, tok, pmpc, providerA, 1)).id;
  cases.other = (await runFlow(t, tokB, portal, providerB, 2)).id;
  cases.refused = await open(3);
  expect((await act(cases.refused, { type: 'RefuseApplication', grounds: ['incomplete-documents'], motivation: MOTIVATION, occurredAt: almaty('2021-09-06', '09:10') }, tok.clerk)).status).toBe(201);
  cases.withdrawn = await open(4);
  expect((await act(cases.withdrawn, { type: 'WithdrawApplication', reason: 'Семья переехала в Астану', occurredAt: almaty('2021-09-06', '11:00') }, tok.clerk)).status).toBe(201);
  cases.corrected = await open(5);
  const accepted = await act(cases.corrected, { type: 'AcceptDocuments', journalNumber: 'H-5', occurredAt: almaty('2021-09-06', '09:50') }, tok.clerk);
  const corrected = await act(cases.corrected, { type: 'CorrectAction', correctedEventId: accepted.body.events[0].id, reason: 'Typed 09:50 instead of 09:05', corrected: { occurredAt: almaty('2021-09-06', '09:05') } }, tok.clerk);
  expect(corrected.status).toBe(201);
  await t.projected(corrected.body.position);
});
afterAll(async () => {
  await t?.close();
});

describe('Monitoring feed (GET /v1/monitoring/feed)', () => {
  it('has one stage record per stage change of a case, the result with its number when issued', async () => {
    const feed = (await wholeFeed()).filter((r) => r.caseId === cases.pmpc);
    expect(feed.map((r) => r.stage)).toEqual(['submitted', 'accepted', 'with-head', 'with-executor', 'result-drawn-up', 'signed', 'result-ready', 'issued']);
    expect(feed[0]).toMatchObject({ serviceCode: 'pmpc-examination', providerId: providerA, channel: 'office', regulationId: 'almaty-region-604-2018', occurredAt: '2019-06-03T03:00:00.000Z', previousStage: null });
    expect(feed.at(-1)).toMatchObject({ action: 'ResultIssued', occurredAt: '2019-07-01T05:00:00.000Z', result: { documentNumber: 'Q-77' }, refusal: null });
    expect(feed.at(-1)!.result!.documentKinds.length).toBeGreaterThan(0);
  });

  it('reports a refusal with its grounds and a withdrawal, and nothing for a correction that leaves the stage as it was', async () => {
    const feed = await wholeFeed();
    const of = (id: string) => feed.filter((r) => r.caseId === id);
    expect(of(cases.refused).map((r) => r.stage)).toEqual(['submitted', 'refused']);
    expect(of(cases.refused)[1].refusal).toMatchObject({ grounds: [{ code: 'incomplete-documents' }], form: 'paper' });
    expect(of(cases.withdrawn).map((r) => r.stage)).toEqual(['submitted', 'withdrawn']);
    expect(of(cases.corrected).map((r) => r.stage)).toEqual(['submitted', 'accepted']);
    expect(of(cases.corrected)[1].occurredAt).toBe('2021-09-06T03:50:00.000Z');
  });

  it('carries no personal data and no free text', async () => {
    const res = await t.request('GET', '/v1/monitoring/feed?limit=1000', { token: tok.qualityControl });
    for (const serial of [1, 2, 3, 4, 5]) for (const value of personalData(serial)) expect(res.text).not.toContain(value);
    expect(res.text).not.toContain(MOTIVATION);
    expect(res.text).not.toContain('переехала');
  });

  it('pages with after= in cursor order without gaps or repeats', async () => {
    const whole = await wholeFeed();
    const paged: StageRecordView[] = [];
    let after = '0';
    for (;;) {
      const page = await t.request('GET', `/v1/monitoring/feed?after=${after}&limit=3`, { token: tok.investigator });
      expect(page.status).toBe(200);
      if (page.body.items.length === 0) {
        expect(page.body.nextCursor).toBe(after);
        break;
      }
      paged.push(...page.body.items);
      after = page.body.nextCursor;
    }
    expect(paged.map((r) => r.recordId)).toEqual(whole.map((r) => r.recordId));
    expect(new Set(paged.map((r) => r.recordId)).size).toBe(paged.length);
    const cursors = paged.map((r) => BigInt(r.cursor));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1])).toBe(true);
  });

  it("shows provider staff only their provider's records and refuses them another provider's", async () => {
    const mine = await wholeFeed(tok.director);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.providerId === providerA)).toBe(true);
    const theirs = await t.request('GET', `/v1/monitoring/feed?providerId=${providerB}`, { token: tok.head });
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe('PROVIDER_MISMATCH');
    const filtered = await t.request('GET', `/v1/monitoring/feed?providerId=${providerB}&limit=1000`, { token: tok.admin });
    expect(filtered.body.items.map((r: StageRecordView) => r.caseId)).toEqual(Array(filtered.body.items.length).fill(cases.other));
  });

  it('refuses applicants and, for delivery status, provider staff', async () => {
    const feed = await t.request('GET', '/v1/monitoring/feed', { token: tok.applicant });
    expect(feed.status).toBe(403);
    expect(feed.body.code).toBe('ROLE_NOT_ALLOWED');
    expect((await t.request('GET', '/v1/monitoring/deliveries', { token: tok.director })).status).toBe(403);
    expect((await t.request('GET', '/v1/monitoring/feed')).status).toBe(401);
  });

  it.each([
    ['after=abc', 'query.after'],
    ['after=-1', 'query.after'],
    ['after=99999999999999999999', 'query.after'],
    ['limit=0', 'query.limit'],
    ['limit=5000', 'query.limit'],
    ['limit=2.5', 'query.limit'],
    ['since=5', 'query.since'],
  ])('answers 400 naming the field for %s', async (qs, field) => {
    const res = await t.request('GET', `/v1/monitoring/feed?${qs}`, { token: tok.qualityControl });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses an unknown delivery status', async () => {
    const res = await t.request('GET', '/v1/monitoring/deliveries?status=lost', { token: tok.admin });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query.status');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await t.request('GET', '/docs/json');
    expect(doc.body.paths['/v1/monitoring/feed'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['after', 'limit', 'providerId']));
    expect(doc.body.paths['/v1/monitoring/deliveries'].get).toBeDefined();
  });
});

describe('Delivery to the monitoring system', () => {
  it('gets every record through failures and an outage to the receiver once, in order, and shows the delivery status', async () => {
    let accepting = false;
    const receiver = await startReceiver(() => (accepting ? 202 : 500));
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (o: object) => warnings.push(o as Record<string, unknown>) };
    const worker = new MonitoringDeliveryWorker(t.server.runtime.readModels, logger, { url: receiver.url, batchSize: 4, retryBaseMs: 2, retryMaxMs: 20, idlePollMs: 5 });
    worker.start();
    const deliveries = async (qs = '') => (await t.request('GET', `/v1/monitoring/deliveries?limit=1000${qs}`, { token: tok.admin })).body;

    // Three 500s, then the receiver goes down and the worker meets a refused connection (at least twice).
    await until(() => receiver.received.length >= 3);
    await receiver.down();
    const refused = () => warnings.filter((w) => /ECONNREFUSED/.test(String(w.error))).length;
    await until(() => refused() >= 2);
    // While it is down, more stage changes happen; they queue behind the batch that failed.
    const late = await runFlow(t, tok, homeB, providerA, 6);
    await t.projected(late.position);
    const failing = await deliveries();
    expect(failing.counts.delivered).toBe(0);
    expect(failing.items[0]).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/ECONNREFUSED/) });

    accepting = true;
    await receiver.up();
    const total = (await wholeFeed()).length;
    await until(async () => (await deliveries()).counts.delivered === total);
    await worker.stop();
    await receiver.close();

    const feedIds = (await wholeFeed()).map((r) => r.recordId);
    const acceptedIds = receiver.accepted().flatMap((r) => r.body.records.map((x) => x.recordId));
    expect(acceptedIds).toEqual(feedIds);
    for (const id of feedIds) expect(receiver.accepted().filter((r) => r.body.records.some((x) => x.recordId === id))).toHaveLength(1);
    // Never reordered: every request starts where the previous one started or after it; a retry is the same batch.
    const firsts = receiver.received.map((r) => BigInt(r.body.records[0].cursor));
    expect(firsts.every((c, i) => i === 0 || c >= firsts[i - 1])).toBe(true);
    for (const r of receiver.received) {
      expect(r.key).toBe(r.body.batchId);
      expect(receiver.received.filter((o) => o.key === r.key).every((o) => JSON.stringify(o.body) === JSON.stringify(r.body))).toBe(true);
    }
    const bodies = JSON.stringify(receiver.received.map((r) => r.body));
    for (const serial of [1, 2, 3, 4, 5, 6]) for (const value of personalData(serial)) expect(bodies).not.toContain(value);
    expect(bodies).not.toContain(MOTIVATION);

    const done = await deliveries();
    expect(done.counts).toEqual({ pending: 0, failed: 0, delivered: total });
    expect(done.items[0]).toMatchObject({ status: 'delivered', lastError: null, batchId: receiver.received[0].key });
    expect(done.items[0].attempts).toBeGreaterThanOrEqual(6);
    expect(warnings[0]).toMatchObject({ batchId: receiver.received[0].key, attempt: 1, status: 500, error: expect.stringMatching(/^HTTP 500/) });
    expect(JSON.stringify(warnings)).not.toContain('not-logged');
  });
});

describe('The server with MONITORING_URL set', () => {
  it('delivers the stage records of new cases itself and stops delivering when it stops', async () => {
    const receiver = await startReceiver(() => 200);
    const other = await startTestServer({ MONITORING_URL: receiver.url });
    try {
      expect(other.server.monitoringDelivery).toBeDefined();
      const otherTok = await tokens(other, providerA);
      const { id } = await runFlow(other, otherTok, homeB, providerA, 7);
      const stages = () => receiver.accepted().flatMap((r) => r.body.records.filter((x) => x.caseId === id).map((x) => x.stage));
      await until(() => stages().at(-1) === 'issued');
      expect(stages()).toEqual(['submitted', 'accepted', 'with-head', 'with-executor', 'result-drawn-up', 'signed', 'issued']);
    } finally {
      await other.close();
      await receiver.close();
    }
    expect(other.server.monitoringDelivery!.status().state).toBe('stopped');
  });
});
