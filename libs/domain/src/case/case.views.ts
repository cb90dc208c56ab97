import type { Norm, ParticipantRole, RegulationVersion } from '@sped/regulations';
import type { Actor } from '../shared/actor.js';
import { assertNever } from '../shared/domain-error.js';
import type { CaseActionType } from './case.events.js';
import { applicableSteps, completionOf, serviceIn, startOf } from './case.procedure.js';
import type { CaseState, ExistingCase } from './case.state.js';

/**
 * Stages of a case as reported to the monitoring system (Law on public services, Art. 5(2)(11)), in the
 * order a case normally passes them.
 */
export const CASE_STAGES = [
  'submitted',
  'accepted',
  'with-head',
  'with-executor',
  'result-drawn-up',
  'signed',
  'result-ready',
  'issued',
  'refused',
  'withdrawn',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** The furthest milestone reached decides the stage of an open case. */
const MILESTONES: ReadonlyArray<[CaseActionType, CaseStage]> = [
  ['ResultSentToExecutor', 'result-ready'],
  ['ResultSigned', 'signed'],
  ['ResultDrawnUp', 'result-drawn-up'],
  ['ExecutorAppointed', 'with-executor'],
  // Source B, paragraph 6: having set the class and language, the head passes the documents to the specialists.
  ['ClassAndLanguageSet', 'with-executor'],
  ['SentToHead', 'with-head'],
  ['DocumentsAccepted', 'accepted'],
  ['AcceptanceNotificationSent', 'accepted'],
];

/** The case's stage; null before an application exists. Needs no regulation. */
export function caseStage(state: CaseState): CaseStage | null {
  switch (state.status) {
    case 'none':
      return null;
    case 'issued':
    case 'refused':
    case 'withdrawn':
      return state.status;
    case 'open': {
      for (const [type, stage] of MILESTONES) if (state.actions.some((a) => a.type === type)) return stage;
      return 'submitted';
    }
    default:
      return assertNever(state, 'case status');
  }
}

export type StepStatus = 'not-started' | 'open' | 'completed' | 'stopped';

export interface StepProgress {
  stepId: string;
  order: number;
  /** Roles the regulation gives the step. */
  roles: ParticipantRole[];
  norm: Norm;
  /** occurredAt of the step's `startsOn` event; null until it happens. */
  startedAt: string | null;
  /** occurredAt of the event that completed (or, like a refusal, ended) the step. */
  completedAt: string | null;
  /** Who completed it. */
  performedBy: Actor | null;
  /** The event carrying the completion's current values. */
  completedByEventId: string | null;
  /** Recorded activities of the step, in recording order. */
  activities: Array<{ type: CaseActionType; occurredAt: string; eventId: string; actor: Actor }>;
  /** Set when the deadline sweeper recorded that the term expired while the step was open. */
  deadlinePassed: { dueAt: string; recordedAt: string } | null;
  /** 'stopped' = started but the case closed (refused, withdrawn) before it completed. */
  status: StepStatus;
}

/**
 * Progress of every step of the case's regulation that applies on its channel. `regulation` must be the
 * case's own version (state.regulationId). Terms and due instants are the read side's (calendar) job.
 */
export function caseSteps(state: ExistingCase, regulation: RegulationVersion): StepProgress[] {
  const steps = applicableSteps(serviceIn(regulation, state.serviceCode), state.channel);
  return steps.map((step) => {
    const start = startOf(state, step);
    const completion = completionOf(state, step);
    const deadline = state.deadlinesPassed.find((d) => d.stepId === step.id);
    const status: StepStatus = completion ? 'completed' : !start ? 'not-started' : state.status === 'open' ? 'open' : 'stopped';
    return {
      stepId: step.id,
      order: step.order,
      roles: step.performedBy,
      norm: step.norm,
      startedAt: start?.occurredAt ?? null,
      completedAt: completion?.occurredAt ?? null,
      performedBy: completion?.actor ?? null,
      completedByEventId: completion?.eventId ?? null,
      activities: state.actions
        .filter((a) => a.stepId === step.id && !a.completesStep)
        .map((a) => ({ type: a.type, occurredAt: a.occurredAt, eventId: a.eventId, actor: a.actor })),
      deadlinePassed: deadline ? { dueAt: deadline.dueAt, recordedAt: deadline.recordedAt } : null,
      status,
    };
  });
}
