import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PostgresEventStore, type EventStore } from '@sped/event-store';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import type { DataSource } from 'typeorm';
import { openReadModels } from '../data-source.js';
import { ProjectionRunner } from '../projection.runner.js';
import { MonitoringDeliveryWorker, type DeliveryBatchBody, type MonitoringDeliveryOptions } from './monitoring-delivery.worker.js';
import { monitoringFeedProjection } from './monitoring-feed.projection.js';
import { readMonitoringDeliveries, readMonitoringFeed } from './monitoring-feed.queries.js';
import { CaseHistory } from './testing/case-history.js';

const at = (date: string, time: string) => `${date}T${time}:00+06:00`;

interface Received {
  key: string | undefined;
  body: DeliveryBatchBody;
  status: number;
}

/** A monitoring system on 127.0.0.1: `answer` picks each request's status, or 'hang' to never answer it. */
async function startReceiver(answer: (n: number) => number | 'hang') {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const status = answer(received.length + 1);
      received.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) as DeliveryBatchBody, status: status === 'hang' ? 0 : status });
      if (status === 'hang') hanging.push(res);
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/stages`,
    received,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls for a condition (the test's own timeout ends a wait that never comes true). */
async function until(condition: () => Promise<boolean> | boolean) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const fast = (url: string, extra: Partial<MonitoringDeliveryOptions> = {}): MonitoringDeliveryOptions => ({ url, batchSize: 2, retryBaseMs: 5, retryMaxMs: 40, idlePollMs: 10, attemptTimeoutMs: 5_000, ...extra });

let db: TestDatabase;
let store: EventStore;
let rm: DataSource;
let total: number;

beforeAll(async () => {
  db = await createTestDatabase('monitoring_delivery');
  store = await PostgresEventStore.create({ connectionString: db.connectionString, poolSize: 4 });
  rm = await openReadModels({ url: db.connectionString, poolSize: 6 });
});
afterAll(async () => {
  await rm?.destroy();
  await store?.close();
  await db?.drop();
});

/** Adds cases to the log and waits until the feed has their stage records. */
async function addCases(n: number) {
  let last = '0';
  for (let i = 0; i < n; i++) {
    const history = new CaseHistory('home-education', `school-${i % 3}`)
      .submit(at('2021-09-06', '09:00'))
      .do('AcceptDocuments', { journalNumber: `H-${i}` }, 'clerk', at('2021-09-06', '09:05'))
      .do('IssueReceipt', {}, 'clerk', at('2021-09-06', '09:06'))
      .do('SendToHead', {}, 'clerk', at('2021-09-06', '09:10'));
    last = (await store.append(history.streamId, history.newEvents(), { expectedVersion: 0 })).position;
  }
  const runner = new ProjectionRunner(store, rm, [monitoringFeedProjection], silent);
  runner.start();
  await runner.waitFor(last);
  await runner.stop();
  total = (await readMonitoringFeed(rm, { limit: 100_000 })).items.length;
}

const delivered = async () => (await readMonitoringDeliveries(rm, { limit: 1 })).counts.delivered;

function expectEachRecordOnceInOrder(accepted: Received[], feedIds: string[]) {
  const ids = accepted.flatMap((r) => r.body.records.map((x) => x.recordId));
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(feedIds);
}

describe('Monitoring delivery worker (real database, real HTTP receiver)', () => {
  it('lets only the lease holder of two workers deliver: every record once, in cursor order', async () => {
    await addCases(3);
    const receiver = await startReceiver(() => 200);
    const a = new MonitoringDeliveryWorker(rm, silent, fast(receiver.url, { owner: 'process-a' }));
    const b = new MonitoringDeliveryWorker(rm, silent, fast(receiver.url, { owner: 'process-b' }));
    a.start();
    b.start();
    await until(async () => (await delivered()) === total);
    await Promise.all([a.stop(), b.stop()]);
    await receiver.close();
    const feedIds = (await readMonitoringFeed(rm, { limit: 100_000 })).items.map((r) => r.recordId);
    expectEachRecordOnceInOrder(receiver.accepted(), feedIds);
    expect(receiver.received.every((r) => r.key === r.body.batchId)).toBe(true);
    expect(receiver.received.every((r) => r.body.records.length <= 2)).toBe(true);
  });

  it('aborts an attempt the receiver does not answer in time, logs it and resends the same batch under the same key', async () => {
    const before = total;
    await addCases(1);
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { ...silent, warn: (o: object) => warnings.push(o as Record<string, unknown>) };
    const receiver = await startReceiver((n) => (n === 1 ? 'hang' : 200));
    const worker = new MonitoringDeliveryWorker(rm, logger, fast(receiver.url, { attemptTimeoutMs: 100 }));
    worker.start();
    await until(async () => (await delivered()) === total);
    await worker.stop();
    await receiver.close();
    const [first, second] = receiver.received;
    expect(second.key).toBe(first.key);
    expect(second.body).toEqual(first.body);
    expect(warnings[0]).toMatchObject({ batchId: first.key, attempt: 1, error: 'no answer within 100 ms' });
    expect(typeof warnings[0].retryInMs).toBe('number');
    const rows = (await readMonitoringDeliveries(rm, { after: '0', limit: 100_000 })).items.slice(before);
    expect(rows[0]).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, batchId: first.key });
  });

  it('releases the lease when stopped, so another process takes over without waiting for it to expire', async () => {
    await addCases(1);
    const first = await startReceiver(() => 503);
    const stopped = new MonitoringDeliveryWorker(rm, silent, fast(first.url, { owner: 'old', leaseMs: 600_000 }));
    stopped.start();
    await until(() => first.received.length >= 1);
    await stopped.stop();
    await first.close();
    const failed = await readMonitoringDeliveries(rm, { status: 'failed', limit: 100 });
    expect(failed.items[0].lastError).toMatch(/^HTTP 503/);
    const second = await startReceiver(() => 200);
    const next = new MonitoringDeliveryWorker(rm, silent, fast(second.url, { owner: 'new', leaseMs: 600_000 }));
    next.start();
    await until(async () => (await delivered()) === total);
    await next.stop();
    await second.close();
    expect(next.status().state).toBe('stopped');
    expect(second.accepted()[0].key).toBe(first.received[0].key);
  });
});
