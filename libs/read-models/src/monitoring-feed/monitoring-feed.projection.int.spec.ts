import { PostgresEventStore, type EventStore, type RecordedEvent } from '@sped/event-store';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import type { DataSource } from 'typeorm';
import { openReadModels } from '../data-source.js';
import { ProjectionRunner } from '../projection.runner.js';
import { MonitoringCaseMemory, MonitoringStageRecord } from './monitoring-feed.entity.js';
import { monitoringFeedProjection } from './monitoring-feed.projection.js';
import { readMonitoringDeliveries, readMonitoringFeed, type StageRecordView } from './monitoring-feed.queries.js';
import { CaseHistory } from './testing/case-history.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const at = (date: string, time: string) => `${date}T${time}:00+06:00`;

let db: TestDatabase;
let store: EventStore;
let rm: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('monitoring_feed');
  store = await PostgresEventStore.create({ connectionString: db.connectionString, poolSize: 4 });
  rm = await openReadModels({ url: db.connectionString, poolSize: 4 });
});
afterAll(async () => {
  await rm?.destroy();
  await store?.close();
  await db?.drop();
});

const caseThroughHead = (provider = 'school-1') =>
  new CaseHistory('home-education', provider)
    .submit(at('2021-09-06', '09:00'))
    .do('AcceptDocuments', { journalNumber: 'H-1' }, 'clerk', at('2021-09-06', '09:05'))
    .do('IssueReceipt', {}, 'clerk', at('2021-09-06', '09:06'))
    .do('SendToHead', {}, 'clerk', at('2021-09-06', '09:10'));

async function project(upTo: string) {
  const runner = new ProjectionRunner(store, rm, [monitoringFeedProjection], silent);
  runner.start();
  await runner.waitFor(upTo);
  const [status] = runner.status();
  await runner.stop();
  expect(status).toMatchObject({ state: 'running' });
}

async function wholeFeed(): Promise<StageRecordView[]> {
  return (await readMonitoringFeed(rm, { limit: 10_000 })).items;
}

describe('Monitoring feed projection (writer on a real database)', () => {
  it('writes one record per stage change at the position of the event that caused it', async () => {
    const history = caseThroughHead();
    const appended = await store.append(history.streamId, history.newEvents(), { expectedVersion: 0 });
    await project(appended.position);
    const rows = await rm.getRepository(MonitoringStageRecord).find({ where: { caseId: history.caseId }, order: { cursor: 'ASC' } });
    expect(rows.map((r) => r.stage)).toEqual(['submitted', 'accepted', 'with-head']);
    const byType = new Map(appended.events.map((e) => [e.type, e.position]));
    expect(rows.map((r) => r.cursor)).toEqual([byType.get('ApplicationSubmitted'), byType.get('DocumentsAccepted'), byType.get('SentToHead')]);
  });

  it('applies a redelivered event once: no second record, the memory unchanged', async () => {
    const history = caseThroughHead();
    await store.append(history.streamId, history.newEvents(), { expectedVersion: 0 });
    const recorded = await store.readStream(history.streamId);
    await rm.transaction((m) => monitoringFeedProjection.apply(m, recorded));
    const feed = await rm.getRepository(MonitoringStageRecord).findBy({ caseId: history.caseId });
    const memory = await rm.getRepository(MonitoringCaseMemory).findOneByOrFail({ caseId: history.caseId });
    await rm.transaction((m) => monitoringFeedProjection.apply(m, [recorded[1], recorded[0], recorded[3], ...recorded]));
    expect(await rm.getRepository(MonitoringStageRecord).findBy({ caseId: history.caseId })).toHaveLength(feed.length);
    expect(await rm.getRepository(MonitoringCaseMemory).findOneByOrFail({ caseId: history.caseId })).toEqual(memory);
    expect(feed).toHaveLength(3);
  });

  it('writes the same records again when rebuilt from the start: ids and cursors do not move', async () => {
    const a = caseThroughHead('school-2');
    const b = new CaseHistory('home-education', 'school-3')
      .submit(at('2021-09-07', '09:00'))
      .do('RefuseApplication', { grounds: ['expired-documents'], motivation: 'The medical report has expired.' }, 'clerk', at('2021-09-07', '09:20'));
    await store.append(a.streamId, a.newEvents(), { expectedVersion: 0 });
    const last = await store.append(b.streamId, b.newEvents(), { expectedVersion: 0 });
    await project(last.position);
    const before = await wholeFeed();
    await rm.query('DELETE FROM monitoring_feed');
    await rm.query('DELETE FROM monitoring_feed_case');
    const all: RecordedEvent[] = await store.readAll({ limit: 10_000 });
    await rm.transaction((m) => monitoringFeedProjection.apply(m, all));
    expect(await wholeFeed()).toEqual(before);
    expect(before.find((r) => r.caseId === b.caseId && r.stage === 'refused')?.refusal?.grounds.map((g) => g.code)).toEqual(['expired-documents']);
  });

  it('pages with after= in cursor order without gaps or repeats', async () => {
    const whole = await wholeFeed();
    expect(whole.length).toBeGreaterThan(5);
    const paged: StageRecordView[] = [];
    let after = '0';
    for (;;) {
      const page = await readMonitoringFeed(rm, { after, limit: 2 });
      if (page.items.length === 0) {
        expect(page.nextCursor).toBe(after);
        break;
      }
      paged.push(...page.items);
      after = page.nextCursor;
    }
    expect(paged).toEqual(whole);
    const cursors = paged.map((r) => BigInt(r.cursor));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1])).toBe(true);
  });

  it('reports every record as pending until a worker has delivered it', async () => {
    const deliveries = await readMonitoringDeliveries(rm, { limit: 10_000 });
    const records = (await wholeFeed()).length;
    expect(deliveries.items).toHaveLength(records);
    expect(deliveries.items.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
    expect(deliveries.counts).toEqual({ pending: records, failed: 0, delivered: 0 });
  });
});
