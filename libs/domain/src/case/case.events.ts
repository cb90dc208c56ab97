import { CASE_EVENT_TYPES } from '@sped/regulations';
import type { CaseEventType, Channel, RefusalGround, ServiceCode } from '@sped/regulations';
import type { SealedPersonalData } from '../shared/actor.js';
import type { DomainEvent } from '../shared/messages.js';

/**
 * Events of a case stream (`case-<id>`). Type names are the regulations' CASE_EVENT_TYPES, stable forever;
 * a changed shape is a new version with an upcaster, never an edit here.
 */

/** The step of the case's regulation an event belongs to. */
export interface StepMark {
  /** StepDefinition.id in the case's regulation version; null when the action belongs to no step. */
  stepId: string | null;
  /** True when the event is the step's `completedBy` (or ends it as an `alsoCompletedBy`); false for an activity. */
  completesStep: boolean;
}

export type RefusalGroundCode = RefusalGround['code'];
export const SESSION_FORMATS = ['individual', 'subgroup', 'group'] as const;
export type SessionFormat = (typeof SESSION_FORMATS)[number];
export const SESSION_ACTIVITIES = ['lesson', 'consultation'] as const;
export type SessionActivity = (typeof SESSION_ACTIVITIES)[number];

/** A submitted document, by kind only (e.g. 'application', 'birth-certificate', 'medical-report'). */
export interface DocumentRef {
  kind: string;
}

export interface ApplicationSubmittedData extends StepMark {
  caseId: string;
  /** The regulation version in force on the application's Almaty local date; governs the whole case. */
  regulationId: string;
  serviceCode: ServiceCode;
  providerId: string;
  channel: Channel;
  applicant: SealedPersonalData;
  child: SealedPersonalData;
  documents: DocumentRef[];
  /** The grade applied for (admission windows depend on it); null when the service has none. */
  grade: number | null;
}
export interface DocumentsAcceptedData extends StepMark {
  /** Number in the registration (pre-registration) journal. */
  journalNumber: string;
}
export interface ReceiptIssuedData extends StepMark {
  receiptNumber: string | null;
}
export type SentToHeadData = StepMark;
export interface ExecutorAppointedData extends StepMark {
  /** userId of the responsible executor (жауапты орындаушы). */
  executorId: string;
}
export type InitialExaminationHeldData = StepMark;
export interface ContractConcludedData extends StepMark {
  contractNumber: string;
}
export interface SessionHeldData extends StepMark {
  format: SessionFormat;
  activity: SessionActivity;
}
export type ExaminationHeldData = StepMark;
export interface ClassAndLanguageSetData extends StepMark {
  grade: number;
  /** Language of instruction, ISO 639-1 (e.g. 'kk', 'ru'). */
  language: string;
}
export interface ResultDrawnUpData extends StepMark {
  documentNumber: string | null;
}
export type ResultSignedData = StepMark;
export type ResultSentToExecutorData = StepMark;
export type ResultIssuedData = StepMark;
export type AcceptanceNotificationSentData = StepMark;
export interface ApplicationRefusedData extends StepMark {
  grounds: RefusalGroundCode[];
  /** The motivation the refusal states. Free text: must not carry personal data in the clear. */
  motivation: string;
  /** Paper receipt of refusal at the office; electronic document to the portal's personal cabinet. */
  form: 'paper' | 'electronic';
}
export interface ApplicationWithdrawnData extends StepMark {
  reason: string | null;
}

/** Values a correction may change, by the corrected event's type (see CORRECTABLE_FIELDS). */
export interface CorrectedValues {
  documents?: DocumentRef[];
  grade?: number | null;
  applicant?: SealedPersonalData;
  child?: SealedPersonalData;
  journalNumber?: string;
  receiptNumber?: string | null;
  executorId?: string;
  contractNumber?: string;
  format?: SessionFormat;
  activity?: SessionActivity;
  language?: string;
  documentNumber?: string | null;
  grounds?: RefusalGroundCode[];
  motivation?: string;
  reason?: string | null;
}
export interface ActionCorrectedData extends StepMark {
  /** The event whose values this replaces: the original or the latest correction of it. It stays in the stream. */
  correctedEventId: string;
  /** The type of the originally recorded action. */
  correctedType: CorrectableEventType;
  reason: string;
  corrected: { occurredAt?: string; data?: CorrectedValues };
}
export interface DeadlinePassedData extends StepMark {
  stepId: string;
  /** The instant the step's term expired (also the event's occurredAt). */
  dueAt: string;
}
export interface PersonalDataErasedData {
  personId: string;
  reason: string;
}

export type ApplicationSubmitted = DomainEvent<'ApplicationSubmitted', ApplicationSubmittedData>;
export type DocumentsAccepted = DomainEvent<'DocumentsAccepted', DocumentsAcceptedData>;
export type ReceiptIssued = DomainEvent<'ReceiptIssued', ReceiptIssuedData>;
export type SentToHead = DomainEvent<'SentToHead', SentToHeadData>;
export type ExecutorAppointed = DomainEvent<'ExecutorAppointed', ExecutorAppointedData>;
export type InitialExaminationHeld = DomainEvent<'InitialExaminationHeld', InitialExaminationHeldData>;
export type ContractConcluded = DomainEvent<'ContractConcluded', ContractConcludedData>;
export type SessionHeld = DomainEvent<'SessionHeld', SessionHeldData>;
export type ExaminationHeld = DomainEvent<'ExaminationHeld', ExaminationHeldData>;
export type ClassAndLanguageSet = DomainEvent<'ClassAndLanguageSet', ClassAndLanguageSetData>;
export type ResultDrawnUp = DomainEvent<'ResultDrawnUp', ResultDrawnUpData>;
export type ResultSigned = DomainEvent<'ResultSigned', ResultSignedData>;
export type ResultSentToExecutor = DomainEvent<'ResultSentToExecutor', ResultSentToExecutorData>;
export type ResultIssued = DomainEvent<'ResultIssued', ResultIssuedData>;
export type AcceptanceNotificationSent = DomainEvent<'AcceptanceNotificationSent', AcceptanceNotificationSentData>;
export type ApplicationRefused = DomainEvent<'ApplicationRefused', ApplicationRefusedData>;
export type ApplicationWithdrawn = DomainEvent<'ApplicationWithdrawn', ApplicationWithdrawnData>;
export type ActionCorrected = DomainEvent<'ActionCorrected', ActionCorrectedData>;
export type DeadlinePassed = DomainEvent<'DeadlinePassed', DeadlinePassedData>;
export type PersonalDataErased = DomainEvent<'PersonalDataErased', PersonalDataErasedData>;

export type CaseEvent =
  | ApplicationSubmitted
  | DocumentsAccepted
  | ReceiptIssued
  | SentToHead
  | ExecutorAppointed
  | InitialExaminationHeld
  | ContractConcluded
  | SessionHeld
  | ExaminationHeld
  | ClassAndLanguageSet
  | ResultDrawnUp
  | ResultSigned
  | ResultSentToExecutor
  | ResultIssued
  | AcceptanceNotificationSent
  | ApplicationRefused
  | ApplicationWithdrawn
  | ActionCorrected
  | DeadlinePassed
  | PersonalDataErased;

// The union and the regulations' vocabulary must be the same set: a compile error otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _vocabularyMatches: Same<CaseEvent['type'], CaseEventType> = true;
void _vocabularyMatches;

export type CaseEventData<T extends CaseEventType> = Extract<CaseEvent, { type: T }>['data'];

/** Procedural actions of people (and the portal) that occupy a place in the procedure. */
export type CaseActionType = Exclude<CaseEventType, 'ActionCorrected' | 'DeadlinePassed' | 'PersonalDataErased'>;
/** Actions a correction may target. */
export type CorrectableEventType = CaseActionType;

/** Actions that happen within steps of the regulation (or next to them: receipt, notification, issue). */
export const STEP_ACTION_TYPES = [
  'DocumentsAccepted',
  'ReceiptIssued',
  'SentToHead',
  'ExecutorAppointed',
  'InitialExaminationHeld',
  'ContractConcluded',
  'SessionHeld',
  'ExaminationHeld',
  'ClassAndLanguageSet',
  'ResultDrawnUp',
  'ResultSigned',
  'ResultSentToExecutor',
  'ResultIssued',
  'AcceptanceNotificationSent',
] as const satisfies readonly CaseEventType[];
export type StepActionType = (typeof STEP_ACTION_TYPES)[number];

/** Actions that may be recorded many times within their step; every other action happens once. */
export const REPEATABLE_ACTIONS: readonly CaseEventType[] = ['SessionHeld'];

/**
 * What a correction may change, per corrected type. Structural facts (service, provider, channel, the
 * regulation) are not correctable: a case filed under the wrong one is withdrawn and filed again.
 */
export const CORRECTABLE_FIELDS: Record<CorrectableEventType, readonly (keyof CorrectedValues)[]> = {
  ApplicationSubmitted: ['documents', 'grade', 'applicant', 'child'],
  DocumentsAccepted: ['journalNumber'],
  ReceiptIssued: ['receiptNumber'],
  SentToHead: [],
  ExecutorAppointed: ['executorId'],
  InitialExaminationHeld: [],
  ContractConcluded: ['contractNumber'],
  SessionHeld: ['format', 'activity'],
  ExaminationHeld: [],
  ClassAndLanguageSet: ['grade', 'language'],
  ResultDrawnUp: ['documentNumber'],
  ResultSigned: [],
  ResultSentToExecutor: [],
  ResultIssued: [],
  AcceptanceNotificationSent: [],
  ApplicationRefused: ['grounds', 'motivation'],
  ApplicationWithdrawn: ['reason'],
};

export function isCaseEventType(type: string): type is CaseEventType {
  return (CASE_EVENT_TYPES as readonly string[]).includes(type);
}

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
