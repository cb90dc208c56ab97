import type { CaseStep } from '@sped/read-models';
import { judgeNorm, toLocalIso, type Norm, type WorkingSchedule } from '@sped/regulations';

const local = (d: Date | null) => (d ? toLocalIso(d) : null);

/** What a step's view is made of: a `case_step` row (the entity, or the same fields read as JSON). */
export type StepFacts = Pick<
  CaseStep,
  | 'stepId'
  | 'stepOrder'
  | 'roles'
  | 'status'
  | 'startedAt'
  | 'dueAt'
  | 'earliestAt'
  | 'completedAt'
  | 'verdict'
  | 'excessAmount'
  | 'excessUnit'
  | 'workingMinutes'
  | 'durationDays'
  | 'performedByRole'
  | 'performedByUser'
  | 'recordedLate'
  | 'deadlineRecorded'
  | 'provisional'
> & { maxRecordingDelayMs: string | number };

/**
 * A timeline row as users read it: finished steps keep the verdict they got; an open step is judged
 * against `now` (open, at risk, overdue) with what is left of its allowance. `norm` is the step's norm from
 * the regulation (shared/step-norm.ts).
 */
export function stepView(row: StepFacts, norm: Norm, now: Date, schedule: WorkingSchedule) {
  const live = row.status === 'open' && row.startedAt ? judgeNorm(norm, row.startedAt, null, now, schedule) : null;
  const verdict = row.status === 'completed' ? row.verdict : live ? live.status : null;
  return {
    stepId: row.stepId,
    order: row.stepOrder,
    roles: row.roles,
    norm,
    status: row.status,
    startedAt: local(row.startedAt),
    dueAt: local(row.dueAt),
    earliestAt: local(row.earliestAt),
    completedAt: local(row.completedAt),
    verdict,
    excess: row.excessAmount !== null ? { amount: row.excessAmount, unit: row.excessUnit } : live?.excess ?? null,
    remaining: live?.remaining ?? null,
    workingMinutes: row.workingMinutes,
    durationDays: row.durationDays,
    performedBy: row.performedByRole ? { role: row.performedByRole, userId: row.performedByUser } : null,
    recordedLate: row.recordedLate,
    maxRecordingDelayMinutes: Math.round(Number(row.maxRecordingDelayMs) / 60000),
    deadlineRecorded: row.deadlineRecorded,
    provisional: row.provisional || (live?.provisional ?? false),
  };
}
