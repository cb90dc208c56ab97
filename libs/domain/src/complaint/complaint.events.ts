import type { ComplaintAddressee, LegalSource } from '@sped/regulations';
import type { SealedPersonalData } from '../shared/actor.js';
import type { DomainEvent } from '../shared/messages.js';

/**
 * Events of a complaint stream (`complaint-<id>`): a complaint about a provider's decision, action or
 * inaction (Source B paragraphs 9-10; Law "On public services" Art. 25(2)). Type names are stable forever.
 */
export const COMPLAINT_EVENT_TYPES = [
  'ComplaintFiled',
  'ComplaintRegistered',
  'ComplaintForwarded',
  'ComplaintAnswered',
  'ComplaintWithdrawn',
  'ComplaintTakenToCourt',
  'ComplaintPersonalDataErased',
  'DeadlinePassed',
] as const;
export type ComplaintEventType = (typeof COMPLAINT_EVENT_TYPES)[number];

export const COMPLAINT_SUBJECTS = ['decision', 'action', 'inaction'] as const;
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number];
export const COMPLAINT_OUTCOMES = ['satisfied', 'partly-satisfied', 'rejected'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

/** The review term in force at registration, as the complaint-terms data states it. */
export interface ReviewTerm {
  /** ComplaintTerms.id of the terms in force on the registration's Almaty local date. */
  termsId: string;
  amount: number;
  unit: 'working-days';
  startsOn: 'registration';
  source: LegalSource;
}

export interface ComplaintFiledData {
  complaintId: string;
  /** The provider whose decision, action or inaction is complained of. */
  providerId: string;
  /** The case concerned, if the complaint is about one. */
  caseId: string | null;
  subject: ComplaintSubject;
  /** To the provider's head, or to the authorized body for assessing and controlling the quality of public services. */
  addressee: ComplaintAddressee;
  complainant: SealedPersonalData;
  /** The complaint's text, sealed under the complainant's key (it is personal by nature). */
  text: SealedPersonalData;
  /** On paper (recorded by the addressee's staff) or through the portal (by the complainant). */
  receivedVia: 'paper' | 'portal';
}
export interface ComplaintRegisteredData {
  addressee: ComplaintAddressee;
  registrationNumber: string;
  /** The review term runs from this instant (also the event's occurredAt). */
  registeredAt: string;
  term: ReviewTerm;
}
export interface ComplaintForwardedData {
  from: 'provider';
  to: 'authorized-body';
  reason: string;
}
export interface ComplaintAnsweredData {
  addressee: ComplaintAddressee;
  outcome: ComplaintOutcome;
  /** The answer's text, sealed under the complainant's key. */
  answer: SealedPersonalData;
}
export interface ComplaintWithdrawnData {
  reason: string | null;
}
export interface ComplaintTakenToCourtData {
  court: string | null;
}
export interface ComplaintPersonalDataErasedData {
  personId: string;
  reason: string;
}

/** The review term of a registration expired while the complaint was unanswered (recorded by the system sweeper). */
export interface ComplaintDeadlinePassedData {
  /** The registration whose term expired. */
  registrationEventId: string;
  addressee: ComplaintAddressee;
  /** The instant the term expired (also the event's occurredAt). */
  dueAt: string;
}

export type ComplaintFiled = DomainEvent<'ComplaintFiled', ComplaintFiledData>;
export type ComplaintRegistered = DomainEvent<'ComplaintRegistered', ComplaintRegisteredData>;
export type ComplaintForwarded = DomainEvent<'ComplaintForwarded', ComplaintForwardedData>;
export type ComplaintAnswered = DomainEvent<'ComplaintAnswered', ComplaintAnsweredData>;
export type ComplaintWithdrawn = DomainEvent<'ComplaintWithdrawn', ComplaintWithdrawnData>;
export type ComplaintTakenToCourt = DomainEvent<'ComplaintTakenToCourt', ComplaintTakenToCourtData>;
export type ComplaintPersonalDataErased = DomainEvent<'ComplaintPersonalDataErased', ComplaintPersonalDataErasedData>;
export type ComplaintDeadlinePassed = DomainEvent<'DeadlinePassed', ComplaintDeadlinePassedData>;

export type ComplaintEvent =
  | ComplaintFiled
  | ComplaintRegistered
  | ComplaintForwarded
  | ComplaintAnswered
  | ComplaintWithdrawn
  | ComplaintTakenToCourt
  | ComplaintPersonalDataErased
  | ComplaintDeadlinePassed;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _vocabularyMatches: Same<ComplaintEvent['type'], ComplaintEventType> = true;
void _vocabularyMatches;

export function isComplaintEventType(type: string): type is ComplaintEventType {
  return (COMPLAINT_EVENT_TYPES as readonly string[]).includes(type);
}

export function complaintStreamId(complaintId: string): string {
  return `complaint-${complaintId}`;
}
