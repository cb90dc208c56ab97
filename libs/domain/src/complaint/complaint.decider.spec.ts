import { describe, expect, it } from '@jest/globals';
import { complaintTermsFor, type ComplaintTerms } from '@sped/regulations';
import type { Actor } from '../shared/actor.js';
import { DeciderSpecification, sequentialIds } from '../testing/decider-specification.js';
import { actors, PROVIDER } from '../testing/case.fixtures.js';
import type { ComplaintCommand } from './complaint.commands.js';
import { complaintDecider, decideComplaint, type ComplaintDecideContext } from './complaint.decider.js';
import type { ComplaintEvent } from './complaint.events.js';
import { evolveComplaint, initialComplaintState, runningReviewTerm, type ComplaintState } from './complaint.state.js';

// The complaint terms as the application layer looks them up: in force on the registration's local date.
const TERMS: ComplaintTerms = complaintTermsFor('2021-03-01');
const contextFor = (prefix: string, terms: ComplaintTerms = TERMS): ComplaintDecideContext => ({
  complaintTerms: terms,
  clockSkewMs: 60_000,
  newId: sequentialIds(prefix),
});
const spec = DeciderSpecification(complaintDecider, () => contextFor('new'));

const COMPLAINANT = { personId: 'person-applicant', sealed: 'v1.sealed-applicant' };
const TEXT = { personId: 'person-applicant', sealed: 'v1.sealed-text' };
const ANSWER = { personId: 'person-applicant', sealed: 'v1.sealed-answer' };

type Of<T extends ComplaintCommand['type']> = Extract<ComplaintCommand, { type: T }>;
function cmd<T extends ComplaintCommand['type']>(type: T, data: Of<T>['data'], actor: Actor, now: string, occurredAt?: string): Of<T> {
  return { type, data, metadata: occurredAt === undefined ? { actor, now } : { actor, now, occurredAt } } as Of<T>;
}

const fileWith = (addressee: 'provider' | 'authorized-body', actor: Actor = actors.applicant, now = '2021-03-01T10:00:00+06:00') =>
  cmd(
    'FileComplaint',
    { complaintId: 'complaint-1', providerId: PROVIDER, caseId: 'case-1', subject: 'inaction', addressee, complainant: COMPLAINANT, text: TEXT },
    actor,
    now,
  );
const register = (actor: Actor = actors.clerk, now = '2021-03-01T11:00:00+06:00', number = 'Ж-12') =>
  cmd('RegisterComplaint', { registrationNumber: number }, actor, now);
const forward = (actor: Actor = actors.head, now = '2021-03-02T10:00:00+06:00') =>
  cmd('ForwardComplaint', { reason: 'the complaint concerns the head' }, actor, now);
const answer = (actor: Actor = actors.head, now = '2021-03-03T10:00:00+06:00', outcome: 'satisfied' | 'partly-satisfied' | 'rejected' = 'satisfied') =>
  cmd('AnswerComplaint', { outcome, answer: ANSWER }, actor, now);

function history(commands: ComplaintCommand[]): ComplaintEvent[] {
  const context = contextFor('h');
  let state: ComplaintState = initialComplaintState;
  const events: ComplaintEvent[] = [];
  for (const c of commands) {
    for (const e of decideComplaint(c, state, context)) {
      events.push(e);
      state = evolveComplaint(state, e);
    }
  }
  return events;
}
const stateOf = (events: ComplaintEvent[]) => events.reduce(evolveComplaint, initialComplaintState);

describe('Complaint decider', () => {
  describe('when a complaint is filed', () => {
    it('records a portal complaint from the applicant, with its personal data sealed', () => {
      spec
        .given([])
        .when(fileWith('provider'))
        .then([
          {
            id: 'new-1',
            type: 'ComplaintFiled',
            data: {
              complaintId: 'complaint-1',
              providerId: PROVIDER,
              caseId: 'case-1',
              subject: 'inaction',
              addressee: 'provider',
              complainant: COMPLAINANT,
              text: TEXT,
              receivedVia: 'portal',
            },
            metadata: { actor: actors.applicant, occurredAt: '2021-03-01T04:00:00.000Z', recordedAt: '2021-03-01T04:00:00.000Z' },
          },
        ]);
    });

    it("records a paper complaint to the provider taken by the provider's clerk", () => {
      spec.given([]).when(fileWith('provider', actors.clerk)).thenMatches([{ data: { receivedVia: 'paper' } }]);
    });

    it('records a paper complaint to the authorized body taken by quality-control', () => {
      spec.given([]).when(fileWith('authorized-body', actors.qualityControl)).thenMatches([{ data: { addressee: 'authorized-body', receivedVia: 'paper' } }]);
    });

    it("refuses a clerk of another provider recording a complaint about this one", () => {
      spec.given([]).when(fileWith('provider', actors.otherClerk)).thenThrows('PROVIDER_MISMATCH');
    });

    it("refuses a provider's clerk recording a complaint to the authorized body", () => {
      spec.given([]).when(fileWith('authorized-body', actors.clerk)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it.each([['executor'], ['director'], ['investigator'], ['system'], ['admin']] as const)('refuses the %s recording a complaint', (who) => {
      spec.given([]).when(fileWith('provider', actors[who])).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses personal data in the clear', () => {
      const command = fileWith('provider');
      command.data = { ...command.data, text: { ...TEXT, plain: 'my child was refused' } as never };
      spec.given([]).when(command).thenThrows('INVALID_INPUT', 'text');
    });

    it('changes nothing when the same complaint is filed again, and refuses another under its id', () => {
      spec.given(history([fileWith('provider')])).when(fileWith('provider')).thenNothingHappened();
      spec.given(history([fileWith('provider')])).when(fileWith('authorized-body', actors.qualityControl)).thenThrows('COMPLAINT_ALREADY_EXISTS');
    });

    it('refuses an occurredAt in the future', () => {
      spec.given([]).when(cmd('FileComplaint', fileWith('provider').data, actors.applicant, '2021-03-01T10:00:00+06:00', '2021-03-01T11:00:00+06:00')).thenThrows('OCCURRED_IN_FUTURE');
    });
  });

  describe('when a complaint is registered', () => {
    it('records the registration instant and the 5-working-day term of a complaint to the provider', () => {
      spec
        .given(history([fileWith('provider')]))
        .when(register())
        .then([
          {
            id: 'new-1',
            type: 'ComplaintRegistered',
            data: {
              addressee: 'provider',
              registrationNumber: 'Ж-12',
              registeredAt: '2021-03-01T05:00:00.000Z',
              term: { termsId: TERMS.id, amount: 5, unit: 'working-days', startsOn: 'registration', source: TERMS.terms[0].source },
            },
            metadata: {
              actor: actors.clerk,
              occurredAt: '2021-03-01T05:00:00.000Z',
              recordedAt: '2021-03-01T05:00:00.000Z',
              regulationId: TERMS.id,
            },
          },
        ]);
    });

    it('records the 15-working-day term of a complaint to the authorized body', () => {
      spec
        .given(history([fileWith('authorized-body')]))
        .when(register(actors.qualityControl))
        .thenMatches([{ data: { addressee: 'authorized-body', term: { amount: 15, unit: 'working-days' } } }]);
    });

    it('refuses terms not in force on the registration date', () => {
      const old: ComplaintTerms = { ...TERMS, inForce: { from: '2020-02-11', to: '2020-12-31' } };
      spec.given(history([fileWith('provider')])).when(register(), { complaintTerms: old }).thenThrows('COMPLAINT_TERMS_NOT_IN_FORCE');
    });

    it('refuses terms that give no term for the addressee', () => {
      const partial: ComplaintTerms = { ...TERMS, terms: TERMS.terms.filter((t) => t.addressee !== 'provider') };
      spec.given(history([fileWith('provider')])).when(register(), { complaintTerms: partial }).thenThrows('COMPLAINT_TERM_UNDEFINED');
    });

    it('refuses quality-control registering a complaint to the provider', () => {
      spec.given(history([fileWith('provider')])).when(register(actors.qualityControl)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses the clerk of another provider', () => {
      spec.given(history([fileWith('provider')])).when(register(actors.otherClerk)).thenThrows('PROVIDER_MISMATCH');
    });

    it('refuses a registration dated before the filing', () => {
      spec
        .given(history([fileWith('provider')]))
        .when(cmd('RegisterComplaint', { registrationNumber: 'Ж-12' }, actors.clerk, '2021-03-01T11:00:00+06:00', '2021-03-01T09:00:00+06:00'))
        .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt');
    });

    it('changes nothing when registered again under the same number, and refuses another number', () => {
      spec.given(history([fileWith('provider'), register()])).when(register(actors.clerk, '2021-03-01T12:00:00+06:00')).thenNothingHappened();
      spec.given(history([fileWith('provider'), register()])).when(register(actors.clerk, '2021-03-01T12:00:00+06:00', 'Ж-13')).thenThrows('ALREADY_REGISTERED');
    });

    it('refuses a registration of a withdrawn complaint', () => {
      const events = history([fileWith('provider'), cmd('WithdrawComplaint', {}, actors.applicant, '2021-03-01T10:30:00+06:00')]);
      spec.given(events).when(register()).thenThrows('COMPLAINT_CLOSED');
    });

    it('refuses a registration of a complaint not filed', () => {
      spec.given([]).when(register()).thenThrows('COMPLAINT_NOT_FOUND');
    });
  });

  describe('when the provider forwards a complaint to the authorized body', () => {
    it('stops the provider term and starts the 15-day term at the re-registration', () => {
      const events = history([fileWith('provider'), register(), forward(), register(actors.qualityControl, '2021-03-03T10:00:00+06:00', 'У-7')]);
      expect(events.map((e) => e.type)).toEqual(['ComplaintFiled', 'ComplaintRegistered', 'ComplaintForwarded', 'ComplaintRegistered']);
      expect(events[2].data).toEqual({ from: 'provider', to: 'authorized-body', reason: 'the complaint concerns the head' });
      const state = stateOf(history([fileWith('provider'), register(), forward()]));
      expect(runningReviewTerm(state)).toBeNull();
      expect(runningReviewTerm(stateOf(events))).toMatchObject({ addressee: 'authorized-body', amount: 15, registeredAt: '2021-03-03T04:00:00.000Z' });
    });

    it('refuses forwarding a complaint already addressed to the authorized body', () => {
      spec.given(history([fileWith('authorized-body'), register(actors.qualityControl)])).when(forward()).thenThrows('FORWARD_NOT_ALLOWED');
    });

    it('refuses quality-control forwarding', () => {
      spec.given(history([fileWith('provider'), register()])).when(forward(actors.qualityControl)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses forwarding an answered complaint', () => {
      spec.given(history([fileWith('provider'), register(), answer()])).when(forward(actors.head, '2021-03-04T10:00:00+06:00')).thenThrows('COMPLAINT_CLOSED');
    });

    it('changes nothing when forwarded again for the same reason', () => {
      spec.given(history([fileWith('provider'), register(), forward()])).when(forward()).thenNothingHappened();
    });
  });

  describe('when a complaint is answered', () => {
    it("records the provider head's answer to a complaint to the provider", () => {
      spec
        .given(history([fileWith('provider'), register()]))
        .when(answer(actors.head, '2021-03-03T10:00:00+06:00', 'partly-satisfied'))
        .thenMatches([{ type: 'ComplaintAnswered', data: { addressee: 'provider', outcome: 'partly-satisfied', answer: ANSWER } }]);
    });

    it('records the answer of quality-control to a complaint to the authorized body', () => {
      spec
        .given(history([fileWith('authorized-body'), register(actors.qualityControl)]))
        .when(answer(actors.qualityControl, '2021-03-03T10:00:00+06:00', 'rejected'))
        .thenMatches([{ data: { addressee: 'authorized-body', outcome: 'rejected' } }]);
    });

    it('refuses an answer before the registration', () => {
      spec.given(history([fileWith('provider')])).when(answer()).thenThrows('NOT_REGISTERED');
    });

    it('refuses an answer by the provider once the complaint is forwarded', () => {
      spec.given(history([fileWith('provider'), register(), forward()])).when(answer()).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses an answer by quality-control before the authorized body registers the forwarded complaint', () => {
      spec.given(history([fileWith('provider'), register(), forward()])).when(answer(actors.qualityControl)).thenThrows('NOT_REGISTERED');
    });

    it('refuses a clerk answering, which is the head’s', () => {
      spec.given(history([fileWith('provider'), register()])).when(answer(actors.clerk)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses the head of another provider', () => {
      spec.given(history([fileWith('provider'), register()])).when(answer(actors.otherHead)).thenThrows('PROVIDER_MISMATCH');
    });

    it('refuses an unknown outcome', () => {
      spec.given(history([fileWith('provider'), register()])).when(cmd('AnswerComplaint', { outcome: 'ignored' as never, answer: ANSWER }, actors.head, '2021-03-03T10:00:00+06:00')).thenThrows('INVALID_INPUT', 'outcome');
    });

    it('changes nothing when the same answer is recorded again, and refuses a different one', () => {
      const events = history([fileWith('provider'), register(), answer()]);
      spec.given(events).when(answer(actors.head, '2021-03-04T10:00:00+06:00')).thenNothingHappened();
      spec.given(events).when(answer(actors.head, '2021-03-04T10:00:00+06:00', 'rejected')).thenThrows('ALREADY_ANSWERED');
    });

    it('refuses an answer dated before the registration', () => {
      spec
        .given(history([fileWith('provider'), register()]))
        .when(cmd('AnswerComplaint', { outcome: 'satisfied', answer: ANSWER }, actors.head, '2021-03-03T10:00:00+06:00', '2021-03-01T10:30:00+06:00'))
        .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP');
    });
  });

  describe('when a complaint is withdrawn', () => {
    it('lets the complainant withdraw their own portal complaint', () => {
      spec.given(history([fileWith('provider'), register()])).when(cmd('WithdrawComplaint', { reason: 'resolved' }, actors.applicant, '2021-03-02T10:00:00+06:00')).thenMatches([{ type: 'ComplaintWithdrawn', data: { reason: 'resolved' } }]);
    });

    it("refuses another applicant withdrawing someone's complaint", () => {
      spec.given(history([fileWith('provider')])).when(cmd('WithdrawComplaint', {}, actors.otherApplicant, '2021-03-02T10:00:00+06:00')).thenThrows('NOT_OWN_COMPLAINT');
    });

    it("lets the addressee's staff record a withdrawal on paper", () => {
      spec.given(history([fileWith('provider', actors.clerk)])).when(cmd('WithdrawComplaint', {}, actors.clerk, '2021-03-02T10:00:00+06:00')).thenMatches([{ data: { reason: null } }]);
    });

    it('refuses a withdrawal after the answer', () => {
      spec.given(history([fileWith('provider'), register(), answer()])).when(cmd('WithdrawComplaint', {}, actors.applicant, '2021-03-04T10:00:00+06:00')).thenThrows('COMPLAINT_CLOSED');
    });

    it('changes nothing when withdrawn again', () => {
      const events = history([fileWith('provider'), cmd('WithdrawComplaint', {}, actors.applicant, '2021-03-02T10:00:00+06:00')]);
      spec.given(events).when(cmd('WithdrawComplaint', {}, actors.applicant, '2021-03-02T11:00:00+06:00')).thenNothingHappened();
    });
  });

  describe('when the complainant goes to court', () => {
    it('records the appeal after an answer the complainant disagrees with', () => {
      spec
        .given(history([fileWith('provider'), register(), answer()]))
        .when(cmd('RecordCourtAppeal', { court: 'Taldykorgan city court' }, actors.applicant, '2021-03-10T10:00:00+06:00'))
        .thenMatches([{ type: 'ComplaintTakenToCourt', data: { court: 'Taldykorgan city court' } }]);
      const events = history([fileWith('provider'), register(), answer(), cmd('RecordCourtAppeal', {}, actors.head, '2021-03-10T10:00:00+06:00')]);
      expect(stateOf(events).status).toBe('in-court');
    });

    it('refuses an appeal of a withdrawn complaint', () => {
      const events = history([fileWith('provider'), cmd('WithdrawComplaint', {}, actors.applicant, '2021-03-02T10:00:00+06:00')]);
      spec.given(events).when(cmd('RecordCourtAppeal', {}, actors.applicant, '2021-03-10T10:00:00+06:00')).thenThrows('COMPLAINT_CLOSED');
    });

    it('refuses a clerk recording the appeal', () => {
      spec.given(history([fileWith('provider'), register()])).when(cmd('RecordCourtAppeal', {}, actors.clerk, '2021-03-10T10:00:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses nothing further but erasure once in court', () => {
      const events = history([fileWith('provider'), register(), cmd('RecordCourtAppeal', {}, actors.applicant, '2021-03-02T10:00:00+06:00')]);
      spec.given(events).when(answer()).thenThrows('COMPLAINT_CLOSED');
      spec.given(events).when(cmd('EraseComplaintPersonalData', { personId: 'person-applicant', reason: 'request' }, actors.admin, '2021-04-01T10:00:00+06:00')).thenMatches([{ type: 'ComplaintPersonalDataErased' }]);
    });
  });

  describe('when personal data is erased', () => {
    it('drops the sealed complainant, text and answer from the state', () => {
      const events = history([
        fileWith('provider'),
        register(),
        answer(),
        cmd('EraseComplaintPersonalData', { personId: 'person-applicant', reason: 'request' }, actors.admin, '2021-04-01T10:00:00+06:00'),
      ]);
      const state = stateOf(events);
      if (state.status === 'none') throw new Error('no complaint');
      expect([state.complainant.sealed, state.text.sealed, state.answer?.text.sealed]).toEqual([null, null, null]);
    });

    it('refuses anyone but an admin, and an unknown person', () => {
      const events = history([fileWith('provider')]);
      spec.given(events).when(cmd('EraseComplaintPersonalData', { personId: 'person-applicant', reason: 'r' }, actors.head, '2021-04-01T10:00:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
      spec.given(events).when(cmd('EraseComplaintPersonalData', { personId: 'person-x', reason: 'r' }, actors.admin, '2021-04-01T10:00:00+06:00')).thenThrows('PERSON_UNKNOWN');
    });

    it('changes nothing the second time', () => {
      const erase = cmd('EraseComplaintPersonalData', { personId: 'person-applicant', reason: 'r' }, actors.admin, '2021-04-01T10:00:00+06:00');
      spec.given(history([fileWith('provider'), erase])).when(erase).thenNothingHappened();
    });
  });

  describe('the running review term', () => {
    it('runs from registration until the answer', () => {
      expect(runningReviewTerm(stateOf(history([fileWith('provider')])))).toBeNull();
      expect(runningReviewTerm(stateOf(history([fileWith('provider'), register()])))).toMatchObject({
        addressee: 'provider',
        amount: 5,
        unit: 'working-days',
        registeredAt: '2021-03-01T05:00:00.000Z',
      });
      expect(runningReviewTerm(stateOf(history([fileWith('provider'), register(), answer()])))).toBeNull();
    });
  });

  describe('evolve', () => {
    it('ignores events that do not fit instead of throwing', () => {
      const events = history([fileWith('provider'), register(), answer()]);
      expect(stateOf([events[2], events[1]])).toEqual(initialComplaintState);
      expect(stateOf([events[0], events[0]]).status).toBe('filed');
    });
  });
});

describe('Complaint review term expiry (the deadline sweeper)', () => {
  const registered = () => history([fileWith('provider'), register()]);
  const passed = (now = '2021-03-10T10:00:00+06:00', dueAt = '2021-03-09T00:00:00+06:00') => cmd('RecordReviewTermPassed', { dueAt }, actors.system, now);

  it('records that the term expired unanswered, dated at the due instant', () => {
    const given = registered();
    spec
      .given(given)
      .when(passed())
      .thenMatches([{ type: 'DeadlinePassed', data: { registrationEventId: given[1].id, addressee: 'provider', dueAt: '2021-03-08T18:00:00.000Z' }, metadata: { occurredAt: '2021-03-08T18:00:00.000Z' } }]);
  });

  it('records it only once per registration', () => {
    const given = registered();
    const first = decideComplaint(passed(), stateOf(given), contextFor('x'));
    spec.given([...given, ...first]).when(passed('2021-03-11T10:00:00+06:00')).then([]);
  });

  it('refuses to record it before the term has run out', () => {
    spec.given(registered()).when(passed('2021-03-05T10:00:00+06:00')).thenThrows('DEADLINE_NOT_REACHED');
  });

  it('refuses it for an answered complaint', () => {
    spec.given(history([fileWith('provider'), register(), answer()])).when(passed()).thenThrows('NOT_REGISTERED');
  });

  it('is recorded by the system only', () => {
    spec.given(registered()).when(cmd('RecordReviewTermPassed', { dueAt: '2021-03-09T00:00:00+06:00' }, actors.head, '2021-03-10T10:00:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
  });
});
