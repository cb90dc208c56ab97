import type { RecordedEvent } from '@sped/event-store';
import { currentRegistration, evolveComplaint, initialComplaintState, isComplaintEventType, type ComplaintEvent } from '@sped/domain';
import { dueAt } from '@sped/regulations';
import { keyedProjection } from '../projection.js';
import { ComplaintRow } from './complaint.entity.js';

const PREFIX = 'complaint-';

export function evolveComplaintRow(row: ComplaintRow | null, event: RecordedEvent): ComplaintRow | null {
  if (!isComplaintEventType(event.type)) return row;
  const state = evolveComplaint(row?.state ?? initialComplaintState, event as unknown as ComplaintEvent);
  if (state.status === 'none') return null;
  // The term that applies is the one of the registration with whoever must review it now.
  const registration = currentRegistration(state);
  const due = registration ? dueAt(registration.registeredAt, registration.term.amount, registration.term.unit).dueAt : null;
  const answeredAt = state.answer ? new Date(state.answer.answeredAt) : null;
  return {
    complaintId: state.complaintId,
    providerId: state.providerId,
    caseId: state.caseId,
    addressee: state.addressee,
    status: state.status,
    filedAt: new Date(state.filedAt),
    registeredAt: registration ? new Date(registration.registeredAt) : null,
    dueAt: due,
    answeredAt,
    answeredLate: answeredAt && due ? answeredAt.getTime() > due.getTime() : null,
    deadlineRecorded: !!registration && (state.deadlinesPassed ?? []).some((d) => d.registrationEventId === registration.eventId),
    streamVersion: event.streamVersion,
    lastPosition: event.position,
    state,
  };
}

export const complaintRegisterProjection = keyedProjection<ComplaintRow>({
  name: 'complaint-register',
  tables: ['complaint_register'],
  entity: ComplaintRow,
  key: 'complaintId',
  keyOf: (event) => (event.streamId.startsWith(PREFIX) ? event.streamId.slice(PREFIX.length) : null),
  evolve: evolveComplaintRow,
});
