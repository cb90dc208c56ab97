import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CASE_EVENT_TYPES, type RegulationVersion } from '@sped/regulations';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { FIXTURE_A, FIXTURE_A_BARE_ACCEPTANCE, FIXTURE_A_ONE_GROUND, FIXTURE_B, FIXTURE_B_NO_RECEIPT_STEP } from '../testing/regulation.fixtures.js';
import {
  APPLICANT,
  CHILD,
  PROVIDER,
  actors,
  cmd,
  contextFor,
  history,
  pmpc,
  pmpcFlow,
  pmpcUntil,
  stateOf,
  submission,
} from '../testing/case.fixtures.js';
import type { Actor } from '../shared/actor.js';
import { caseDecider, decideCase, type CaseDecideContext } from './case.decider.js';
import type { CaseCommand } from './case.commands.js';
import type { CaseEvent } from './case.events.js';
import { caseStage, caseSteps } from './case.views.js';
import { evolveCase, initialCaseState, type CaseState, type ExistingCase } from './case.state.js';

const specFor = (regulation: RegulationVersion) => DeciderSpecification(caseDecider, () => contextFor(regulation, 'new'));
const spec = specFor(FIXTURE_A);
const specB = specFor(FIXTURE_B);
const given = (regulation: RegulationVersion, commands: CaseCommand[]) => history(regulation, commands);
const givenPmpc = (n: number) => given(FIXTURE_A, pmpcUntil(n));

function existing(state: CaseState): ExistingCase {
  if (state.status === 'none') throw new Error('no case');
  return state;
}

// Rehabilitation (FIXTURE_A): through the contract and executor appointment.
const rehab = {
  submit: submission({ serviceCode: 'rehabilitation' }),
  accept: cmd('AcceptDocuments', { journalNumber: 'R-1' }, actors.clerk, '2019-03-04T09:05:00+06:00'),
  sendToHead: cmd('SendToHead', {}, actors.clerk, '2019-03-04T09:10:00+06:00'),
  contract: cmd('ConcludeContract', { contractNumber: 'K-9' }, actors.head, '2019-03-04T09:30:00+06:00'),
  appoint: cmd('AppointExecutor', { executorId: 'executor-1' }, actors.head, '2019-03-04T09:50:00+06:00'),
};
const rehabStart = Object.values(rehab);
const session = (now: string, format: 'individual' | 'subgroup' | 'group' = 'individual', occurredAt?: string) =>
  cmd('HoldSession', { format, activity: 'lesson' }, actors.executor, now, occurredAt);

// Admission (FIXTURE_A): the executor takes documents, there is no clerk and no issuing step.
const admissionSubmit = (occurredAt: string, grade: number | null = 1) =>
  submission({ serviceCode: 'special-school-admission', grade, actor: actors.executor, now: occurredAt });

// Home education by the later rules (FIXTURE_B), through the portal.
const portal = {
  submit: submission({ serviceCode: 'home-education', channel: 'portal', actor: actors.applicant, now: '2021-02-01T20:00:00+06:00' }),
  accept: cmd('AcceptDocuments', { journalNumber: 'P-3' }, actors.clerk, '2021-02-02T09:10:00+06:00'),
  notify: cmd('SendAcceptanceNotification', {}, actors.clerk, '2021-02-02T09:20:00+06:00'),
  sendToHead: cmd('SendToHead', {}, actors.clerk, '2021-02-02T09:30:00+06:00'),
};

describe('Case decider', () => {
  describe('when an application is submitted at the office', () => {
    it('records the application with the regulation in force, the sealed persons and both instants', () => {
      spec
        .given([])
        .when(submission({ now: '2019-03-04T10:00:00+06:00', occurredAt: '2019-03-04T09:00:00+06:00' }))
        .then([
          {
            id: 'new-1',
            type: 'ApplicationSubmitted',
            data: {
              caseId: 'case-1',
              regulationId: 'fixture-a',
              serviceCode: 'pmpc-examination',
              providerId: PROVIDER,
              channel: 'office',
              applicant: APPLICANT,
              child: CHILD,
              documents: [{ kind: 'application' }, { kind: 'birth-certificate' }],
              grade: null,
              stepId: null,
              completesStep: false,
            },
            metadata: {
              actor: actors.clerk,
              occurredAt: '2019-03-04T03:00:00.000Z',
              recordedAt: '2019-03-04T04:00:00.000Z',
              regulationId: 'fixture-a',
            },
          },
        ]);
    });

    it('carries the correlation and idempotency keys of the command into the event', () => {
      const command = submission();
      command.metadata = { ...command.metadata, correlationId: 'corr-1', causationId: 'cause-1', idempotencyKey: 'idem-1' };
      spec
        .given([])
        .when(command)
        .thenMatches([{ metadata: { correlationId: 'corr-1', causationId: 'cause-1', idempotencyKey: 'idem-1' } }]);
    });

    it('changes nothing when the same application is submitted again', () => {
      spec.given(given(FIXTURE_A, [submission()])).when(submission({ now: '2019-03-04T09:01:00+06:00' })).thenNothingHappened();
    });

    it('refuses a different application on an existing case', () => {
      spec.given(given(FIXTURE_A, [submission()])).when(submission({ serviceCode: 'rehabilitation' })).thenThrows('CASE_ALREADY_EXISTS');
    });

    it("refuses a clerk of another provider taking the application", () => {
      spec.given([]).when(submission({ actor: actors.otherClerk })).thenThrows('PROVIDER_MISMATCH');
    });

    it('refuses an executor taking a PMPC application, which the regulation gives to the clerk', () => {
      spec.given([]).when(submission({ actor: actors.executor })).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('lets the executor take an admission application, where the regulation has no clerk', () => {
      spec.given([]).when(admissionSubmit('2019-07-10T10:00:00+06:00')).thenMatches([{ type: 'ApplicationSubmitted', data: { grade: 1 } }]);
    });

    it.each([['director'], ['qualityControl'], ['investigator'], ['admin'], ['applicant'], ['system']] as const)(
      'refuses the %s recording an office application',
      (who) => {
        spec.given([]).when(submission({ actor: actors[who] })).thenThrows('ROLE_NOT_ALLOWED');
      },
    );

    it('refuses the portal for a service the regulation offers only at the office', () => {
      spec.given([]).when(submission({ channel: 'portal', actor: actors.applicant })).thenThrows('CHANNEL_NOT_ALLOWED', 'channel');
    });

    it('refuses an application dated outside the period the regulation is in force', () => {
      spec.given([]).when(submission({ now: '2018-12-31T12:00:00+06:00' })).thenThrows('REGULATION_NOT_IN_FORCE', 'occurredAt');
      spec.given([]).when(submission({ now: '2020-02-21T12:00:00+06:00' })).thenThrows('REGULATION_NOT_IN_FORCE', 'occurredAt');
    });

    it('judges the period in force on the Almaty local date, not the UTC date', () => {
      // 2019-01-01 01:00 in Almaty is still 31 December in UTC.
      spec.given([]).when(submission({ now: '2018-12-31T19:00:00Z' })).thenMatches([{ type: 'ApplicationSubmitted' }]);
    });

    it('refuses a service the regulation does not govern', () => {
      specB.given([]).when(submission({ now: '2021-02-01T10:00:00+06:00' })).thenThrows('SERVICE_NOT_IN_REGULATION', 'serviceCode');
    });

    it('refuses personal data in the clear beside the sealed blob', () => {
      const command = submission();
      command.data = { ...command.data, child: { ...CHILD, name: 'Aigerim' } as never };
      spec.given([]).when(command).thenThrows('INVALID_INPUT', 'child');
    });

    it('refuses an occurredAt later than the recording instant beyond the allowed clock skew', () => {
      spec
        .given([])
        .when(submission({ now: '2019-03-04T09:00:00+06:00', occurredAt: '2019-03-04T09:02:00+06:00' }))
        .thenThrows('OCCURRED_IN_FUTURE', 'occurredAt');
    });

    it('accepts an occurredAt ahead of the recording instant within the clock skew', () => {
      spec
        .given([])
        .when(submission({ now: '2019-03-04T09:00:00+06:00', occurredAt: '2019-03-04T09:00:30+06:00' }))
        .thenMatches([{ metadata: { occurredAt: '2019-03-04T03:00:30.000Z', recordedAt: '2019-03-04T03:00:00.000Z' } }]);
    });

    it('refuses an instant without an offset', () => {
      spec.given([]).when(submission({ now: '2019-03-04T09:00:00' })).thenThrows('INVALID_INPUT', 'now');
    });
  });

  describe('when an admission application falls outside the admission windows', () => {
    it('refuses a first-grade application before 1 July', () => {
      spec.given([]).when(admissionSubmit('2019-06-30T12:00:00+06:00', 1)).thenThrows('OUTSIDE_ADMISSION_WINDOW', 'occurredAt');
    });

    it('accepts a first-grade application on 1 July, Almaty time, though it is still 30 June in UTC', () => {
      spec.given([]).when(admissionSubmit('2019-06-30T19:00:00Z', 1)).thenMatches([{ type: 'ApplicationSubmitted' }]);
    });

    it('accepts a first-grade application on 30 August', () => {
      spec.given([]).when(admissionSubmit('2019-08-30T17:59:00+06:00', 1)).thenMatches([{ type: 'ApplicationSubmitted' }]);
    });

    it('refuses any application after 30 August, Almaty time, though it is still 30 August in UTC', () => {
      spec.given([]).when(admissionSubmit('2019-08-30T18:30:00Z', 5)).thenThrows('OUTSIDE_ADMISSION_WINDOW');
      spec.given([]).when(admissionSubmit('2019-08-30T18:30:00Z', 1)).thenThrows('OUTSIDE_ADMISSION_WINDOW');
    });

    it('accepts an application to another grade in spring, where only the 30 August limit applies', () => {
      spec.given([]).when(admissionSubmit('2019-03-15T10:00:00+06:00', 5)).thenMatches([{ data: { grade: 5 } }]);
    });

    it('refuses a first-grade application in spring', () => {
      spec.given([]).when(admissionSubmit('2019-03-15T10:00:00+06:00', 1)).thenThrows('OUTSIDE_ADMISSION_WINDOW');
    });

    it('requires the grade of an admission application', () => {
      spec.given([]).when(admissionSubmit('2019-07-10T10:00:00+06:00', null)).thenThrows('INVALID_INPUT', 'grade');
    });

    it('does not apply the admission windows to other services', () => {
      spec.given([]).when(submission({ now: '2019-09-15T10:00:00+06:00', grade: 1 })).thenMatches([{ type: 'ApplicationSubmitted' }]);
    });
  });

  describe('when the PMPC procedure is followed in the order of the regulation', () => {
    it('records each action against the step it belongs to', () => {
      const events = given(FIXTURE_A, pmpcFlow);
      expect(events.map((e) => [e.type, 'stepId' in e.data ? e.data.stepId : null, 'completesStep' in e.data ? e.data.completesStep : null])).toEqual([
        ['ApplicationSubmitted', null, false],
        ['DocumentsAccepted', 'pmpc-1', false],
        ['SentToHead', 'pmpc-1', true],
        ['InitialExaminationHeld', 'pmpc-2', false],
        ['ExecutorAppointed', 'pmpc-2', true],
        ['ExaminationHeld', 'pmpc-3', false],
        ['ResultDrawnUp', 'pmpc-3', true],
        ['ResultSigned', 'pmpc-4', false],
        ['ResultSentToExecutor', 'pmpc-4', true],
        ['ResultIssued', 'pmpc-5', true],
      ]);
      expect(events.every((e) => e.metadata.regulationId === 'fixture-a')).toBe(true);
      expect(stateOf(events).status).toBe('issued');
    });

    it('records the journal number of accepted documents', () => {
      spec
        .given(givenPmpc(1))
        .when(pmpc.accept)
        .then([
          {
            id: 'new-1',
            type: 'DocumentsAccepted',
            data: { journalNumber: 'J-17', stepId: 'pmpc-1', completesStep: false },
            metadata: {
              actor: actors.clerk,
              occurredAt: '2019-03-04T03:05:00.000Z',
              recordedAt: '2019-03-04T03:05:00.000Z',
              regulationId: 'fixture-a',
            },
          },
        ]);
    });

    it('records the appointed executor', () => {
      spec.given(givenPmpc(4)).when(pmpc.appoint).thenMatches([{ type: 'ExecutorAppointed', data: { executorId: 'executor-1' } }]);
    });
  });

  describe('when an action comes before its step', () => {
    it('refuses sending to the head before the documents are accepted and registered', () => {
      spec.given(givenPmpc(1)).when(pmpc.sendToHead).thenThrows('STEP_OUT_OF_ORDER', 'DocumentsAccepted');
    });

    it('refuses appointing an executor before the documents reach the head', () => {
      spec.given(givenPmpc(2)).when(pmpc.appoint).thenThrows('STEP_OUT_OF_ORDER');
    });

    it('refuses appointing an executor before the initial PMPC examination', () => {
      spec.given(givenPmpc(3)).when(pmpc.appoint).thenThrows('STEP_OUT_OF_ORDER', 'InitialExaminationHeld');
    });

    it('refuses signing a result that has not been drawn up', () => {
      spec.given(givenPmpc(6)).when(pmpc.sign).thenThrows('STEP_OUT_OF_ORDER');
    });

    it('refuses issuing a result before it is sent back to the executor', () => {
      spec.given(givenPmpc(8)).when(pmpc.issue).thenThrows('STEP_OUT_OF_ORDER');
    });

    it('refuses drawing up a rehabilitation result before any lesson or consultation is held', () => {
      spec
        .given(given(FIXTURE_A, rehabStart))
        .when(cmd('DrawUpResult', {}, actors.executor, '2019-06-10T10:00:00+06:00'))
        .thenThrows('STEP_OUT_OF_ORDER', 'SessionHeld');
    });

    it('refuses an action the service does not have', () => {
      spec
        .given(givenPmpc(4))
        .when(cmd('ConcludeContract', { contractNumber: 'K-1' }, actors.head, '2019-03-04T09:45:00+06:00'))
        .thenThrows('ACTION_NOT_IN_REGULATION');
    });
  });

  describe('when an action of a completed step comes again', () => {
    it('changes nothing when it repeats what is recorded', () => {
      spec.given(givenPmpc(3)).when(pmpc.accept).thenNothingHappened();
    });

    it('refuses different values and points to a correction', () => {
      spec
        .given(givenPmpc(3))
        .when(cmd('AcceptDocuments', { journalNumber: 'J-99' }, actors.clerk, '2019-03-04T09:30:00+06:00'))
        .thenThrows('ALREADY_RECORDED');
    });

    it('refuses a lesson after the rehabilitation result is drawn up', () => {
      const events = given(FIXTURE_A, [
        ...rehabStart,
        session('2019-03-11T10:00:00+06:00'),
        cmd('DrawUpResult', {}, actors.executor, '2019-06-10T10:00:00+06:00'),
      ]);
      spec.given(events).when(session('2019-06-11T10:00:00+06:00')).thenThrows('STEP_OUT_OF_ORDER');
    });
  });

  describe('when rehabilitation lessons and consultations are held', () => {
    it('records many of them in the course step', () => {
      const events = given(FIXTURE_A, [
        ...rehabStart,
        session('2019-03-11T10:00:00+06:00', 'individual'),
        session('2019-03-12T10:00:00+06:00', 'subgroup'),
        cmd('HoldSession', { format: 'group', activity: 'consultation' }, actors.executor, '2019-03-13T10:00:00+06:00'),
      ]);
      const sessions = events.filter((e) => e.type === 'SessionHeld');
      expect(sessions.map((e) => e.data)).toEqual([
        { format: 'individual', activity: 'lesson', stepId: 'rehab-3', completesStep: false },
        { format: 'subgroup', activity: 'lesson', stepId: 'rehab-3', completesStep: false },
        { format: 'group', activity: 'consultation', stepId: 'rehab-3', completesStep: false },
      ]);
    });

    it('changes nothing when the same session at the same instant is recorded twice', () => {
      const events = given(FIXTURE_A, [...rehabStart, session('2019-03-11T10:00:00+06:00')]);
      spec.given(events).when(session('2019-03-11T10:00:00+06:00')).thenNothingHappened();
    });

    it('records the contract number when the head concludes the contract', () => {
      spec
        .given(given(FIXTURE_A, rehabStart.slice(0, 3)))
        .when(rehab.contract)
        .thenMatches([{ type: 'ContractConcluded', data: { contractNumber: 'K-9', stepId: 'rehab-2', completesStep: false } }]);
    });

    it('refuses an unknown session format', () => {
      spec
        .given(given(FIXTURE_A, rehabStart))
        .when(cmd('HoldSession', { format: 'online' as never, activity: 'lesson' }, actors.executor, '2019-03-11T10:00:00+06:00'))
        .thenThrows('INVALID_INPUT', 'format');
    });
  });

  describe('when someone other than the role the regulation names acts', () => {
    it('refuses an executor signing the result, which the head signs', () => {
      spec.given(givenPmpc(7)).when(cmd('SignResult', {}, actors.executor, '2019-03-13T14:00:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses a clerk appointing the executor', () => {
      spec.given(givenPmpc(4)).when(cmd('AppointExecutor', { executorId: 'x' }, actors.clerk, '2019-03-04T10:00:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses the head accepting documents, which the clerk accepts', () => {
      spec.given(givenPmpc(1)).when(cmd('AcceptDocuments', { journalNumber: 'J' }, actors.head, '2019-03-04T09:05:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses the head of another provider', () => {
      spec.given(givenPmpc(7)).when(cmd('SignResult', {}, actors.otherHead, '2019-03-13T14:00:00+06:00')).thenThrows('PROVIDER_MISMATCH');
    });

    it.each([['director'], ['qualityControl'], ['investigator'], ['admin'], ['applicant'], ['system']] as const)(
      'refuses the %s recording a procedural action',
      (who) => {
        spec.given(givenPmpc(7)).when(cmd('SignResult', {}, actors[who], '2019-03-13T14:00:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
      },
    );

    it('lets either the executor or the clerk issue the result', () => {
      spec.given(givenPmpc(9)).when(cmd('IssueResult', {}, actors.executor, '2019-03-14T09:00:00+06:00')).thenMatches([{ type: 'ResultIssued' }]);
      spec.given(givenPmpc(9)).when(pmpc.issue).thenMatches([{ type: 'ResultIssued', metadata: { actor: actors.clerk } }]);
    });
  });

  describe('when the case is closed', () => {
    const refused = () =>
      given(FIXTURE_A, [submission(), cmd('RefuseApplication', { grounds: ['incomplete-documents'], motivation: 'no medical report' }, actors.clerk, '2019-03-04T09:05:00+06:00')]);
    const withdrawn = () =>
      given(FIXTURE_A, [...pmpcUntil(2), cmd('WithdrawApplication', { reason: 'moved away' }, actors.clerk, '2019-03-04T09:07:00+06:00')]);

    it('refuses accepting documents after a refusal', () => {
      spec.given(refused()).when(pmpc.accept).thenThrows('CASE_CLOSED');
    });

    it('refuses sending to the head after a withdrawal', () => {
      spec.given(withdrawn()).when(pmpc.sendToHead).thenThrows('CASE_CLOSED');
    });

    it('refuses a further lesson after the result is issued', () => {
      const issued = given(FIXTURE_A, [
        ...rehabStart,
        session('2019-03-11T10:00:00+06:00'),
        cmd('DrawUpResult', {}, actors.executor, '2019-06-10T10:00:00+06:00'),
        cmd('SignResult', {}, actors.head, '2019-06-10T11:00:00+06:00'),
        cmd('SendResultToExecutor', {}, actors.head, '2019-06-10T11:30:00+06:00'),
        cmd('IssueResult', {}, actors.clerk, '2019-06-10T12:00:00+06:00'),
      ]);
      spec.given(issued).when(session('2019-06-11T10:00:00+06:00')).thenThrows('CASE_CLOSED');
    });

    it('refuses a withdrawal after the result is issued', () => {
      spec.given(given(FIXTURE_A, pmpcFlow)).when(cmd('WithdrawApplication', {}, actors.clerk, '2019-03-15T09:00:00+06:00')).thenThrows('CASE_CLOSED');
    });

    it('changes nothing when the issue is recorded again', () => {
      spec.given(given(FIXTURE_A, pmpcFlow)).when(pmpc.issue).thenNothingHappened();
    });

    it('still accepts a correction', () => {
      const events = refused();
      spec
        .given(events)
        .when(cmd('CorrectAction', { correctedEventId: events[1].id, reason: 'typo', corrected: { data: { motivation: 'no medical report of 2019' } } }, actors.clerk, '2019-03-05T09:00:00+06:00'))
        .thenMatches([{ type: 'ActionCorrected' }]);
    });
  });

  describe('when an action is recorded late', () => {
    it('keeps both when it happened and when it was recorded', () => {
      spec
        .given(givenPmpc(1))
        .when(cmd('AcceptDocuments', { journalNumber: 'J-17' }, actors.clerk, '2019-03-05T16:00:00+06:00', '2019-03-04T09:05:00+06:00'))
        .thenMatches([{ metadata: { occurredAt: '2019-03-04T03:05:00.000Z', recordedAt: '2019-03-05T10:00:00.000Z' } }]);
    });

    it('refuses an occurredAt before the previous step happened', () => {
      spec
        .given(givenPmpc(3))
        .when(cmd('HoldInitialExamination', {}, actors.head, '2019-03-04T12:00:00+06:00', '2019-03-04T09:08:00+06:00'))
        .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt');
    });

    it("refuses completing a step before one of its own activities happened", () => {
      spec
        .given(givenPmpc(2))
        .when(cmd('SendToHead', {}, actors.clerk, '2019-03-04T09:10:00+06:00', '2019-03-04T09:01:00+06:00'))
        .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP');
    });

    it('accepts activities of one step in any order', () => {
      const events = given(FIXTURE_A, [...rehabStart, session('2019-03-12T10:00:00+06:00')]);
      spec.given(events).when(session('2019-03-13T10:00:00+06:00', 'group', '2019-03-11T10:00:00+06:00')).thenMatches([{ type: 'SessionHeld' }]);
    });

    it('refuses an occurredAt in the future beyond the clock skew', () => {
      spec
        .given(givenPmpc(1))
        .when(cmd('AcceptDocuments', { journalNumber: 'J-17' }, actors.clerk, '2019-03-04T09:05:00+06:00', '2019-03-04T09:15:00+06:00'))
        .thenThrows('OCCURRED_IN_FUTURE', 'occurredAt');
    });
  });

  describe('when an application is refused', () => {
    const refuse = (grounds: string[], who: Actor = actors.clerk, now = '2019-03-04T09:05:00+06:00') =>
      cmd('RefuseApplication', { grounds: grounds as never, motivation: 'the medical report expired on 1 March' }, who, now);

    it('records a paper refusal at the office on the grounds stated, ending the acceptance step', () => {
      spec
        .given(givenPmpc(1))
        .when(refuse(['expired-documents', 'incomplete-documents']))
        .then([
          {
            id: 'new-1',
            type: 'ApplicationRefused',
            data: {
              grounds: ['expired-documents', 'incomplete-documents'],
              motivation: 'the medical report expired on 1 March',
              form: 'paper',
              stepId: 'pmpc-1',
              completesStep: true,
            },
            metadata: {
              actor: actors.clerk,
              occurredAt: '2019-03-04T03:05:00.000Z',
              recordedAt: '2019-03-04T03:05:00.000Z',
              regulationId: 'fixture-a',
            },
          },
        ]);
    });

    it('sends an electronic refusal to a portal application', () => {
      specB
        .given(given(FIXTURE_B, [portal.submit]))
        .when(refuse(['incomplete-documents'], actors.clerk, '2021-02-02T09:10:00+06:00'))
        .thenMatches([{ type: 'ApplicationRefused', data: { form: 'electronic', stepId: 'hedb-1p' } }]);
    });

    it('refuses a refusal once the documents are accepted at the office', () => {
      spec.given(givenPmpc(2)).when(refuse(['incomplete-documents'])).thenThrows('REFUSAL_NOT_AT_ACCEPTANCE');
    });

    it('refuses a refusal at a later step', () => {
      spec.given(givenPmpc(5)).when(refuse(['incomplete-documents'], actors.clerk, '2019-03-04T10:30:00+06:00')).thenThrows('REFUSAL_NOT_AT_ACCEPTANCE');
    });

    it('refuses a refusal once the acceptance step is over, even where no document acceptance is recorded', () => {
      const events = history(FIXTURE_A_BARE_ACCEPTANCE, [submission(), pmpc.sendToHead]);
      specFor(FIXTURE_A_BARE_ACCEPTANCE).given(events).when(refuse(['incomplete-documents'], actors.clerk, '2019-03-04T09:20:00+06:00')).thenThrows('REFUSAL_NOT_AT_ACCEPTANCE');
    });

    it('refuses a portal refusal after the notification of acceptance', () => {
      specB
        .given(given(FIXTURE_B, [portal.submit, portal.accept, portal.notify]))
        .when(refuse(['incomplete-documents'], actors.clerk, '2021-02-02T09:25:00+06:00'))
        .thenThrows('REFUSAL_NOT_AT_ACCEPTANCE');
    });

    it('refuses a ground the regulation does not give', () => {
      spec.given(givenPmpc(1)).when(refuse(['applicant-is-late'])).thenThrows('REFUSAL_GROUND_NOT_ALLOWED', 'grounds');
    });

    it("refuses a ground outside this service's list", () => {
      specFor(FIXTURE_A_ONE_GROUND)
        .given(history(FIXTURE_A_ONE_GROUND, [submission()]))
        .when(refuse(['expired-documents']))
        .thenThrows('REFUSAL_GROUND_NOT_ALLOWED');
    });

    it('requires a motivation', () => {
      spec
        .given(givenPmpc(1))
        .when(cmd('RefuseApplication', { grounds: ['incomplete-documents'], motivation: ' ' }, actors.clerk, '2019-03-04T09:05:00+06:00'))
        .thenThrows('INVALID_INPUT', 'motivation');
    });

    it('refuses the head refusing at acceptance, which is the clerk’s step', () => {
      spec.given(givenPmpc(1)).when(refuse(['incomplete-documents'], actors.head)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('changes nothing when the same refusal is recorded again', () => {
      const events = given(FIXTURE_A, [submission(), refuse(['incomplete-documents'])]);
      spec.given(events).when(refuse(['incomplete-documents'])).thenNothingHappened();
    });
  });

  describe('when channel-specific actions are recorded', () => {
    it('refuses a receipt for a portal application', () => {
      specB
        .given(given(FIXTURE_B, [portal.submit, portal.accept]))
        .when(cmd('IssueReceipt', {}, actors.clerk, '2021-02-02T09:15:00+06:00'))
        .thenThrows('CHANNEL_NOT_ALLOWED');
    });

    it('refuses a portal notification for an office application', () => {
      specB
        .given(given(FIXTURE_B, [submission({ serviceCode: 'home-education', now: '2021-02-02T09:00:00+06:00' })]))
        .when(cmd('SendAcceptanceNotification', {}, actors.clerk, '2021-02-02T09:15:00+06:00'))
        .thenThrows('CHANNEL_NOT_ALLOWED');
    });

    it('refuses a receipt for a portal application where no step names the receipt', () => {
      specFor(FIXTURE_B_NO_RECEIPT_STEP)
        .given(history(FIXTURE_B_NO_RECEIPT_STEP, [portal.submit, portal.accept]))
        .when(cmd('IssueReceipt', {}, actors.clerk, '2021-02-02T09:15:00+06:00'))
        .thenThrows('CHANNEL_NOT_ALLOWED');
    });

    it('refuses a portal notification for an office application where no step names the notification', () => {
      spec
        .given(given(FIXTURE_A, [submission({ serviceCode: 'home-education' }), cmd('AcceptDocuments', { journalNumber: 'H' }, actors.clerk, '2019-03-04T09:02:00+06:00')]))
        .when(cmd('SendAcceptanceNotification', {}, actors.clerk, '2019-03-04T09:03:00+06:00'))
        .thenThrows('CHANNEL_NOT_ALLOWED');
    });

    it('completes the portal processing step with the notification of acceptance', () => {
      specB
        .given(given(FIXTURE_B, [portal.submit, portal.accept]))
        .when(portal.notify)
        .thenMatches([{ type: 'AcceptanceNotificationSent', data: { stepId: 'hedb-1p', completesStep: true } }]);
    });

    it('issues an office receipt of acceptance as an activity of the acceptance step where the rules name it', () => {
      const office = [submission({ serviceCode: 'home-education', now: '2021-02-02T09:00:00+06:00' }), cmd('AcceptDocuments', { journalNumber: 'H-1' }, actors.clerk, '2021-02-02T09:05:00+06:00')];
      specB
        .given(given(FIXTURE_B, office))
        .when(cmd('IssueReceipt', { receiptNumber: 'Q-1' }, actors.clerk, '2021-02-02T09:06:00+06:00'))
        .thenMatches([{ type: 'ReceiptIssued', data: { receiptNumber: 'Q-1', stepId: 'hedb-1o', completesStep: false } }]);
      specB
        .given(given(FIXTURE_B, office))
        .when(cmd('SendToHead', {}, actors.clerk, '2021-02-02T09:07:00+06:00'))
        .thenThrows('STEP_OUT_OF_ORDER', 'ReceiptIssued');
    });

    it('issues a receipt where no step names it only after the documents are accepted', () => {
      const hed = submission({ serviceCode: 'home-education' });
      spec.given(given(FIXTURE_A, [hed])).when(cmd('IssueReceipt', {}, actors.clerk, '2019-03-04T09:03:00+06:00')).thenThrows('STEP_OUT_OF_ORDER');
      spec
        .given(given(FIXTURE_A, [hed, cmd('AcceptDocuments', { journalNumber: 'H' }, actors.clerk, '2019-03-04T09:02:00+06:00')]))
        .when(cmd('IssueReceipt', {}, actors.clerk, '2019-03-04T09:03:00+06:00'))
        .thenMatches([{ type: 'ReceiptIssued', data: { receiptNumber: null, stepId: null, completesStep: false } }]);
    });

    it('lets the head set the class and language under the later rules', () => {
      specB
        .given(given(FIXTURE_B, [portal.submit, portal.accept, portal.notify, portal.sendToHead]))
        .when(cmd('SetClassAndLanguage', { grade: 3, language: 'kk' }, actors.head, '2021-02-02T11:00:00+06:00'))
        .thenMatches([{ type: 'ClassAndLanguageSet', data: { grade: 3, language: 'kk', stepId: 'hedb-3' } }]);
    });

    it('takes a portal application from the applicant', () => {
      specB.given([]).when(portal.submit).thenMatches([{ data: { channel: 'portal' }, metadata: { actor: actors.applicant } }]);
    });

    it('refuses a clerk submitting a portal application', () => {
      specB
        .given([])
        .when(submission({ serviceCode: 'home-education', channel: 'portal', actor: actors.clerk, now: '2021-02-01T20:00:00+06:00' }))
        .thenThrows('ROLE_NOT_ALLOWED');
    });
  });

  describe('when admission runs to its end', () => {
    const admission = [
      admissionSubmit('2019-07-10T10:00:00+06:00', 1),
      cmd('AcceptDocuments', { journalNumber: 'A-1' }, actors.executor, '2019-07-10T10:10:00+06:00'),
      cmd('DrawUpResult', { documentNumber: 'order-12' }, actors.executor, '2019-07-10T10:20:00+06:00'),
      cmd('SignResult', {}, actors.head, '2019-07-10T10:30:00+06:00'),
      cmd('SendResultToExecutor', {}, actors.head, '2019-07-10T10:31:00+06:00'),
    ];

    it('lets the executor hand over the order though the regulation has no issuing step', () => {
      spec
        .given(given(FIXTURE_A, admission))
        .when(cmd('IssueResult', {}, actors.executor, '2019-07-10T11:00:00+06:00'))
        .thenMatches([{ type: 'ResultIssued', data: { stepId: null, completesStep: false } }]);
    });

    it('refuses handing over the order before the head has sent it back', () => {
      spec.given(given(FIXTURE_A, admission.slice(0, 4))).when(cmd('IssueResult', {}, actors.executor, '2019-07-10T11:00:00+06:00')).thenThrows('STEP_OUT_OF_ORDER');
    });
  });

  describe('when an application is withdrawn', () => {
    it('records the withdrawal by the clerk against the step in progress', () => {
      spec
        .given(givenPmpc(2))
        .when(cmd('WithdrawApplication', { reason: 'moved away' }, actors.clerk, '2019-03-04T09:07:00+06:00'))
        .thenMatches([{ type: 'ApplicationWithdrawn', data: { reason: 'moved away', stepId: 'pmpc-1', completesStep: false } }]);
    });

    it('lets the applicant withdraw their own portal application', () => {
      specB.given(given(FIXTURE_B, [portal.submit])).when(cmd('WithdrawApplication', {}, actors.applicant, '2021-02-02T08:00:00+06:00')).thenMatches([{ data: { reason: null } }]);
    });

    it("refuses another applicant withdrawing someone's application", () => {
      specB.given(given(FIXTURE_B, [portal.submit])).when(cmd('WithdrawApplication', {}, actors.otherApplicant, '2021-02-02T08:00:00+06:00')).thenThrows('NOT_OWN_APPLICATION');
    });

    it('refuses the portal gateway withdrawing an office application', () => {
      spec.given(givenPmpc(1)).when(cmd('WithdrawApplication', {}, actors.system, '2019-03-04T09:07:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses a director recording a withdrawal', () => {
      spec.given(givenPmpc(1)).when(cmd('WithdrawApplication', {}, actors.director, '2019-03-04T09:07:00+06:00')).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses a withdrawal dated before an action already recorded', () => {
      spec.given(givenPmpc(3)).when(cmd('WithdrawApplication', {}, actors.clerk, '2019-03-04T09:20:00+06:00', '2019-03-04T09:06:00+06:00')).thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP');
    });
  });

  describe('when a wrongly recorded action is corrected', () => {
    const correction = (correctedEventId: string, corrected: object, who: Actor = actors.clerk, now = '2019-03-04T12:00:00+06:00') =>
      cmd('CorrectAction', { correctedEventId, reason: 'recorded with the wrong time', corrected: corrected as never }, who, now);

    it('records the corrected values, naming the event corrected; the original stays', () => {
      const events = givenPmpc(3);
      const accepted = events[1];
      const outcome = spec.given(events).when(correction(accepted.id, { occurredAt: '2019-03-04T09:03:00+06:00', data: { journalNumber: 'J-18' } })).events();
      expect(outcome).toEqual([
        {
          id: 'new-1',
          type: 'ActionCorrected',
          data: {
            correctedEventId: accepted.id,
            correctedType: 'DocumentsAccepted',
            reason: 'recorded with the wrong time',
            corrected: { occurredAt: '2019-03-04T03:03:00.000Z', data: { journalNumber: 'J-18' } },
            stepId: 'pmpc-1',
            completesStep: false,
          },
          metadata: {
            actor: actors.clerk,
            occurredAt: '2019-03-04T06:00:00.000Z',
            recordedAt: '2019-03-04T06:00:00.000Z',
            regulationId: 'fixture-a',
          },
        },
      ]);
      const state = existing(stateOf([...events, ...outcome]));
      const action = state.actions.find((a) => a.type === 'DocumentsAccepted');
      expect(action).toMatchObject({ eventId: 'new-1', eventIds: [accepted.id, 'new-1'], occurredAt: '2019-03-04T03:03:00.000Z', values: { journalNumber: 'J-18' } });
    });

    it('refuses a correction of an event the case does not have', () => {
      spec.given(givenPmpc(3)).when(correction('no-such-event', { occurredAt: '2019-03-04T09:03:00+06:00' })).thenThrows('CORRECTION_TARGET_UNKNOWN', 'correctedEventId');
    });

    it('refuses a correction of an event already superseded by a correction', () => {
      const events = givenPmpc(3);
      const corrected = [...events, ...history(FIXTURE_A, [...pmpcUntil(3), correction(events[1].id, { data: { journalNumber: 'J-18' } })], 'h').slice(3)];
      spec.given(corrected).when(correction(events[1].id, { data: { journalNumber: 'J-19' } })).thenThrows('CORRECTION_TARGET_UNKNOWN');
    });

    it('lets a further correction name the latest correction', () => {
      const events = history(FIXTURE_A, [...pmpcUntil(3), correction('h-2', { data: { journalNumber: 'J-18' } })]);
      spec.given(events).when(correction(events[3].id, { data: { journalNumber: 'J-19' } })).thenMatches([{ data: { correctedEventId: events[3].id } }]);
    });

    it('changes nothing when the same correction is sent again', () => {
      const events = history(FIXTURE_A, [...pmpcUntil(3), correction('h-2', { data: { journalNumber: 'J-18' } })]);
      spec.given(events).when(correction('h-2', { data: { journalNumber: 'J-18' } })).thenNothingHappened();
    });

    it('changes nothing when the corrected values equal the recorded ones', () => {
      spec.given(givenPmpc(3)).when(correction('h-2', { data: { journalNumber: 'J-17' } })).thenNothingHappened();
    });

    it('refuses a correction naming nothing to correct', () => {
      spec.given(givenPmpc(3)).when(correction('h-2', {})).thenThrows('INVALID_INPUT', 'corrected');
    });

    it('refuses correcting a structural fact such as the channel', () => {
      spec.given(givenPmpc(3)).when(correction('h-1', { data: { channel: 'portal' } })).thenThrows('CORRECTION_FIELD_NOT_ALLOWED', 'corrected.data.channel');
    });

    it('refuses a corrected time before the previous step', () => {
      spec.given(givenPmpc(4)).when(correction('h-4', { occurredAt: '2019-03-04T09:08:00+06:00' }, actors.head)).thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'corrected.occurredAt');
    });

    it('refuses a corrected time after the next step', () => {
      spec.given(givenPmpc(4)).when(correction('h-2', { occurredAt: '2019-03-04T09:11:00+06:00' })).thenThrows('OCCURRED_AFTER_NEXT_ACTION', 'corrected.occurredAt');
    });

    it('refuses a corrected time in the future', () => {
      spec.given(givenPmpc(2)).when(correction('h-2', { occurredAt: '2019-03-04T13:00:00+06:00' })).thenThrows('OCCURRED_IN_FUTURE', 'corrected.occurredAt');
    });

    it("lets the head correct a clerk's action", () => {
      spec.given(givenPmpc(3)).when(correction('h-2', { data: { journalNumber: 'J-18' } }, actors.head)).thenMatches([{ type: 'ActionCorrected' }]);
    });

    it("refuses an executor correcting a clerk's action", () => {
      spec.given(givenPmpc(3)).when(correction('h-2', { data: { journalNumber: 'J-18' } }, actors.executor)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses an admin correcting a procedural action', () => {
      spec.given(givenPmpc(3)).when(correction('h-2', { data: { journalNumber: 'J-18' } }, actors.admin)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses staff of another provider', () => {
      spec.given(givenPmpc(3)).when(correction('h-2', { data: { journalNumber: 'J-18' } }, actors.otherClerk)).thenThrows('PROVIDER_MISMATCH');
    });

    it('refuses moving an admission application outside the admission window', () => {
      const events = given(FIXTURE_A, [admissionSubmit('2019-07-10T10:00:00+06:00', 1)]);
      spec.given(events).when(correction(events[0].id, { occurredAt: '2019-06-28T10:00:00+06:00' }, actors.executor, '2019-07-10T11:00:00+06:00')).thenThrows('OUTSIDE_ADMISSION_WINDOW');
      spec.given(events).when(correction(events[0].id, { data: { grade: 1 } }, actors.executor, '2019-07-10T11:00:00+06:00')).thenNothingHappened();
    });

    it('replaces the appointed executor', () => {
      const events = givenPmpc(5);
      const outcome = spec.given(events).when(correction('h-5', { data: { executorId: 'executor-2' } }, actors.head)).events();
      expect(existing(stateOf([...events, ...outcome])).executorId).toBe('executor-2');
    });

    it('replaces sealed personal data of the application', () => {
      const events = givenPmpc(1);
      const child = { personId: 'person-child-2', sealed: 'v1.other' };
      const outcome = spec.given(events).when(correction('h-1', { data: { child } })).events();
      const state = existing(stateOf([...events, ...outcome]));
      expect(state.child).toEqual(child);
      expect(state.personIds).toEqual(['person-applicant', 'person-child', 'person-child-2']);
    });

    it('refuses correcting a recorded deadline', () => {
      const events = [...givenPmpc(1), ...deadline(givenPmpc(1))];
      spec.given(events).when(correction('d-1', { occurredAt: '2019-03-04T09:20:00+06:00' }, actors.head)).thenThrows('CORRECTION_TARGET_NOT_CORRECTABLE');
    });
  });

  describe('when the deadline sweeper finds a step term expired', () => {
    const passed = (stepId: string, dueAt: string, who: Actor = actors.system, now = '2019-03-04T09:20:00+06:00') =>
      cmd('RecordDeadlinePassed', { stepId, dueAt }, who, now);

    it('records the expiry at the due instant, recorded when found', () => {
      spec
        .given(givenPmpc(1))
        .when(passed('pmpc-1', '2019-03-04T09:15:00+06:00'))
        .then([
          {
            id: 'new-1',
            type: 'DeadlinePassed',
            data: { stepId: 'pmpc-1', dueAt: '2019-03-04T03:15:00.000Z', completesStep: false },
            metadata: {
              actor: actors.system,
              occurredAt: '2019-03-04T03:15:00.000Z',
              recordedAt: '2019-03-04T03:20:00.000Z',
              regulationId: 'fixture-a',
            },
          },
        ]);
    });

    it('records it once per step', () => {
      spec.given([...givenPmpc(1), ...deadline(givenPmpc(1))]).when(passed('pmpc-1', '2019-03-04T09:15:00+06:00', actors.system, '2019-03-04T09:25:00+06:00')).thenNothingHappened();
    });

    it('refuses anyone but the system', () => {
      spec.given(givenPmpc(1)).when(passed('pmpc-1', '2019-03-04T09:15:00+06:00', actors.head)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses a step already completed', () => {
      spec.given(givenPmpc(3)).when(passed('pmpc-1', '2019-03-04T09:15:00+06:00')).thenThrows('STEP_NOT_OPEN');
    });

    it('refuses a step not started', () => {
      spec.given(givenPmpc(1)).when(passed('pmpc-2', '2019-03-04T09:15:00+06:00')).thenThrows('STEP_NOT_OPEN');
    });

    it('refuses a term that has not yet run out', () => {
      spec.given(givenPmpc(1)).when(passed('pmpc-1', '2019-03-04T09:30:00+06:00')).thenThrows('DEADLINE_NOT_REACHED', 'dueAt');
    });

    it('refuses a step the regulation does not have', () => {
      spec.given(givenPmpc(1)).when(passed('pmpc-9', '2019-03-04T09:15:00+06:00')).thenThrows('STEP_UNKNOWN', 'stepId');
    });

    it('refuses a step without a term', () => {
      specB
        .given(given(FIXTURE_B, [submission({ serviceCode: 'home-education', now: '2021-02-02T09:00:00+06:00' })]))
        .when(passed('hedb-1o', '2021-02-02T09:15:00+06:00', actors.system, '2021-02-02T10:00:00+06:00'))
        .thenThrows('STEP_HAS_NO_TERM');
    });

    it('refuses a closed case', () => {
      const events = given(FIXTURE_A, [submission(), cmd('WithdrawApplication', {}, actors.clerk, '2019-03-04T09:05:00+06:00')]);
      spec.given(events).when(passed('pmpc-1', '2019-03-04T09:15:00+06:00')).thenThrows('CASE_CLOSED');
    });
  });

  describe('when personal data is erased', () => {
    const erase = (personId: string, who: Actor = actors.admin) => cmd('ErasePersonalData', { personId, reason: 'retention period over' }, who, '2024-03-04T09:00:00+05:00');

    it('records the erasure and drops the sealed data from the state, even on a closed case', () => {
      const events = given(FIXTURE_A, pmpcFlow);
      const outcome = spec.given(events).when(erase('person-child')).events();
      expect(outcome).toMatchObject([{ type: 'PersonalDataErased', data: { personId: 'person-child', reason: 'retention period over' } }]);
      const state = existing(stateOf([...events, ...outcome]));
      expect(state.child).toEqual({ personId: 'person-child', sealed: null });
      expect(state.applicant).toEqual(APPLICANT);
    });

    it('changes nothing the second time', () => {
      const events = history(FIXTURE_A, [...pmpcFlow, erase('person-child')]);
      spec.given(events).when(erase('person-child')).thenNothingHappened();
    });

    it('refuses a person the case does not hold', () => {
      spec.given(givenPmpc(1)).when(erase('person-x')).thenThrows('PERSON_UNKNOWN', 'personId');
    });

    it('refuses anyone but an admin', () => {
      spec.given(givenPmpc(1)).when(erase('person-child', actors.head)).thenThrows('ROLE_NOT_ALLOWED');
    });
  });

  describe('when the inputs do not fit the case', () => {
    it('refuses an action on a case that does not exist', () => {
      spec.given([]).when(pmpc.accept).thenThrows('CASE_NOT_FOUND');
    });

    it('refuses a regulation other than the case’s own', () => {
      spec.given(givenPmpc(1)).when(pmpc.accept, { regulation: FIXTURE_B }).thenThrows('REGULATION_MISMATCH');
    });
  });

  describe('the stage reported to the monitoring system', () => {
    it('follows the PMPC procedure', () => {
      const events = given(FIXTURE_A, pmpcFlow);
      const stages = events.map((_, i) => caseStage(stateOf(events.slice(0, i + 1))));
      expect(stages).toEqual([
        'submitted',
        'accepted',
        'with-head',
        'with-head',
        'with-executor',
        'with-executor',
        'result-drawn-up',
        'signed',
        'result-ready',
        'issued',
      ]);
      expect(caseStage(initialCaseState)).toBeNull();
    });

    it('reports refusal and withdrawal', () => {
      const refused = given(FIXTURE_A, [submission(), cmd('RefuseApplication', { grounds: ['incomplete-documents'], motivation: 'm' }, actors.clerk, '2019-03-04T09:05:00+06:00')]);
      expect(caseStage(stateOf(refused))).toBe('refused');
      const withdrawn = given(FIXTURE_A, [submission(), cmd('WithdrawApplication', {}, actors.clerk, '2019-03-04T09:05:00+06:00')]);
      expect(caseStage(stateOf(withdrawn))).toBe('withdrawn');
    });

    it('reports a portal application as accepted once the notification is sent', () => {
      expect(caseStage(stateOf(given(FIXTURE_B, [portal.submit, portal.accept, portal.notify])))).toBe('accepted');
    });
  });

  describe('the progress of each step', () => {
    it('shows when each step started and completed and who completed it', () => {
      const events = given(FIXTURE_A, pmpcUntil(5));
      const steps = caseSteps(existing(stateOf(events)), FIXTURE_A);
      expect(steps.map((s) => [s.stepId, s.startedAt, s.completedAt, s.performedBy?.userId ?? null, s.status])).toEqual([
        ['pmpc-1', '2019-03-04T03:00:00.000Z', '2019-03-04T03:10:00.000Z', 'clerk-1', 'completed'],
        ['pmpc-2', '2019-03-04T03:10:00.000Z', '2019-03-04T04:00:00.000Z', 'head-1', 'completed'],
        ['pmpc-3', '2019-03-04T04:00:00.000Z', null, null, 'open'],
        ['pmpc-4', null, null, null, 'not-started'],
        ['pmpc-5', null, null, null, 'not-started'],
      ]);
      expect(steps[1].activities).toEqual([{ type: 'InitialExaminationHeld', occurredAt: '2019-03-04T03:40:00.000Z', eventId: 'h-4', actor: actors.head }]);
      expect(steps[0].roles).toEqual(['clerk']);
    });

    it('shows the corrected instants', () => {
      const events = history(FIXTURE_A, [...pmpcUntil(3), cmd('CorrectAction', { correctedEventId: 'h-3', reason: 'r', corrected: { occurredAt: '2019-03-04T09:12:00+06:00' } }, actors.clerk, '2019-03-04T10:00:00+06:00')]);
      const [first, second] = caseSteps(existing(stateOf(events)), FIXTURE_A);
      expect(first.completedAt).toBe('2019-03-04T03:12:00.000Z');
      expect(second.startedAt).toBe('2019-03-04T03:12:00.000Z');
    });

    it('shows a refused acceptance step as ended by the refusal, and a recorded deadline', () => {
      const events = [...givenPmpc(1), ...deadline(givenPmpc(1))];
      const refused = history(FIXTURE_A, [submission(), cmd('RefuseApplication', { grounds: ['incomplete-documents'], motivation: 'm' }, actors.clerk, '2019-03-04T09:05:00+06:00')]);
      expect(caseSteps(existing(stateOf(refused)), FIXTURE_A)[0]).toMatchObject({ completedAt: '2019-03-04T03:05:00.000Z', status: 'completed' });
      expect(caseSteps(existing(stateOf(events)), FIXTURE_A)[0].deadlinePassed).toEqual({
        dueAt: '2019-03-04T03:15:00.000Z',
        recordedAt: '2019-03-04T03:20:00.000Z',
      });
    });

    it('shows a step open when the case was withdrawn as stopped', () => {
      const events = given(FIXTURE_A, [...pmpcUntil(3), cmd('WithdrawApplication', {}, actors.clerk, '2019-03-04T09:20:00+06:00')]);
      expect(caseSteps(existing(stateOf(events)), FIXTURE_A)[1].status).toBe('stopped');
    });

    it('lists only the steps of the case’s channel', () => {
      const steps = caseSteps(existing(stateOf(given(FIXTURE_B, [portal.submit]))), FIXTURE_B);
      expect(steps.map((s) => s.stepId)).toEqual(['hedb-1p', 'hedb-2p', 'hedb-3', 'hedb-4', 'hedb-5', 'hedb-6']);
    });
  });

  describe('evolve', () => {
    it('never throws, whatever the order of the events', () => {
      const story = history(FIXTURE_A, [...pmpcFlow, cmd('CorrectAction', { correctedEventId: 'h-2', reason: 'r', corrected: { data: { journalNumber: 'J-2' } } }, actors.clerk, '2019-03-15T09:00:00+06:00')]);
      const stray: CaseEvent[] = [
        { ...story[10], id: 'x-1', data: { ...(story[10].data as object), correctedEventId: 'nowhere' } } as CaseEvent,
        { id: 'x-2', type: 'PersonalDataErased', data: { personId: 'nobody', reason: 'r' }, metadata: story[0].metadata },
        { id: 'x-3', type: 'DeadlinePassed', data: { stepId: 'pmpc-1', dueAt: story[0].metadata.occurredAt, completesStep: false }, metadata: story[0].metadata },
      ];
      fc.assert(
        fc.property(fc.shuffledSubarray([...story, ...stray]), (events) => {
          const state = events.reduce(evolveCase, initialCaseState);
          expect(['none', 'open', 'issued', 'refused', 'withdrawn']).toContain(state.status);
        }),
      );
    });

    it('folds every event type of the vocabulary', () => {
      const correctedFlow = history(FIXTURE_A, [
        ...pmpcFlow,
        cmd('CorrectAction', { correctedEventId: 'h-2', reason: 'r', corrected: { data: { journalNumber: 'J-2' } } }, actors.clerk, '2019-03-15T09:00:00+06:00'),
        cmd('ErasePersonalData', { personId: 'person-child', reason: 'r' }, actors.admin, '2019-03-16T09:00:00+06:00'),
      ]);
      const rehabilitation = given(FIXTURE_A, [...rehabStart, session('2019-03-11T10:00:00+06:00')]);
      const receipt = given(FIXTURE_B, [
        submission({ serviceCode: 'home-education', now: '2021-02-02T09:00:00+06:00' }),
        cmd('AcceptDocuments', { journalNumber: 'H-1' }, actors.clerk, '2021-02-02T09:05:00+06:00'),
        cmd('IssueReceipt', {}, actors.clerk, '2021-02-02T09:06:00+06:00'),
        cmd('WithdrawApplication', {}, actors.clerk, '2021-02-02T09:07:00+06:00'),
      ]);
      const portalCase = given(FIXTURE_B, [
        portal.submit,
        portal.accept,
        portal.notify,
        portal.sendToHead,
        cmd('SetClassAndLanguage', { grade: 3, language: 'kk' }, actors.head, '2021-02-02T11:00:00+06:00'),
      ]);
      const refused = given(FIXTURE_A, [submission(), cmd('RefuseApplication', { grounds: ['incomplete-documents'], motivation: 'm' }, actors.clerk, '2019-03-04T09:05:00+06:00')]);
      const stories = [correctedFlow, rehabilitation, receipt, portalCase, refused, [...givenPmpc(1), ...deadline(givenPmpc(1))]];
      const seen = new Set(stories.flat().map((e) => e.type));
      expect([...seen].sort()).toEqual([...CASE_EVENT_TYPES].sort());
      for (const story of stories) expect(stateOf(story).status).not.toBe('none');
    });

    it('is deterministic: replaying the same events gives the same state', () => {
      const events = given(FIXTURE_A, pmpcFlow);
      expect(stateOf(events)).toEqual(stateOf(events));
    });
  });

  describe('decide', () => {
    it('is pure: the same inputs give the same events and the state is not mutated', () => {
      const events = givenPmpc(1);
      const state = stateOf(events);
      const snapshot = JSON.stringify(state);
      const context = (): CaseDecideContext => contextFor(FIXTURE_A, 'p');
      expect(decideCase(pmpc.accept, state, context())).toEqual(decideCase(pmpc.accept, state, context()));
      expect(JSON.stringify(state)).toBe(snapshot);
    });

    it('records one action per procedural event decided, and a second application event changes nothing', () => {
      const events = given(FIXTURE_A, pmpcFlow);
      const state = existing(stateOf(events));
      expect(state.actions).toHaveLength(pmpcFlow.length);
      expect(evolveCase(state, events[0])).toBe(state);
    });
  });
});

function deadline(events: CaseEvent[]): CaseEvent[] {
  const state = stateOf(events);
  return decideCase(
    cmd('RecordDeadlinePassed', { stepId: 'pmpc-1', dueAt: '2019-03-04T09:15:00+06:00' }, actors.system, '2019-03-04T09:20:00+06:00'),
    state,
    contextFor(FIXTURE_A, 'd'),
  );
}
