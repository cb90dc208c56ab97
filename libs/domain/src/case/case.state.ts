import type { Channel, ServiceCode } from '@sped/regulations';
import type { Actor } from '../shared/actor.js';
import { assertNever } from '../shared/domain-error.js';
import type {
  ActionCorrected,
  ApplicationSubmitted,
  CaseActionType,
  CaseEvent,
  CorrectedValues,
  DocumentRef,
  StepMark,
} from './case.events.js';

export type CaseStatus = 'open' | 'issued' | 'refused' | 'withdrawn';

/** Personal data of a person in the case; `sealed` is null once erased. */
export interface PersonRecord {
  personId: string;
  sealed: string | null;
}

/**
 * One procedural action with its current values. A correction does not add an action: it replaces the
 * values of the one it corrects, and its event id becomes the one a further correction must name.
 */
export interface RecordedAction {
  /** The event holding the current values: the original, or its latest correction. */
  eventId: string;
  /** Every event of this action, original first, latest correction last. */
  eventIds: string[];
  type: CaseActionType;
  stepId: string | null;
  completesStep: boolean;
  occurredAt: string;
  recordedAt: string;
  /** Who performed the action (the original recording's actor). */
  actor: Actor;
  /** Non-personal values of the action (event data without the step mark and personal fields). */
  values: Record<string, unknown>;
  /** The corrections applied, oldest first (what they changed, without personal data). */
  corrections: CorrectionRecord[];
}

export interface CorrectionRecord {
  eventId: string;
  correctedEventId: string;
  reason: string;
  occurredAt?: string;
  /** Non-personal values changed. */
  values: Record<string, unknown>;
  /** Personal fields changed, by the person they now refer to. */
  persons: Record<string, string>;
}

export interface DeadlineRecord {
  eventId: string;
  stepId: string;
  dueAt: string;
  recordedAt: string;
}

export interface NoCase {
  status: 'none';
}

export interface ExistingCase {
  status: CaseStatus;
  caseId: string;
  regulationId: string;
  serviceCode: ServiceCode;
  providerId: string;
  channel: Channel;
  applicant: PersonRecord;
  child: PersonRecord;
  /** Current (corrected) values of the application. */
  documents: DocumentRef[];
  grade: number | null;
  /** The responsible executor currently appointed, if any. */
  executorId: string | null;
  submittedBy: Actor;
  /** Actions in recording order. */
  actions: RecordedAction[];
  deadlinesPassed: DeadlineRecord[];
  /** Every person whose data the stream holds (corrections may have replaced some). */
  personIds: string[];
  erasedPersonIds: string[];
}

export type CaseState = NoCase | ExistingCase;

export const initialCaseState: CaseState = { status: 'none' };

const PERSONAL_FIELDS = new Set(['applicant', 'child']);

function valuesOf(data: object): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'stepId' || k === 'completesStep' || PERSONAL_FIELDS.has(k)) continue;
    values[k] = v;
  }
  return values;
}

function submissionValues(data: ApplicationSubmitted['data']): Record<string, unknown> {
  return { documents: data.documents, grade: data.grade };
}

function withMirrors(state: ExistingCase): ExistingCase {
  const submission = state.actions.find((a) => a.type === 'ApplicationSubmitted');
  const appointment = state.actions.find((a) => a.type === 'ExecutorAppointed');
  return {
    ...state,
    documents: (submission?.values['documents'] as DocumentRef[] | undefined) ?? state.documents,
    grade: (submission?.values['grade'] as number | null | undefined) ?? null,
    executorId: (appointment?.values['executorId'] as string | undefined) ?? null,
  };
}

function appendAction(state: ExistingCase, event: CaseEvent & { data: StepMark }): ExistingCase {
  const action: RecordedAction = {
    eventId: event.id,
    eventIds: [event.id],
    type: event.type as CaseActionType,
    stepId: event.data.stepId,
    completesStep: event.data.completesStep,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.metadata.recordedAt,
    actor: event.metadata.actor,
    values: valuesOf(event.data),
    corrections: [],
  };
  return withMirrors({ ...state, actions: [...state.actions, action] });
}

function applyCorrection(state: ExistingCase, event: ActionCorrected): ExistingCase {
  const index = state.actions.findIndex((a) => a.eventId === event.data.correctedEventId);
  if (index < 0) return state;
  const target = state.actions[index];
  const changes: CorrectedValues = event.data.corrected.data ?? {};
  const persons: Record<string, string> = {};
  if (changes.applicant) persons['applicant'] = changes.applicant.personId;
  if (changes.child) persons['child'] = changes.child.personId;
  const correction: CorrectionRecord = {
    eventId: event.id,
    correctedEventId: event.data.correctedEventId,
    reason: event.data.reason,
    values: valuesOf(changes),
    persons,
  };
  if (event.data.corrected.occurredAt !== undefined) correction.occurredAt = event.data.corrected.occurredAt;
  const updated: RecordedAction = {
    ...target,
    eventId: event.id,
    eventIds: [...target.eventIds, event.id],
    occurredAt: event.data.corrected.occurredAt ?? target.occurredAt,
    values: { ...target.values, ...correction.values },
    corrections: [...target.corrections, correction],
  };
  const actions = state.actions.map((a, i) => (i === index ? updated : a));
  let next: ExistingCase = { ...state, actions };
  if (target.type === 'ApplicationSubmitted') {
    const seen = new Set(next.personIds);
    for (const [field, person] of [
      ['applicant', changes.applicant],
      ['child', changes.child],
    ] as const) {
      if (!person) continue;
      const erased = next.erasedPersonIds.includes(person.personId);
      next = { ...next, [field]: { personId: person.personId, sealed: erased ? null : person.sealed } };
      seen.add(person.personId);
    }
    next = { ...next, personIds: [...seen] };
  }
  return withMirrors(next);
}

function erase(person: PersonRecord, personId: string): PersonRecord {
  return person.personId === personId ? { personId, sealed: null } : person;
}

/** Folds one event into the state. Total: an event that does not fit leaves the state as it is. */
export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'ApplicationSubmitted') {
    if (state.status !== 'none') return state;
    const d = event.data;
    const created: ExistingCase = {
      status: 'open',
      caseId: d.caseId,
      regulationId: d.regulationId,
      serviceCode: d.serviceCode,
      providerId: d.providerId,
      channel: d.channel,
      applicant: { ...d.applicant },
      child: { ...d.child },
      documents: d.documents,
      grade: d.grade,
      executorId: null,
      submittedBy: event.metadata.actor,
      actions: [
        {
          eventId: event.id,
          eventIds: [event.id],
          type: 'ApplicationSubmitted',
          stepId: d.stepId,
          completesStep: d.completesStep,
          occurredAt: event.metadata.occurredAt,
          recordedAt: event.metadata.recordedAt,
          actor: event.metadata.actor,
          values: submissionValues(d),
          corrections: [],
        },
      ],
      deadlinesPassed: [],
      personIds: [...new Set([d.applicant.personId, d.child.personId])],
      erasedPersonIds: [],
    };
    return created;
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'DocumentsAccepted':
    case 'ReceiptIssued':
    case 'SentToHead':
    case 'ExecutorAppointed':
    case 'InitialExaminationHeld':
    case 'ContractConcluded':
    case 'SessionHeld':
    case 'ExaminationHeld':
    case 'ClassAndLanguageSet':
    case 'ResultDrawnUp':
    case 'ResultSigned':
    case 'ResultSentToExecutor':
    case 'AcceptanceNotificationSent':
      return appendAction(state, event);
    case 'ResultIssued':
      return { ...appendAction(state, event), status: 'issued' };
    case 'ApplicationRefused':
      return { ...appendAction(state, event), status: 'refused' };
    case 'ApplicationWithdrawn':
      return { ...appendAction(state, event), status: 'withdrawn' };
    case 'ActionCorrected':
      return applyCorrection(state, event);
    case 'DeadlinePassed':
      if (state.deadlinesPassed.some((d) => d.stepId === event.data.stepId)) return state;
      return {
        ...state,
        deadlinesPassed: [
          ...state.deadlinesPassed,
          { eventId: event.id, stepId: event.data.stepId, dueAt: event.data.dueAt, recordedAt: event.metadata.recordedAt },
        ],
      };
    case 'PersonalDataErased':
      if (state.erasedPersonIds.includes(event.data.personId)) return state;
      return {
        ...state,
        applicant: erase(state.applicant, event.data.personId),
        child: erase(state.child, event.data.personId),
        erasedPersonIds: [...state.erasedPersonIds, event.data.personId],
      };
    default:
      return assertNever(event, 'case event');
  }
}

export function foldCase(events: Iterable<CaseEvent>, state: CaseState = initialCaseState): CaseState {
  let s = state;
  for (const e of events) s = evolveCase(s, e);
  return s;
}

/** The current values of the latest action of a type, if recorded. */
export function latestAction(state: ExistingCase, type: CaseActionType): RecordedAction | undefined {
  for (let i = state.actions.length - 1; i >= 0; i--) if (state.actions[i].type === type) return state.actions[i];
  return undefined;
}

export function isClosed(state: CaseState): boolean {
  return state.status === 'issued' || state.status === 'refused' || state.status === 'withdrawn';
}
