/**
 * The shape of the regulations as data. Every legal fact carries its source next to it.
 * This file is the contract between the regulations data, the domain deciders and the read models.
 */

export interface Localized {
  kk: string;
  ru: string;
  en: string;
}

/** Where a legal fact comes from. `quote` is the original (Kazakh) text the fact was read from. */
export interface LegalSource {
  issuer: string;
  document: string;
  number?: string;
  date?: string; // YYYY-MM-DD
  registration?: string;
  appendix?: string;
  paragraph?: string;
  quote?: string;
  /** Anything uncertain about this fact, said plainly. */
  note?: string;
  /** The project's copy of the original text, relative to `shared/seeds/` (checked by the seed tests). */
  seed?: string;
}

export type ParticipantRole = 'clerk' | 'head' | 'executor';
export type Channel = 'office' | 'portal';
export type ServiceCode = 'pmpc-examination' | 'rehabilitation' | 'special-school-admission' | 'home-education';
export type NormUnit = 'minutes' | 'hours' | 'calendar-days' | 'working-days';

/**
 * Case event types: the action vocabulary shared by the regulations data (which event starts and which
 * completes a step) and the domain (which events exist). Stable forever.
 */
export const CASE_EVENT_TYPES = [
  'ApplicationSubmitted',
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
  'ApplicationRefused',
  'ApplicationWithdrawn',
  'ActionCorrected',
  'DeadlinePassed',
  'PersonalDataErased',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export type Norm =
  | { kind: 'limit'; amount: number; unit: NormUnit; source: LegalSource }
  | { kind: 'window'; min: number; max: number; unit: NormUnit; source: LegalSource }
  | { kind: 'none'; note: string; source: LegalSource };

export interface StepDefinition {
  /** Stable within the regulation version, e.g. 'pmpc-1'. */
  id: string;
  order: number;
  action: Localized;
  /** Roles the regulation gives this step to (more than one where the source leaves it open). */
  performedBy: ParticipantRole[];
  norm: Norm;
  /** Event whose occurrence starts the step's clock. */
  startsOn: CaseEventType;
  /** Event that completes the step. */
  completedBy: CaseEventType;
  /** Events recorded as activities within the step (e.g. SessionHeld, ResultSigned); they do not complete it. */
  activities?: CaseEventType[];
  /**
   * Events that also end the step, by ending the case on another path (e.g. ApplicationRefused: a refusal
   * of incomplete or expired documents). The step's norm applies to them as to `completedBy`.
   */
  alsoCompletedBy?: CaseEventType[];
  produces: Localized;
  /** Channels this step applies to; absent = every channel of the service. */
  channels?: Channel[];
  source: LegalSource;
}

export interface RefusalGround {
  code: 'incomplete-documents' | 'expired-documents';
  text: Localized;
  source: LegalSource;
}

/** A calendar window within which the service may be requested (e.g. admission until 30 August). */
export interface CalendarWindow {
  id: string;
  description: Localized;
  /** MM-DD, inclusive; absent = no lower bound. */
  from?: string;
  /** MM-DD, inclusive. */
  to: string;
  /** Applies only to applications flagged for this grade (e.g. 1 for first grade); absent = every application. */
  grade?: number;
  source: LegalSource;
}

export interface ServiceDefinition {
  code: ServiceCode;
  name: Localized;
  providerKinds: Localized[];
  channels: Channel[];
  participants: ParticipantRole[];
  /** The result document(s). */
  result: Localized[];
  refusalGrounds: RefusalGround[];
  windows: CalendarWindow[];
  steps: StepDefinition[];
  source: LegalSource;
  /** Whether the source says the service is free of charge. */
  free?: boolean;
  /** The form(s) of delivery the source states (e.g. paper). */
  form?: Localized[];
  /** Duties that are not steps of a case (no event starts or completes them), e.g. reporting to the monitoring system. */
  obligations?: Obligation[];
}

export interface Obligation {
  id: string;
  text: Localized;
  source: LegalSource;
}

export interface InForce {
  from: string;
  to: string | null;
  note?: string;
  /** Which bound is an estimate rather than a date stated by a source (the note says why). */
  estimated?: { from?: boolean; to?: boolean };
}

export interface RegulationVersion {
  /** e.g. 'almaty-region-604-2018'. */
  id: string;
  title: Localized;
  source: LegalSource;
  /** `from` and `to` are Almaty local dates, both inclusive; `to: null` = still in force. */
  inForce: InForce;
  services: ServiceDefinition[];
}

export type ComplaintAddressee = 'provider' | 'authorized-body';

export interface ComplaintTerms {
  id: string;
  inForce: InForce;
  terms: Array<{ addressee: ComplaintAddressee; amount: number; unit: 'working-days'; startsOn: 'registration'; source: LegalSource }>;
}
