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
  const source = data as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const k of Object.keys(source)) {
    if (k === 'stepId' || k === 'completesStep' || PERSONAL_FIELDS.has(k)) continue;
    values[k] = source[k];
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

function newAction(event: CaseEvent & { data: StepMark }): RecordedAction {
  return {
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
}

function appendAction(state: ExistingCase, event: CaseEvent & { data: StepMark }): ExistingCase {
  return withMirrors({ ...state, actions: [...state.actions, newAction(event)] });
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

/** Events `evolveCase` records as a new action (appendAction), and the status each one leaves, if it changes it. */
const APPENDED: ReadonlyMap<CaseEvent['type'], CaseStatus | null> = new Map<CaseEvent['type'], CaseStatus | null>([
  ['DocumentsAccepted', null],
  ['ReceiptIssued', null],
  ['SentToHead', null],
  ['ExecutorAppointed', null],
  ['InitialExaminationHeld', null],
  ['ContractConcluded', null],
  ['SessionHeld', null],
  ['ExaminationHeld', null],
  ['ClassAndLanguageSet', null],
  ['ResultDrawnUp', null],
  ['ResultSigned', null],
  ['ResultSentToExecutor', null],
  ['AcceptanceNotificationSent', null],
  ['ResultIssued', 'issued'],
  ['ApplicationRefused', 'refused'],
  ['ApplicationWithdrawn', 'withdrawn'],
]);

/**
 * Folds events into a state: the same result as `evolveCase` event by event (a test pins it), without copying
 * the actions on every event, which made a long stream quadratic (a 1,000-event case: half a million action
 * copies). On its first new action the fold takes a private copy of the state object and its actions array and
 * then appends to that copy in place; nothing the caller passed in (or holds from an earlier fold) is written
 * to. The rare events (submission, corrections, deadlines, erasures) go through `evolveCase` itself: it never
 * writes to its input, so what it returns is as private as what it was given.
 */
export function foldCase(events: Iterable<CaseEvent>, state: CaseState = initialCaseState): CaseState {
  let s = state;
  /** `s` and `s.actions` belong to this fold (copied or built by it), so appends may write to them. */
  let owned = false;
  /** Indexes in `s.actions` of the first submission and the first appointment (-1: none), what `withMirrors` finds; null: to look up. */
  let mirrors: { submission: number; appointment: number } | null = null;
  for (const event of events) {
    const status = s.status === 'none' ? undefined : APPENDED.get(event.type);
    if (status === undefined) {
      const next = evolveCase(s, event);
      if (next !== s) {
        s = next;
        mirrors = null;
      }
      continue;
    }
    let draft = s as ExistingCase;
    if (!owned) {
      draft = { ...draft, actions: draft.actions.slice() };
      s = draft;
      owned = true;
    }
    mirrors ??= {
      submission: draft.actions.findIndex((a) => a.type === 'ApplicationSubmitted'),
      appointment: draft.actions.findIndex((a) => a.type === 'ExecutorAppointed'),
    };
    const action = newAction(event as CaseEvent & { data: StepMark });
    draft.actions.push(action);
    if (mirrors.appointment < 0 && action.type === 'ExecutorAppointed') mirrors.appointment = draft.actions.length - 1;
    // What withMirrors sets, in the same order.
    const submission = mirrors.submission < 0 ? undefined : draft.actions[mirrors.submission];
    const appointment = mirrors.appointment < 0 ? undefined : draft.actions[mirrors.appointment];
    draft.documents = (submission?.values['documents'] as DocumentRef[] | undefined) ?? draft.documents;
    draft.grade = (submission?.values['grade'] as number | null | undefined) ?? null;
    draft.executorId = (appointment?.values['executorId'] as string | undefined) ?? null;
    if (status !== null) draft.status = status;
  }
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
