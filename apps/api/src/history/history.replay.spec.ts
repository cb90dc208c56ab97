import type { RecordedEvent } from '@sped/event-store';
import {
  decideCase,
  decideComplaint,
  evolveCase,
  evolveComplaint,
  initialCaseState,
  initialComplaintState,
  type Actor,
  type CaseCommand,
  type CaseState,
  type ComplaintCommand,
  type ComplaintState,
} from '@sped/domain';
import { complaintTermsFor, regulationById, type RegulationVersion } from '@sped/regulations';
import { canonicalInstant, epochMicros, replayCaseHistory, replayComplaintHistory, type CaseHistoryView, type HistoryCut } from './history.replay.js';

const PROVIDER = 'pmpc-almaty-1';
const actors = {
  clerk: { role: 'clerk', userId: 'clerk-1', providerId: PROVIDER },
  head: { role: 'head', userId: 'head-1', providerId: PROVIDER },
  executor: { role: 'executor', userId: 'executor-1', providerId: PROVIDER },
} satisfies Record<string, Actor>;
const APPLICANT = { personId: 'person-applicant', sealed: 'v1.SECRET-applicant-blob' };
const CHILD = { personId: 'person-child', sealed: 'v1.SECRET-child-blob' };

const regulation = regulationById('almaty-region-604-2018') as RegulationVersion;
/** Almaty local time in 2019 (UTC+6). */
const t = (date: string, time: string) => `2019-${date}T${time}+06:00`;

let globalPosition = 100;

/** Records commands through the real decider, as the store would hold them: recordedAt is when the store took each. */
function caseRecorder(caseId = 'c1') {
  const events: RecordedEvent[] = [];
  let state: CaseState = initialCaseState;
  let n = 0;
  const record = (type: CaseCommand['type'], data: object, actor: Actor, occurredAt: string, recordedAt = occurredAt) => {
    const command = { type, data, metadata: { actor, now: recordedAt, occurredAt } } as CaseCommand;
    const decided = decideCase(command, state, { regulation, clockSkewMs: 60_000, newId: () => `${caseId}-e${++n}` });
    const recorded = decided.map((e) => ({ ...e, streamId: `case-${caseId}`, streamVersion: events.length + 1, position: String((globalPosition += 7)), recordedAt: canonicalInstant(recordedAt) }) as RecordedEvent);
    for (const e of decided) state = evolveCase(state, e);
    events.push(...recorded);
    return recorded[0];
  };
  return { events, record };
}

function submit(r: ReturnType<typeof caseRecorder>, occurredAt: string, recordedAt = occurredAt) {
  return r.record('SubmitApplication', { caseId: 'c1', serviceCode: 'pmpc-examination', providerId: PROVIDER, channel: 'office', applicant: APPLICANT, child: CHILD, documents: [{ kind: 'application' }] }, actors.clerk, occurredAt, recordedAt);
}

const at = (instant: string): HistoryCut => ({ kind: 'at', at: instant });
const stepOf = (view: CaseHistoryView, stepId: string) => view.steps.find((s) => s.stepId === stepId)!;
const verdictOf = (view: CaseHistoryView, stepId: string) => stepOf(view, stepId).verdict?.status ?? null;

describe('Case history replay', () => {
  describe('a PMPC case whose result was drawn up in time but recorded a week later', () => {
    const r = caseRecorder();
    submit(r, t('06-03', '09:00'), t('06-03', '09:00:30'));
    r.record('AcceptDocuments', { journalNumber: 'PMPC-041' }, actors.clerk, t('06-03', '09:05'), t('06-03', '09:05:30'));
    r.record('SendToHead', {}, actors.clerk, t('06-03', '09:12'), t('06-03', '09:12:30'));
    r.record('HoldInitialExamination', {}, actors.head, t('06-03', '09:40'), t('06-03', '09:40:30'));
    const appointed = r.record('AppointExecutor', { executorId: 'executor-1' }, actors.head, t('06-03', '10:05'), t('06-03', '10:05:30'));
    r.record('HoldExamination', {}, actors.executor, t('06-20', '10:00'), t('06-20', '10:01'));
    // Drawn up on Friday 28 June, recorded on Friday 5 July: after the term of step 3 had (apparently) expired.
    const drawnUp = r.record('DrawUpResult', { documentNumber: 'Q-77' }, actors.executor, t('06-28', '16:00'), t('07-05', '10:00'));
    r.record('SignResult', {}, actors.head, t('07-05', '10:30'));
    r.record('SendResultToExecutor', {}, actors.head, t('07-05', '11:00'));
    r.record('IssueResult', {}, actors.executor, t('07-05', '11:10'));
    const replay = (cut: HistoryCut) => replayCaseHistory({ events: r.events, cut, regulation });

    describe('at an instant after the executor was appointed', () => {
      const view = replay(at(t('06-10', '12:00')));

      it('shows only the events recorded by then, in order, with who did them', () => {
        expect(view.events.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'DocumentsAccepted', 'SentToHead', 'InitialExaminationHeld', 'ExecutorAppointed']);
        expect(view.events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
        expect(view.events[4]).toMatchObject({ actor: { role: 'head', userId: 'head-1', providerId: PROVIDER }, stepId: 'pmpc-2', occurredAt: '2019-06-03T04:05:00.000Z' });
        expect(view.eventsAfterCut).toBe(5);
        expect(view).toMatchObject({ basis: 'recorded', asOf: '2019-06-10T06:00:00.000000Z', asOfLocal: '2019-06-10T12:00:00+06:00', lastEvent: { streamVersion: 5, position: appointed.position } });
      });

      it('folds the state as it stood: with the executor, who was appointed', () => {
        expect(view.state).toMatchObject({ status: 'open', stage: 'with-executor', executorId: 'executor-1', documents: [{ kind: 'application' }], service: 'pmpc-examination' });
      });

      it('judges the steps as known then: steps 1 and 2 on time, step 3 open and not yet overdue, steps 4 and 5 not started', () => {
        expect(view.steps.map((s) => [s.stepId, s.status, s.verdict?.status ?? null])).toEqual([
          ['pmpc-1', 'completed', 'on-time'],
          ['pmpc-2', 'completed', 'on-time'],
          ['pmpc-3', 'open', 'open'],
          ['pmpc-4', 'not-started', null],
          ['pmpc-5', 'not-started', null],
        ]);
        expect(stepOf(view, 'pmpc-3').verdict).toMatchObject({ dueAt: '2019-07-03T00:00:00+06:00', lastDay: '2019-07-02', remaining: { amount: 23, unit: 'calendar-days' } });
      });

      it('gives each step the norm that applied, with its regulation and legal source', () => {
        expect(stepOf(view, 'pmpc-3').norm).toMatchObject({ kind: 'limit', amount: 29, unit: 'calendar-days', regulationId: 'almaty-region-604-2018', source: { paragraph: expect.any(String) } });
        expect(view.regulation).toMatchObject({ id: 'almaty-region-604-2018', source: expect.any(Object) });
      });
    });

    describe('at an instant after step 3 expired but before the late drawing-up was recorded', () => {
      const view = replay(at(t('07-04', '12:00')));

      it('shows step 3 open and overdue, because that is what the record showed', () => {
        expect(stepOf(view, 'pmpc-3').status).toBe('open');
        expect(stepOf(view, 'pmpc-3').verdict).toMatchObject({ status: 'overdue', excess: { amount: 2, unit: 'calendar-days' } });
        expect(view.state?.stage).toBe('with-executor');
      });

      it('leaves the late-recorded action out of the events and the state, and lists it as recorded later', () => {
        expect(view.events.map((e) => e.type)).not.toContain('ResultDrawnUp');
        expect(view.recordedLater).toEqual([
          expect.objectContaining({ eventId: drawnUp.id, type: 'ResultDrawnUp', stepId: 'pmpc-3', occurredAt: '2019-06-28T10:00:00.000Z', recordedAt: '2019-07-05T04:00:00.000000Z' }),
        ]);
      });
    });

    describe('once the drawing-up was recorded', () => {
      const view = replay(at(t('07-05', '10:00')));

      it('judges step 3 by when it happened: completed on time', () => {
        expect(stepOf(view, 'pmpc-3')).toMatchObject({ status: 'completed', completedAt: '2019-06-28T10:00:00.000Z', verdict: { status: 'on-time' } });
        expect(view.recordedLater).toEqual([]);
      });

      it('flags the drawing-up as recorded late, and no other event', () => {
        expect(view.events.filter((e) => e.recordedLate).map((e) => e.type)).toEqual(['ResultDrawnUp']);
      });

      it('judges step 4, started by the drawing-up on 28 June, as overdue on 5 July', () => {
        expect(verdictOf(view, 'pmpc-4')).toBe('overdue');
      });
    });

    describe('with no cut', () => {
      const view = replay({ kind: 'everything', now: '2026-01-15T12:00:00+05:00' });

      it('shows every event and the case issued, every step completed with its verdict', () => {
        expect(view.events).toHaveLength(10);
        expect(view.state).toMatchObject({ status: 'issued', stage: 'issued' });
        expect(view.steps.map((s) => [s.stepId, s.verdict?.status])).toEqual([
          ['pmpc-1', 'on-time'],
          ['pmpc-2', 'on-time'],
          ['pmpc-3', 'on-time'],
          ['pmpc-4', 'late'],
          ['pmpc-5', 'on-time'],
        ]);
        expect(view.cut).toBeNull();
        expect(view.eventsAfterCut).toBe(0);
      });
    });

    describe('cut at a global position', () => {
      it('gives the same view as the instant its event was recorded', () => {
        const byPosition = replay({ kind: 'position', position: appointed.position, at: appointed.recordedAt });
        const byInstant = replay(at(appointed.recordedAt));
        expect({ ...byPosition, cut: null }).toEqual({ ...byInstant, cut: null });
        expect(byPosition.events.at(-1)?.eventId).toBe(appointed.id);
        expect(byPosition.cut).toEqual({ position: appointed.position });
      });

      it('compares positions as numbers, not as text', () => {
        const events = r.events.map((e, i) => ({ ...e, position: String([9, 10, 11, 95, 100, 101, 999, 1000, 1001, 10000][i]) }));
        const view = replayCaseHistory({ events, cut: { kind: 'position', position: '100', at: events[4].recordedAt }, regulation });
        expect(view.events.map((e) => e.position)).toEqual(['9', '10', '11', '95', '100']);
      });
    });

    it('never lets a sealed personal-data blob out, and says where it was', () => {
      const view = replay({ kind: 'everything', now: '2026-01-15T12:00:00+05:00' });
      expect(JSON.stringify(view)).not.toContain('SECRET');
      expect(view.events[0].data).toMatchObject({ applicant: 'sealed', child: 'sealed', documents: [{ kind: 'application' }], providerId: PROVIDER });
    });
  });

  describe('a case whose application was recorded two days after it was submitted', () => {
    const r = caseRecorder();
    const submitted = submit(r, t('06-03', '09:00'), t('06-05', '15:00'));

    it('did not exist on the record in between, but the view says a submission dated before was recorded later', () => {
      const view = replayCaseHistory({ events: r.events, cut: at(t('06-04', '12:00')), regulation });
      expect(view).toMatchObject({ events: [], state: null, steps: [], regulation: null, lastEvent: null });
      expect(view.recordedLater).toEqual([expect.objectContaining({ eventId: submitted.id, type: 'ApplicationSubmitted' })]);
    });

    it('lists nothing as recorded later at an instant before it happened', () => {
      expect(replayCaseHistory({ events: r.events, cut: at(t('06-02', '12:00')), regulation }).recordedLater).toEqual([]);
    });
  });

  describe('when a correction moves the time of an action after it was recorded', () => {
    const r = caseRecorder();
    submit(r, t('06-03', '09:00'));
    r.record('AcceptDocuments', { journalNumber: 'PMPC-042' }, actors.clerk, t('06-03', '09:05'));
    // Typed 09:50 instead of 09:12.
    const sent = r.record('SendToHead', {}, actors.clerk, t('06-03', '09:50'), t('06-03', '09:51'));
    const correction = r.record('CorrectAction', { correctedEventId: sent.id, reason: 'Typed 09:50 instead of 09:12', corrected: { occurredAt: t('06-03', '09:12') } }, actors.clerk, t('06-03', '10:20'));
    const before = replayCaseHistory({ events: r.events, cut: at(t('06-03', '10:00')), regulation });
    const after = replayCaseHistory({ events: r.events, cut: at(t('06-03', '10:30')), regulation });

    it('judged the step late until the correction was recorded', () => {
      expect(stepOf(before, 'pmpc-1').verdict).toMatchObject({ status: 'late', excess: { amount: 35, unit: 'minutes' } });
      expect(verdictOf(before, 'pmpc-2')).toBe('open');
    });

    it('judges it on time from then on, and the next step by its corrected start', () => {
      expect(verdictOf(after, 'pmpc-1')).toBe('on-time');
      // Step 2 (one hour) now runs from 09:12, so by 10:30 it is overdue.
      expect(stepOf(after, 'pmpc-2').verdict).toMatchObject({ status: 'overdue', dueAt: '2019-06-03T10:12:00+06:00' });
    });

    it('names the event the correction corrects and keeps the original in the history', () => {
      expect(after.events.map((e) => e.eventId)).toContain(sent.id);
      expect(after.events.at(-1)).toMatchObject({ eventId: correction.id, type: 'ActionCorrected', corrects: { eventId: sent.id, type: 'SentToHead' }, data: { reason: 'Typed 09:50 instead of 09:12' } });
      expect(stepOf(after, 'pmpc-1')).toMatchObject({ completedAt: '2019-06-03T03:12:00.000Z', completedByEventId: correction.id });
      expect(stepOf(before, 'pmpc-1')).toMatchObject({ completedAt: '2019-06-03T03:50:00.000Z', completedByEventId: sent.id });
    });
  });

  describe('the late-recording flag', () => {
    // Friday 14 June 2019, 17:00 Almaty; the first working day after it is Monday 17 June.
    const friday = t('06-14', '17:00');
    const flagged = (recordedAt: string) => {
      const r = caseRecorder();
      submit(r, friday, recordedAt);
      return replayCaseHistory({ events: r.events, cut: { kind: 'everything', now: '2020-01-01T00:00:00+06:00' }, regulation }).events[0].recordedLate;
    };

    it('is not raised for an action of Friday recorded by the end of Monday', () => {
      expect(flagged(t('06-17', '23:59:59.999'))).toBe(false);
      expect(flagged('2019-06-17T18:00:00.000000Z')).toBe(false);
    });

    it('is raised for an action of Friday recorded on Tuesday', () => {
      expect(flagged('2019-06-17T18:00:00.000001Z')).toBe(true);
      expect(flagged(t('06-18', '09:00'))).toBe(true);
    });
  });

  describe('an instant given with digits beyond the microsecond', () => {
    it('is compared to the microsecond, as the store compares it', () => {
      expect(epochMicros('2019-06-17T18:00:00.0000019Z')).toBe(epochMicros('2019-06-17T18:00:00.000001Z'));
      expect(canonicalInstant('2019-06-18T00:00:00.1234567+06:00')).toBe('2019-06-17T18:00:00.123456Z');
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

const COMPLAINANT = { personId: 'person-complainant', sealed: 'v1.SECRET-complainant' };
const TEXT = { personId: 'person-complainant', sealed: 'v1.SECRET-text' };
/** Almaty local time in 2021 (UTC+6). */
const k = (date: string, time: string) => `2021-${date}T${time}+06:00`;

function complaintRecorder() {
  const events: RecordedEvent[] = [];
  let state: ComplaintState = initialComplaintState;
  let n = 0;
  const record = (type: ComplaintCommand['type'], data: object, actor: Actor, occurredAt: string, recordedAt = occurredAt) => {
    const command = { type, data, metadata: { actor, now: recordedAt, occurredAt } } as ComplaintCommand;
    const decided = decideComplaint(command, state, { complaintTerms: complaintTermsFor(occurredAt.slice(0, 10)), clockSkewMs: 60_000, newId: () => `k-e${++n}` });
    const recorded = decided.map((e) => ({ ...e, streamId: 'complaint-k1', streamVersion: events.length + 1, position: String((globalPosition += 3)), recordedAt: canonicalInstant(recordedAt) }) as RecordedEvent);
    for (const e of decided) state = evolveComplaint(state, e);
    events.push(...recorded);
    return recorded[0];
  };
  return { events, record };
}

describe('Complaint history replay', () => {
  describe('a complaint to the provider answered in time but recorded after the term', () => {
    const r = complaintRecorder();
    r.record('FileComplaint', { complaintId: 'k1', providerId: PROVIDER, caseId: null, subject: 'inaction', addressee: 'provider', complainant: COMPLAINANT, text: TEXT }, actors.clerk, k('09-06', '10:00'));
    r.record('RegisterComplaint', { registrationNumber: 'Ж-17' }, actors.clerk, k('09-06', '10:30'));
    // Answered on Friday 10 September, recorded on Wednesday 15 September.
    const answered = r.record('AnswerComplaint', { outcome: 'rejected', answer: { personId: 'person-complainant', sealed: 'v1.SECRET-answer' } }, actors.head, k('09-10', '15:00'), k('09-15', '09:00'));
    const replay = (cut: HistoryCut) => replayComplaintHistory({ events: r.events, cut });

    it('shows the review term running, not yet at risk, two days after registration', () => {
      const view = replay(at(k('09-08', '12:00')));
      expect(view.state).toMatchObject({ status: 'registered', addressee: 'provider', answer: null });
      expect(view.reviewTerm).toMatchObject({
        registrationNumber: 'Ж-17',
        term: { amount: 5, unit: 'working-days', termsId: 'law-public-services-art-25-2', source: { paragraph: 'Art. 25(2)' } },
        verdict: { status: 'open', dueAt: '2021-09-14T00:00:00+06:00', lastDay: '2021-09-13' },
        stopped: false,
      });
    });

    it('shows it overdue after the term, while the answer was not yet on record, and lists the answer as recorded later', () => {
      const view = replay(at(k('09-14', '12:00')));
      expect(view.reviewTerm?.verdict).toMatchObject({ status: 'overdue', excess: { amount: 1, unit: 'working-days' } });
      expect(view.recordedLater).toEqual([expect.objectContaining({ eventId: answered.id, type: 'ComplaintAnswered', occurredAt: '2021-09-10T09:00:00.000Z' })]);
    });

    it('shows it answered on time once the answer was recorded, flagged as recorded late', () => {
      const view = replay(at(k('09-15', '10:00')));
      expect(view.state).toMatchObject({ status: 'answered', answer: { outcome: 'rejected', answeredAt: '2021-09-10T09:00:00.000Z', text: 'sealed' } });
      expect(view.reviewTerm?.verdict?.status).toBe('on-time');
      expect(view.events.at(-1)).toMatchObject({ type: 'ComplaintAnswered', recordedLate: true, data: { answer: 'sealed', outcome: 'rejected' } });
      expect(JSON.stringify(view)).not.toContain('SECRET');
    });
  });

  describe('a complaint forwarded to the authorized body and not yet registered there', () => {
    const r = complaintRecorder();
    r.record('FileComplaint', { complaintId: 'k1', providerId: PROVIDER, caseId: null, subject: 'action', addressee: 'provider', complainant: COMPLAINANT, text: TEXT }, actors.clerk, k('09-06', '10:00'));
    r.record('RegisterComplaint', { registrationNumber: 'Ж-18' }, actors.clerk, k('09-06', '10:30'));
    r.record('ForwardComplaint', { reason: 'Concerns the quality of the service itself' }, actors.head, k('09-07', '10:00'));

    it('shows the provider\'s term stopped, without a verdict', () => {
      const view = replayComplaintHistory({ events: r.events, cut: at(k('09-20', '12:00')) });
      expect(view.state).toMatchObject({ status: 'forwarded', addressee: 'authorized-body' });
      expect(view.reviewTerm).toMatchObject({ addressee: 'provider', verdict: null, stopped: true });
    });
  });
});
