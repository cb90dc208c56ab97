import type { ComplaintAddressee } from '@sped/regulations';
import type { Actor } from '../shared/actor.js';
import { assertNever } from '../shared/domain-error.js';
import type { ComplaintEvent, ComplaintOutcome, ComplaintSubject, ReviewTerm } from './complaint.events.js';

/**
 * filed: received, not yet registered by its addressee; registered: the review term runs; forwarded: sent
 * on from the provider to the authorized body, awaiting registration there; answered, withdrawn, in-court:
 * closed (an answered complaint may still be taken to court).
 */
export type ComplaintStatus = 'filed' | 'registered' | 'forwarded' | 'answered' | 'withdrawn' | 'in-court';

export interface SealedRecord {
  personId: string;
  /** null once the person's data is erased. */
  sealed: string | null;
}

export interface Registration {
  eventId: string;
  addressee: ComplaintAddressee;
  registrationNumber: string;
  registeredAt: string;
  term: ReviewTerm;
}

export interface NoComplaint {
  status: 'none';
}

export interface ExistingComplaint {
  status: ComplaintStatus;
  complaintId: string;
  providerId: string;
  caseId: string | null;
  subject: ComplaintSubject;
  receivedVia: 'paper' | 'portal';
  /** Who must review it now: the original addressee, or the authorized body once forwarded. */
  addressee: ComplaintAddressee;
  complainant: SealedRecord;
  text: SealedRecord;
  filedBy: Actor;
  filedAt: string;
  registrations: Registration[];
  forwarded: { at: string; reason: string } | null;
  answer: { addressee: ComplaintAddressee; outcome: ComplaintOutcome; text: SealedRecord; answeredAt: string; answeredBy: Actor } | null;
  withdrawal: { at: string; reason: string | null } | null;
  court: { at: string; court: string | null } | null;
  /** occurredAt of the latest procedural event: nothing later may be dated before it. */
  lastOccurredAt: string;
  personIds: string[];
  erasedPersonIds: string[];
  /** Registrations whose review term the sweeper recorded as expired unanswered. */
  deadlinesPassed: Array<{ registrationEventId: string; dueAt: string }>;
}

export type ComplaintState = NoComplaint | ExistingComplaint;

export const initialComplaintState: ComplaintState = { status: 'none' };

function later(a: string, b: string): string {
  return a > b ? a : b;
}

function erase(record: SealedRecord, personId: string): SealedRecord {
  return record.personId === personId ? { personId, sealed: null } : record;
}

/** Folds one event into the state. Total: an event that does not fit leaves the state as it is. */
export function evolveComplaint(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  const at = event.metadata.occurredAt;
  if (event.type === 'ComplaintFiled') {
    if (state.status !== 'none') return state;
    const d = event.data;
    return {
      status: 'filed',
      complaintId: d.complaintId,
      providerId: d.providerId,
      caseId: d.caseId,
      subject: d.subject,
      receivedVia: d.receivedVia,
      addressee: d.addressee,
      complainant: { ...d.complainant },
      text: { ...d.text },
      filedBy: event.metadata.actor,
      filedAt: at,
      registrations: [],
      forwarded: null,
      answer: null,
      withdrawal: null,
      court: null,
      lastOccurredAt: at,
      personIds: [...new Set([d.complainant.personId, d.text.personId])],
      erasedPersonIds: [],
      deadlinesPassed: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ComplaintRegistered':
      return {
        ...state,
        status: state.status === 'filed' || state.status === 'forwarded' ? 'registered' : state.status,
        registrations: [
          ...state.registrations,
          {
            eventId: event.id,
            addressee: event.data.addressee,
            registrationNumber: event.data.registrationNumber,
            registeredAt: event.data.registeredAt,
            term: event.data.term,
          },
        ],
        lastOccurredAt: later(state.lastOccurredAt, at),
      };
    case 'ComplaintForwarded':
      return {
        ...state,
        status: state.status === 'filed' || state.status === 'registered' ? 'forwarded' : state.status,
        addressee: 'authorized-body',
        forwarded: { at, reason: event.data.reason },
        lastOccurredAt: later(state.lastOccurredAt, at),
      };
    case 'ComplaintAnswered': {
      const erased = state.erasedPersonIds.includes(event.data.answer.personId);
      return {
        ...state,
        status: state.status === 'in-court' ? state.status : 'answered',
        answer: {
          addressee: event.data.addressee,
          outcome: event.data.outcome,
          text: { personId: event.data.answer.personId, sealed: erased ? null : event.data.answer.sealed },
          answeredAt: at,
          answeredBy: event.metadata.actor,
        },
        personIds: [...new Set([...state.personIds, event.data.answer.personId])],
        lastOccurredAt: later(state.lastOccurredAt, at),
      };
    }
    case 'ComplaintWithdrawn':
      return { ...state, status: 'withdrawn', withdrawal: { at, reason: event.data.reason }, lastOccurredAt: later(state.lastOccurredAt, at) };
    case 'ComplaintTakenToCourt':
      return { ...state, status: 'in-court', court: { at, court: event.data.court }, lastOccurredAt: later(state.lastOccurredAt, at) };
    case 'ComplaintPersonalDataErased': {
      const id = event.data.personId;
      if (state.erasedPersonIds.includes(id)) return state;
      return {
        ...state,
        complainant: erase(state.complainant, id),
        text: erase(state.text, id),
        answer: state.answer ? { ...state.answer, text: erase(state.answer.text, id) } : null,
        erasedPersonIds: [...state.erasedPersonIds, id],
      };
    }
    case 'DeadlinePassed':
      if ((state.deadlinesPassed ?? []).some((d) => d.registrationEventId === event.data.registrationEventId)) return state;
      return { ...state, deadlinesPassed: [...(state.deadlinesPassed ?? []), { registrationEventId: event.data.registrationEventId, dueAt: event.data.dueAt }] };
    default:
      return assertNever(event, 'complaint event');
  }
}

export function foldComplaint(events: Iterable<ComplaintEvent>, state: ComplaintState = initialComplaintState): ComplaintState {
  let s = state;
  for (const e of events) s = evolveComplaint(s, e);
  return s;
}

/** The registration with the current addressee, if any. */
export function currentRegistration(state: ExistingComplaint): Registration | undefined {
  for (let i = state.registrations.length - 1; i >= 0; i--) {
    if (state.registrations[i].addressee === state.addressee) return state.registrations[i];
  }
  return undefined;
}

/**
 * The review term running now: from the registration with the current addressee until an answer,
 * withdrawal or court. The read side turns it into a due instant with the working calendar.
 */
export function runningReviewTerm(state: ComplaintState): (ReviewTerm & { addressee: ComplaintAddressee; registeredAt: string }) | null {
  if (state.status !== 'registered') return null;
  const registration = currentRegistration(state);
  return registration ? { ...registration.term, addressee: registration.addressee, registeredAt: registration.registeredAt } : null;
}
