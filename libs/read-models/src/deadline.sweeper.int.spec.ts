import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type EventStore } from '@sped/event-store';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import { complaintStreamId, decideComplaint, foldComplaint, type ComplaintCommand, type ComplaintEvent, type ComplaintState } from '@sped/domain';
import { complaintTermsFor } from '@sped/regulations';
import type { DataSource } from 'typeorm';
import { openReadModels } from './data-source.js';
import { ProjectionRunner } from './projection.runner.js';
import { caseTimelineProjection } from './case-timeline/case-timeline.projection.js';
import { complaintRegisterProjection } from './complaint-register/complaint.projection.js';
import { DeadlineSweeper } from './deadline.sweeper.js';
import { CaseScript } from './testing/fixtures.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let db: TestDatabase;
let store: EventStore;
let rm: DataSource;
let runner: ProjectionRunner;

beforeAll(async () => {
  db = await createTestDatabase('sweeper');
  store = await PostgresEventStore.create({ connectionString: db.connectionString, poolSize: 4 });
  rm = await openReadModels({ url: db.connectionString, poolSize: 4 });
  runner = new ProjectionRunner(store, rm, [caseTimelineProjection, complaintRegisterProjection], silent);
  runner.start();
});
afterAll(async () => {
  await runner?.stop();
  await rm?.destroy();
  await store?.close();
  await db?.drop();
});

async function overdueCase() {
  const script = new CaseScript('pmpc-examination', 'pmpc-1').submit('2019-06-03T09:00:00+06:00');
  const r = await store.append(script.streamId, script.newEvents(), { expectedVersion: 0 });
  await runner.waitFor(r.position);
  return script;
}

const deadlines = async (streamId: string) => (await store.readStream(streamId)).filter((e) => e.type === 'DeadlinePassed');

describe('Deadline sweeper', () => {
  it('records DeadlinePassed by the system, dated when the term expired, for an open step past its due instant', async () => {
    const script = await overdueCase();
    const result = await new DeadlineSweeper(store, rm, silent).sweepOnce();
    expect(result.recorded).toBeGreaterThanOrEqual(1);
    const [event] = await deadlines(script.streamId);
    // 15 working minutes from 09:00 on 3 June 2019 (UTC+6).
    expect(event).toMatchObject({ data: { stepId: 'pmpc-1', dueAt: '2019-06-03T03:15:00.000Z' }, metadata: { actor: { role: 'system' }, occurredAt: '2019-06-03T03:15:00.000Z' } });
  });

  it('records it exactly once, even when the read model has not caught up yet and two sweepers race', async () => {
    const script = await overdueCase();
    await Promise.all([new DeadlineSweeper(store, rm, silent).sweepOnce(), new DeadlineSweeper(store, rm, silent).sweepOnce()]);
    await new DeadlineSweeper(store, rm, silent).sweepOnce();
    expect(await deadlines(script.streamId)).toHaveLength(1);
  });

  it('leaves a step alone whose term has not expired', async () => {
    const script = await overdueCase();
    const before = new Date('2019-06-03T03:10:00.000Z');
    await new DeadlineSweeper(store, rm, silent, { now: () => before }).sweepOnce();
    expect(await deadlines(script.streamId)).toHaveLength(0);
  });

  it("records a complaint's review term that expired unanswered", async () => {
    const id = randomUUID();
    const streamId = complaintStreamId(id);
    const actor = { role: 'clerk' as const, userId: 'clerk-1', providerId: 'pmpc-1' };
    const sealed = { personId: randomUUID(), sealed: 'v1.x' };
    const ctx = { complaintTerms: complaintTermsFor('2022-03-01'), clockSkewMs: 60_000, newId: randomUUID };
    let state: ComplaintState = { status: 'none' };
    const events: ComplaintEvent[] = [];
    const commands: ComplaintCommand[] = [
      { type: 'FileComplaint', data: { complaintId: id, providerId: 'pmpc-1', caseId: null, subject: 'inaction', addressee: 'provider', complainant: sealed, text: sealed }, metadata: { actor, now: '2022-03-01T10:00:00+06:00' } },
      { type: 'RegisterComplaint', data: { registrationNumber: 'Ж-1' }, metadata: { actor, now: '2022-03-01T11:00:00+06:00' } },
    ];
    for (const c of commands) {
      for (const e of decideComplaint(c, state, ctx)) {
        events.push(e);
        state = foldComplaint([e], state);
      }
    }
    const r = await store.append(streamId, events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })), { expectedVersion: 0 });
    await runner.waitFor(r.position);
    await new DeadlineSweeper(store, rm, silent).sweepOnce();
    await new DeadlineSweeper(store, rm, silent).sweepOnce();
    const recorded = await deadlines(streamId);
    // 5 working days from Tue 1 March 2022: 2, 3, 4, Sat 5 (worked by transfer), 9 -> expires 10 March 00:00 (UTC+6).
    expect(recorded).toHaveLength(1);
    expect(recorded[0].data).toMatchObject({ addressee: 'provider', dueAt: '2022-03-09T18:00:00.000Z' });
  });
});

describe('Deadline sweeper over a backlog', () => {
  it('works off more expired terms than one batch holds in a single sweep', async () => {
    const scripts = [];
    for (let i = 0; i < 5; i++) scripts.push(await overdueCase());
    await new DeadlineSweeper(store, rm, silent, { batchSize: 2 }).sweepOnce();
    for (const s of scripts) expect(await deadlines(s.streamId)).toHaveLength(1);
  });
});
