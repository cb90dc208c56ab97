import { PostgresEventStore, type EventStore, type RecordedEvent } from '@sped/event-store';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import type { DataSource } from 'typeorm';
import { openReadModels } from '../data-source.js';
import { ProjectionCheckpoint } from '../checkpoint.entity.js';
import { ProjectionRunner } from '../projection.runner.js';
import type { Projection } from '../projection.js';
import { CaseScript } from '../testing/fixtures.js';
import { CaseSummary } from './case-summary.entity.js';
import { caseSummaryProjection } from './case-summary.projection.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

let db: TestDatabase;
let store: EventStore;
let rm: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('read_models');
  store = await PostgresEventStore.create({ connectionString: db.connectionString, poolSize: 4 });
  rm = await openReadModels({ url: db.connectionString, poolSize: 4 });
});
afterAll(async () => {
  await rm?.destroy();
  await store?.close();
  await db?.drop();
});

async function appendCase(script: CaseScript) {
  return store.append(script.streamId, script.newEvents(), { expectedVersion: 'any' });
}

describe('Case summary projection (writer on a real database)', () => {
  it('builds the row from the events and moves its checkpoint in the same transaction', async () => {
    const script = new CaseScript().submit('2021-09-06T09:00:00+06:00').accept('2021-09-06T09:05:00+06:00');
    const appended = await appendCase(script);
    const runner = new ProjectionRunner(store, rm, [caseSummaryProjection], silent);
    runner.start();
    await runner.waitFor(appended.position);
    await runner.stop();
    const row = await rm.getRepository(CaseSummary).findOneByOrFail({ caseId: script.caseId });
    expect(row).toMatchObject({ stage: 'accepted', status: 'open', streamVersion: 2, lastPosition: appended.position, regulationId: 'home-education-rules-2020' });
    const checkpoint = await rm.getRepository(ProjectionCheckpoint).findOneByOrFail({ name: 'case-summary' });
    expect(BigInt(checkpoint.position)).toBeGreaterThanOrEqual(BigInt(appended.position));
  });

  it('applies a redelivered event only once', async () => {
    const script = new CaseScript().submit('2021-09-07T09:00:00+06:00').accept('2021-09-07T09:05:00+06:00');
    await appendCase(script);
    const recorded = await store.readStream(script.streamId);
    await rm.transaction((m) => caseSummaryProjection.apply(m, recorded));
    const before = await rm.getRepository(CaseSummary).findOneByOrFail({ caseId: script.caseId });
    await rm.transaction((m) => caseSummaryProjection.apply(m, [recorded[1], recorded[0], recorded[1]]));
    const after = await rm.getRepository(CaseSummary).findOneByOrFail({ caseId: script.caseId });
    expect(after.state.actions).toHaveLength(before.state.actions.length);
    expect(after).toEqual(before);
  });

  it('resumes from its checkpoint after a restart without applying anything twice', async () => {
    const script = new CaseScript().submit('2021-09-08T09:00:00+06:00');
    const first = await appendCase(script);
    const runner = new ProjectionRunner(store, rm, [caseSummaryProjection], silent);
    runner.start();
    await runner.waitFor(first.position);
    await runner.stop();
    script.accept('2021-09-08T09:05:00+06:00').receipt('2021-09-08T09:06:00+06:00');
    const more = await store.append(script.streamId, script.newEvents().slice(1), { expectedVersion: 1 });
    const again = new ProjectionRunner(store, rm, [caseSummaryProjection], silent);
    again.start();
    await again.waitFor(more.position);
    await again.stop();
    const row = await rm.getRepository(CaseSummary).findOneByOrFail({ caseId: script.caseId });
    expect(row.streamVersion).toBe(3);
    expect(row.state.actions.map((a) => a.type)).toEqual(['ApplicationSubmitted', 'DocumentsAccepted', 'ReceiptIssued']);
  });
});

describe('Projection runner', () => {
  it('stops a projection loudly at an event it cannot apply, naming it, and never skips past it', async () => {
    const script = new CaseScript().submit('2021-09-09T09:00:00+06:00').accept('2021-09-09T09:05:00+06:00');
    const appended = await appendCase(script);
    const poisoned = (await store.readStream(script.streamId))[1];
    const errors: object[] = [];
    const failing: Projection = {
      name: 'fails-on-acceptance',
      tables: ['projection_checkpoint'],
      async apply(_m, events: RecordedEvent[]) {
        if (events.some((e) => e.id === poisoned.id)) throw new Error('cannot apply this event');
      },
    };
    const runner = new ProjectionRunner(store, rm, [failing], { ...silent, error: (o: object) => errors.push(o) });
    runner.start();
    await runner.waitFor(appended.position);
    const [status] = runner.status();
    await runner.stop();
    expect(status.state).toBe('failed');
    expect(status.error).toContain(poisoned.id);
    expect(BigInt(status.position)).toBeLessThan(BigInt(poisoned.position));
    const checkpoint = await rm.getRepository(ProjectionCheckpoint).findOneByOrFail({ name: 'fails-on-acceptance' });
    expect(checkpoint).toMatchObject({ status: 'failed', position: status.position });
    expect(errors.length).toBeGreaterThan(0);
  });
});
