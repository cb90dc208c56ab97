import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import type { DataSource } from 'typeorm';
import { openReadModels } from './data-source.js';
import { writeRows } from './projection.js';
import { CaseStep } from './case-timeline/case-step.entity.js';
import { MonitoringDelivery } from './monitoring-feed/monitoring-feed.entity.js';

let db: TestDatabase;
let rm: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('write_rows');
  rm = await openReadModels({ url: db.connectionString, poolSize: 2 });
});
afterAll(async () => {
  await rm?.destroy();
  await db?.drop();
});

function step(caseId: string, stepId: string, overrides: Partial<CaseStep> = {}): CaseStep {
  return {
    caseId,
    stepId,
    stepOrder: 2,
    providerId: 'school-1',
    serviceCode: 'home-education',
    regulationId: 'home-education-rules-2020',
    channel: 'office',
    caseStage: 'accepted',
    caseStatus: 'open',
    executorId: null,
    roles: ['clerk', 'head'],
    completedBy: 'DocumentsAccepted',
    norm: { kind: 'limit', amount: 15, unit: 'minutes', source: { document: 'Rules 2020', paragraph: '9' } } as CaseStep['norm'],
    normKind: 'limit',
    normUnit: 'minutes',
    startedAt: new Date('2021-09-06T03:00:00.000Z'),
    dueAt: new Date('2021-09-06T03:15:00.000Z'),
    earliestAt: null,
    completedAt: null,
    status: 'open',
    verdict: null,
    excessAmount: null,
    excessUnit: null,
    workingMinutes: null,
    durationDays: null,
    performedByRole: null,
    performedByUser: null,
    recordedLate: false,
    maxRecordingDelayMs: '0',
    deadlineRecorded: false,
    provisional: false,
    lastPosition: '7',
    ...overrides,
  };
}

describe('Writing many rows of a read model in one statement', () => {
  it('stores every kind of column as TypeORM reads it back: text arrays, jsonb, instants, bigints, nulls', async () => {
    const caseId = randomUUID();
    const rows = [step(caseId, 'he-1'), step(caseId, 'he-2', { stepOrder: 3, roles: [], status: 'completed', verdict: 'late', excessAmount: 12, lastPosition: '9007199254740993' })];
    await rm.transaction((m) => writeRows(m, CaseStep, rows, 'insert'));
    const stored = await rm.getRepository(CaseStep).find({ where: { caseId }, order: { stepOrder: 'ASC' } });
    expect(stored).toEqual(rows);
  });

  it('upserts on the primary key, keeping what a row leaves undefined as it was stored', async () => {
    const caseId = randomUUID();
    await rm.transaction((m) => writeRows(m, CaseStep, [step(caseId, 'he-1')], 'upsert'));
    const changed = { ...step(caseId, 'he-1', { status: 'completed', verdict: 'on-time', lastPosition: '12' }), executorId: undefined } as unknown as CaseStep;
    await rm.transaction((m) => writeRows(m, CaseStep, [changed], 'upsert'));
    await rm.getRepository(CaseStep).update({ caseId, stepId: 'he-1' }, { executorId: 'executor-1' });
    await rm.transaction((m) => writeRows(m, CaseStep, [{ ...changed, lastPosition: '13' }], 'upsert'));
    const stored = await rm.getRepository(CaseStep).findBy({ caseId });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'completed', verdict: 'on-time', lastPosition: '13', executorId: 'executor-1' });
  });

  it('gives a column its default when a new row leaves it undefined', async () => {
    const recordId = randomUUID();
    await rm.transaction((m) => writeRows(m, MonitoringDelivery, [{ recordId, cursor: '41' } as MonitoringDelivery], 'insert'));
    expect(await rm.getRepository(MonitoringDelivery).findOneByOrFail({ recordId })).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
  });

  it('skips rows that clash when told to ignore them, and refuses them on a plain insert', async () => {
    const caseId = randomUUID();
    await rm.transaction((m) => writeRows(m, CaseStep, [step(caseId, 'he-1')], 'insert'));
    await rm.transaction((m) => writeRows(m, CaseStep, [step(caseId, 'he-1', { status: 'completed' }), step(caseId, 'he-2')], 'ignore'));
    expect((await rm.getRepository(CaseStep).find({ where: { caseId }, order: { stepId: 'ASC' } })).map((s) => [s.stepId, s.status])).toEqual([
      ['he-1', 'open'],
      ['he-2', 'open'],
    ]);
    await expect(rm.transaction((m) => writeRows(m, CaseStep, [step(caseId, 'he-1')], 'insert'))).rejects.toThrow(/duplicate key/);
  });

  it('writes into the table the search_path finds, as a rebuild steers it into its own schema', async () => {
    const caseId = randomUUID();
    await rm.query('DROP SCHEMA IF EXISTS write_rows_shadow CASCADE');
    await rm.query('CREATE SCHEMA write_rows_shadow');
    await rm.query('CREATE TABLE write_rows_shadow.case_step (LIKE public.case_step INCLUDING ALL)');
    await rm.transaction(async (m) => {
      await m.query(`SELECT set_config('search_path', 'write_rows_shadow', true)`);
      await writeRows(m, CaseStep, [step(caseId, 'he-1')], 'upsert');
    });
    expect(await rm.query('SELECT step_id FROM write_rows_shadow.case_step WHERE case_id = $1', [caseId])).toEqual([{ step_id: 'he-1' }]);
    expect(await rm.getRepository(CaseStep).countBy({ caseId })).toBe(0);
    await rm.query('DROP SCHEMA write_rows_shadow CASCADE');
  });
});
