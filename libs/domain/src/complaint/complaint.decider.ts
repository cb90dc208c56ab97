import type { ComplaintAddressee, ComplaintTerms } from '@sped/regulations';
import type { Actor } from '../shared/actor.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { eventMetadata, type Decider } from '../shared/messages.js';
import { almatyDate, commandTimes, type CommandTimes } from '../shared/time.js';
import { optionalText, requireOneOf, requireSealed, requireText, sameValue } from '../shared/validation.js';
import type { ComplaintCommand, FileComplaint } from './complaint.commands.js';
import { COMPLAINT_OUTCOMES, COMPLAINT_SUBJECTS, type ComplaintEvent } from './complaint.events.js';
import {
  currentRegistration,
  evolveComplaint,
  initialComplaintState,
  type ComplaintState,
  type ExistingComplaint,
} from './complaint.state.js';

export interface ComplaintDecideContext {
  /**
   * The complaint terms in force on the Almaty local date of the registration being recorded
   * (`complaintTermsFor(date)`). Only RegisterComplaint reads them; any terms will do for other commands.
   */
  complaintTerms: ComplaintTerms;
  clockSkewMs: number;
  newId: () => string;
}

const ADDRESSEES: readonly ComplaintAddressee[] = ['provider', 'authorized-body'];

/**
 * Who acts on a complaint:
 * - the complainant through the portal (role 'applicant') files, withdraws and reports a court appeal of
 *   their own complaints;
 * - a complaint on paper is recorded by its addressee: the provider's clerk or head for the provider, the
 *   authorized body (role 'quality-control') for itself; the same staff register it;
 * - the provider's clerk or head forwards a provider complaint to the authorized body;
 * - the provider's head answers complaints to the provider; quality-control answers those to the authorized body;
 * - an admin erases personal data. Executors, directors, investigators and the system record nothing here.
 */
function isAddresseeStaff(actor: Actor, addressee: ComplaintAddressee, providerId: string, roles: readonly string[]): boolean {
  if (addressee === 'authorized-body') return actor.role === 'quality-control';
  return roles.includes(actor.role) && actor.providerId === providerId;
}

function requireAddresseeStaff(actor: Actor, addressee: ComplaintAddressee, providerId: string, roles: readonly string[], what: string): void {
  if (addressee === 'authorized-body') {
    if (actor.role !== 'quality-control') {
      throw new DomainError('ROLE_NOT_ALLOWED', `${what} for the authorized body is done by quality-control, not by ${actor.role}`);
    }
    return;
  }
  if (!roles.includes(actor.role)) {
    throw new DomainError('ROLE_NOT_ALLOWED', `${what} for the provider is done by its ${roles.join(' or ')}, not by ${actor.role}`);
  }
  if (actor.providerId !== providerId) {
    throw new DomainError('PROVIDER_MISMATCH', `The complaint is about provider ${providerId}, not ${actor.providerId ?? 'none'}`);
  }
}

function isOwnComplaint(actor: Actor, state: ExistingComplaint): boolean {
  return actor.role === 'applicant' && state.filedBy.role === 'applicant' && state.filedBy.userId === actor.userId;
}

function requireOwn(actor: Actor, state: ExistingComplaint): void {
  if (!isOwnComplaint(actor, state)) {
    throw new DomainError('NOT_OWN_COMPLAINT', 'An applicant acts only on a complaint they filed through the portal');
  }
}

function requireAfterLast(state: ExistingComplaint, times: CommandTimes): void {
  if (times.occurredAt < state.lastOccurredAt) {
    throw new DomainError(
      'OCCURRED_BEFORE_PREVIOUS_STEP',
      `It cannot have happened at ${times.occurredAt}, before the complaint's previous step at ${state.lastOccurredAt}`,
      'occurredAt',
    );
  }
}

function requireNotClosed(state: ExistingComplaint): void {
  if (state.status === 'answered' || state.status === 'withdrawn' || state.status === 'in-court') {
    throw new DomainError('COMPLAINT_CLOSED', `The complaint is ${state.status}`);
  }
}

function make<T extends ComplaintEvent['type']>(
  command: ComplaintCommand,
  context: ComplaintDecideContext,
  type: T,
  data: Extract<ComplaintEvent, { type: T }>['data'],
  times: CommandTimes,
  regulationId?: string,
): ComplaintEvent {
  return {
    id: context.newId(),
    type,
    data,
    metadata: eventMetadata(command.metadata, times.occurredAt, times.recordedAt, regulationId),
  } as ComplaintEvent;
}

/** Decides what a command records on a complaint. Pure; throws DomainError; [] for a repeat. */
export function decideComplaint(command: ComplaintCommand, state: ComplaintState, context: ComplaintDecideContext): ComplaintEvent[] {
  if (command.type === 'FileComplaint') return file(command, state, context);
  if (state.status === 'none') throw new DomainError('COMPLAINT_NOT_FOUND', 'No complaint has been filed');
  const actor = command.metadata.actor;
  switch (command.type) {
    case 'RegisterComplaint': {
      const registrationNumber = requireText(command.data.registrationNumber, 'registrationNumber', 100);
      requireAddresseeStaff(actor, state.addressee, state.providerId, ['clerk', 'head'], 'Registering a complaint');
      const existing = currentRegistration(state);
      if (existing) {
        if (existing.registrationNumber === registrationNumber) return [];
        throw new DomainError('ALREADY_REGISTERED', `Already registered as ${existing.registrationNumber}`, 'registrationNumber');
      }
      requireNotClosed(state);
      const times = commandTimes(command.metadata, context.clockSkewMs);
      requireAfterLast(state, times);
      const terms = context.complaintTerms;
      const date = almatyDate(times.occurredMs);
      if (date < terms.inForce.from || (terms.inForce.to !== null && date > terms.inForce.to)) {
        throw new DomainError(
          'COMPLAINT_TERMS_NOT_IN_FORCE',
          `Complaint terms ${terms.id} are in force ${terms.inForce.from}..${terms.inForce.to ?? 'now'}, not on ${date}`,
          'occurredAt',
        );
      }
      const term = terms.terms.find((t) => t.addressee === state.addressee);
      if (!term) throw new DomainError('COMPLAINT_TERM_UNDEFINED', `Complaint terms ${terms.id} give no term for the ${state.addressee}`);
      return [
        make(
          command,
          context,
          'ComplaintRegistered',
          {
            addressee: state.addressee,
            registrationNumber,
            registeredAt: times.occurredAt,
            term: { termsId: terms.id, amount: term.amount, unit: term.unit, startsOn: term.startsOn, source: term.source },
          },
          times,
          terms.id,
        ),
      ];
    }
    case 'ForwardComplaint': {
      const reason = requireText(command.data.reason, 'reason', 2000);
      requireAddresseeStaff(actor, 'provider', state.providerId, ['clerk', 'head'], 'Forwarding a complaint');
      if (state.forwarded) {
        if (state.forwarded.reason === reason) return [];
        throw new DomainError('FORWARD_NOT_ALLOWED', 'The complaint is already forwarded to the authorized body');
      }
      requireNotClosed(state);
      if (state.addressee !== 'provider') {
        throw new DomainError('FORWARD_NOT_ALLOWED', 'Only a complaint to the provider is forwarded to the authorized body');
      }
      const times = commandTimes(command.metadata, context.clockSkewMs);
      requireAfterLast(state, times);
      return [make(command, context, 'ComplaintForwarded', { from: 'provider', to: 'authorized-body', reason }, times)];
    }
    case 'AnswerComplaint': {
      const outcome = requireOneOf(command.data.outcome, 'outcome', COMPLAINT_OUTCOMES);
      const answer = requireSealed(command.data.answer, 'answer');
      requireAddresseeStaff(actor, state.addressee, state.providerId, ['head'], 'Answering a complaint');
      if (state.answer) {
        if (state.answer.outcome === outcome && state.answer.text.personId === answer.personId && state.answer.text.sealed === answer.sealed) return [];
        throw new DomainError('ALREADY_ANSWERED', 'The complaint is already answered');
      }
      requireNotClosed(state);
      if (state.status !== 'registered' || !currentRegistration(state)) {
        throw new DomainError('NOT_REGISTERED', `A complaint is answered after its registration with the ${state.addressee}`);
      }
      const times = commandTimes(command.metadata, context.clockSkewMs);
      requireAfterLast(state, times);
      return [make(command, context, 'ComplaintAnswered', { addressee: state.addressee, outcome, answer }, times)];
    }
    case 'WithdrawComplaint': {
      const reason = optionalText(command.data.reason, 'reason', 2000);
      if (actor.role === 'applicant') requireOwn(actor, state);
      else requireAddresseeStaff(actor, state.addressee, state.providerId, ['clerk', 'head'], 'Recording a withdrawal');
      if (state.withdrawal && state.withdrawal.reason === reason) return [];
      requireNotClosed(state);
      const times = commandTimes(command.metadata, context.clockSkewMs);
      requireAfterLast(state, times);
      return [make(command, context, 'ComplaintWithdrawn', { reason }, times)];
    }
    case 'RecordCourtAppeal': {
      const court = optionalText(command.data.court, 'court', 500);
      if (actor.role === 'applicant') requireOwn(actor, state);
      else if (!isAddresseeStaff(actor, state.addressee, state.providerId, ['head']) && !isAddresseeStaff(actor, 'provider', state.providerId, ['head'])) {
        throw new DomainError('ROLE_NOT_ALLOWED', 'A court appeal is recorded by the complainant, the provider\'s head or quality-control');
      }
      if (state.court && state.court.court === court) return [];
      // An answered complaint may still go to court: the complainant disagrees with the answer (Source B, 10).
      if (state.status === 'withdrawn' || state.status === 'in-court') throw new DomainError('COMPLAINT_CLOSED', `The complaint is ${state.status}`);
      const times = commandTimes(command.metadata, context.clockSkewMs);
      requireAfterLast(state, times);
      return [make(command, context, 'ComplaintTakenToCourt', { court }, times)];
    }
    case 'EraseComplaintPersonalData': {
      if (actor.role !== 'admin') throw new DomainError('ROLE_NOT_ALLOWED', 'Personal data is erased by an admin');
      const personId = requireText(command.data.personId, 'personId', 200);
      const reason = requireText(command.data.reason, 'reason', 2000);
      if (!state.personIds.includes(personId)) throw new DomainError('PERSON_UNKNOWN', `The complaint holds no data of ${personId}`, 'personId');
      if (state.erasedPersonIds.includes(personId)) return [];
      const times = commandTimes({ ...command.metadata, occurredAt: undefined }, context.clockSkewMs);
      return [make(command, context, 'ComplaintPersonalDataErased', { personId, reason }, times)];
    }
    case 'RecordReviewTermPassed': {
      if (actor.role !== 'system') throw new DomainError('ROLE_NOT_ALLOWED', 'Deadlines are recorded by the system');
      const registration = currentRegistration(state);
      if (state.status !== 'registered' || !registration) throw new DomainError('NOT_REGISTERED', `No review term is running: the complaint is ${state.status}`);
      if (state.deadlinesPassed.some((d) => d.registrationEventId === registration.eventId)) return [];
      const dueMs = Date.parse(command.data.dueAt);
      if (typeof command.data.dueAt !== 'string' || Number.isNaN(dueMs)) throw new DomainError('INVALID_INPUT', 'dueAt must be an ISO-8601 instant', 'dueAt');
      const times = commandTimes({ ...command.metadata, occurredAt: undefined }, context.clockSkewMs);
      if (dueMs > Date.parse(times.recordedAt)) throw new DomainError('DEADLINE_NOT_REACHED', `The review term runs until ${command.data.dueAt}`, 'dueAt');
      if (dueMs < Date.parse(registration.registeredAt)) throw new DomainError('INVALID_INPUT', 'dueAt is before the registration', 'dueAt');
      const dueAt = new Date(dueMs).toISOString();
      return [make(command, context, 'DeadlinePassed', { registrationEventId: registration.eventId, addressee: registration.addressee, dueAt }, { ...times, occurredAt: dueAt })];
    }
    default:
      return assertNever(command, 'complaint command');
  }
}

function file(command: FileComplaint, state: ComplaintState, context: ComplaintDecideContext): ComplaintEvent[] {
  const d = command.data;
  const complaintId = requireText(d.complaintId, 'complaintId', 200);
  const providerId = requireText(d.providerId, 'providerId', 200);
  const caseId = optionalText(d.caseId, 'caseId', 200);
  const subject = requireOneOf(d.subject, 'subject', COMPLAINT_SUBJECTS);
  const addressee = requireOneOf(d.addressee, 'addressee', ADDRESSEES);
  const complainant = requireSealed(d.complainant, 'complainant');
  const text = requireSealed(d.text, 'text');
  const actor = command.metadata.actor;
  const receivedVia = actor.role === 'applicant' ? 'portal' : 'paper';
  const data = { complaintId, providerId, caseId, subject, addressee, complainant, text, receivedVia } as const;

  if (state.status !== 'none') {
    const same =
      state.complaintId === complaintId &&
      state.providerId === providerId &&
      state.caseId === caseId &&
      state.subject === subject &&
      state.filedBy.userId === actor.userId &&
      sameValue(state.complainant, complainant);
    if (same) return [];
    throw new DomainError('COMPLAINT_ALREADY_EXISTS', `Complaint ${state.complaintId} already exists`);
  }
  if (actor.role !== 'applicant') requireAddresseeStaff(actor, addressee, providerId, ['clerk', 'head'], 'Recording a paper complaint');
  const times = commandTimes(command.metadata, context.clockSkewMs);
  return [make(command, context, 'ComplaintFiled', data, times)];
}

export const complaintDecider: Decider<ComplaintCommand, ComplaintEvent, ComplaintState, ComplaintDecideContext> = {
  decide: decideComplaint,
  evolve: evolveComplaint,
  initialState: initialComplaintState,
};
