import { In, type EntityManager } from 'typeorm';
import type { RecordedEvent } from '@sped/event-store';
import { applicableSteps, caseStage, caseSteps, evolveCase, initialCaseState, isCaseEventType, serviceIn, type CaseEvent, type ExistingCase } from '@sped/domain';
import { DEFAULT_SCHEDULE, isRecordedLate, judgeNorm, localDateOf, regulationById, workingDaysBetween, workingTimeBetween, type WorkingSchedule } from '@sped/regulations';
import { applyOnce, writeRows, type Projection } from '../projection.js';
import { CaseStep, CaseTimelineState } from './case-step.entity.js';

const CASE_PREFIX = 'case-';


export type ScheduleResolver = (providerId: string) => WorkingSchedule;

let resolveSchedule: ScheduleResolver = () => DEFAULT_SCHEDULE;

/** Where providers' working schedules come from (the provider directory); set once at start-up. */
export function setScheduleResolver(resolver: ScheduleResolver): void {
  resolveSchedule = resolver;
}

export function evolveCaseTimelineState(row: CaseTimelineState | null, event: RecordedEvent): CaseTimelineState | null {
  if (!isCaseEventType(event.type)) return row;
  const state = evolveCase(row?.state ?? initialCaseState, event as unknown as CaseEvent);
  return state.status === 'none' ? null : { caseId: state.caseId, state, lastPosition: event.position };
}

const ms = (iso: string) => Date.parse(iso);

/**
 * Pure: the timeline rows of a case. Finished steps carry their final verdict; open steps carry `dueAt`
 * and are judged against the current instant when read.
 */
export function caseStepRows(state: ExistingCase, lastPosition: string, schedule: WorkingSchedule): CaseStep[] {
  const regulation = regulationById(state.regulationId);
  if (!regulation) return [];
  const stage = caseStage(state) ?? 'submitted';
  const recordingDelay = new Map<string, number>();
  const lateSteps = new Set<string>();
  for (const a of state.actions) {
    if (!a.stepId) continue;
    const delay = Math.max(0, ms(a.recordedAt) - ms(a.occurredAt));
    recordingDelay.set(a.stepId, Math.max(recordingDelay.get(a.stepId) ?? 0, delay));
    if (isRecordedLate(a.occurredAt, a.recordedAt)) lateSteps.add(a.stepId);
  }
  return caseSteps(state, regulation).map((s) => {
    const completed = s.status === 'completed' && s.completedAt !== null;
    const verdict = s.startedAt ? judgeNorm(s.norm, s.startedAt, completed ? s.completedAt : null, completed ? (s.completedAt as string) : s.startedAt, schedule) : null;
    const unit = s.norm.kind === 'none' ? null : s.norm.unit;
    let durationDays: number | null = null;
    if (completed && s.startedAt && (unit === 'working-days' || unit === 'calendar-days')) {
      const from = localDateOf(s.startedAt);
      const to = localDateOf(s.completedAt as string);
      durationDays = unit === 'working-days' ? workingDaysBetween(from, to) : Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
    }
    const delay = recordingDelay.get(s.stepId) ?? 0;
    const completedBy = regulation.services.find((x) => x.code === state.serviceCode)?.steps.find((x) => x.id === s.stepId)?.completedBy ?? '';
    return {
      caseId: state.caseId,
      stepId: s.stepId,
      stepOrder: s.order,
      providerId: state.providerId,
      serviceCode: state.serviceCode,
      regulationId: state.regulationId,
      channel: state.channel,
      caseStage: stage,
      caseStatus: state.status,
      executorId: state.executorId,
      roles: [...s.roles],
      completedBy,
      norm: s.norm,
      normKind: s.norm.kind,
      normUnit: unit,
      startedAt: s.startedAt ? new Date(s.startedAt) : null,
      dueAt: verdict?.dueAt ?? null,
      earliestAt: verdict?.earliestAt ?? null,
      completedAt: s.completedAt ? new Date(s.completedAt) : null,
      status: s.status,
      verdict: completed && verdict ? verdict.status : null,
      excessAmount: completed && verdict?.excess ? Math.round(verdict.excess.amount) : null,
      excessUnit: completed && verdict?.excess ? verdict.excess.unit : null,
      workingMinutes: completed && s.startedAt ? Math.round(workingTimeBetween(s.startedAt, s.completedAt as string, schedule)) : null,
      durationDays,
      performedByRole: s.performedBy?.role ?? null,
      performedByUser: s.performedBy?.userId ?? null,
      recordedLate: lateSteps.has(s.stepId),
      maxRecordingDelayMs: String(delay),
      deadlineRecorded: s.deadlinePassed !== null,
      provisional: verdict?.provisional ?? false,
      lastPosition,
    };
  });
}

/** The steps a case has rows for: its regulation's steps on its channel (what caseStepRows yields). */
function stepIdsOf(state: ExistingCase): string[] {
  const regulation = regulationById(state.regulationId);
  return regulation ? applicableSteps(serviceIn(regulation, state.serviceCode), state.channel).map((s) => s.id) : [];
}

/** Case timeline: the folded state per case and the step rows derived from it, rewritten for every case an event touches. */
export const caseTimelineProjection: Projection = {
  name: 'case-timeline',
  tables: ['case_timeline', 'case_step'],
  async apply(manager: EntityManager, events: RecordedEvent[]) {
    const byCase = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      if (!e.streamId.startsWith(CASE_PREFIX) || !isCaseEventType(e.type)) continue;
      const id = e.streamId.slice(CASE_PREFIX.length);
      const list = byCase.get(id);
      if (list) list.push(e);
      else byCase.set(id, [e]);
    }
    if (byCase.size === 0) return;
    const ids = [...byCase.keys()];
    const states = manager.getRepository(CaseTimelineState);
    const existing = new Map((await states.findBy({ caseId: In(ids) })).map((r) => [r.caseId, r]));
    const saved: CaseTimelineState[] = [];
    const steps: CaseStep[] = [];
    const vanished = new Map<string, string[]>();
    for (const [id, list] of byCase) {
      const before = existing.get(id) ?? null;
      let row = before;
      for (const e of list) row = applyOnce(evolveCaseTimelineState, row, e);
      if (!row || row === before) continue;
      saved.push(row);
      const rows = caseStepRows(row.state, row.lastPosition, resolveSchedule(row.state.providerId));
      steps.push(...rows);
      if (before) {
        const kept = new Set(rows.map((r) => r.stepId));
        const gone = stepIdsOf(before.state).filter((stepId) => !kept.has(stepId));
        if (gone.length) vanished.set(id, gone);
      }
    }
    if (saved.length === 0) return;
    await writeRows(manager, CaseTimelineState, saved, 'upsert');
    // Step rows are upserted on their key, and only steps a case no longer has are deleted. Deleting all of a
    // case's rows by case_id and inserting them again scanned the whole table whenever its statistics were
    // missing (every rebuild's new table), which made a rebuild quadratic in the number of cases.
    for (const [caseId, stepIds] of vanished) await manager.query('DELETE FROM case_step WHERE case_id = $1 AND step_id = ANY($2::text[])', [caseId, stepIds]);
    await writeRows(manager, CaseStep, steps, 'upsert');
  },
};
