import { describe, expect, it } from '@jest/globals';
import { dueAt, regulationById, regulationFor, type RegulationVersion, type ServiceCode } from '@sped/regulations';
import { almatyDate } from '../shared/time.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { actors, cmd, contextFor, submission } from '../testing/case.fixtures.js';
import type { CaseCommand, SubmitApplication } from './case.commands.js';
import { caseDecider, decideCase } from './case.decider.js';
import type { CaseEvent } from './case.events.js';
import { evolveCase, initialCaseState, type CaseState, type ExistingCase } from './case.state.js';
import { caseStage, caseSteps } from './case.views.js';

/**
 * Whole cases against the real regulation data, the way the command handler runs them: the regulation in
 * force on the application's Almaty local date for the submission, the case's own version afterwards.
 */

function versionById(id: string): RegulationVersion {
  const version = regulationById(id);
  if (!version) throw new Error(`no regulation version ${id}`);
  return version;
}

function regulationOf(command: SubmitApplication) {
  const date = almatyDate(Date.parse(command.metadata.occurredAt ?? command.metadata.now));
  return regulationFor(command.data.serviceCode, date).regulation;
}

function run(commands: CaseCommand[]): { events: CaseEvent[]; state: ExistingCase } {
  const [first] = commands;
  if (first?.type !== 'SubmitApplication') throw new Error('a case starts with its application');
  const regulation = regulationOf(first);
  const context = contextFor(regulation, 'r');
  let state: CaseState = initialCaseState;
  const events: CaseEvent[] = [];
  for (const command of commands) {
    const regulationInUse = state.status === 'none' ? regulation : versionById(state.regulationId);
    for (const e of decideCase(command, state, { ...context, regulation: regulationInUse })) {
      events.push(e);
      state = evolveCase(state, e);
    }
  }
  if (state.status === 'none') throw new Error('no case');
  return { events, state };
}

function stepTrail(events: CaseEvent[]): Array<[string, string | null]> {
  return events.map((e) => [e.type, 'stepId' in e.data ? e.data.stepId : null]);
}

const at = (local: string) => `${local}+06:00`;
const submit = (serviceCode: ServiceCode, day: string, over: Partial<Parameters<typeof submission>[0]> = {}) =>
  submission({ serviceCode, now: at(`${day}T09:00:00`), ...over });

describe('Cases under the real regulations', () => {
  describe('Almaty region resolution No. 604 of 2018 (Source A)', () => {
    it('takes a PMPC examination from application to the issued conclusion', () => {
      const { events, state } = run([
        submit('pmpc-examination', '2019-06-03'),
        cmd('AcceptDocuments', { journalNumber: 'PMPC-041' }, actors.clerk, at('2019-06-03T09:05:00')),
        cmd('SendToHead', {}, actors.clerk, at('2019-06-03T09:12:00')),
        cmd('HoldInitialExamination', {}, actors.head, at('2019-06-03T09:40:00')),
        cmd('AppointExecutor', { executorId: 'executor-1' }, actors.head, at('2019-06-03T10:05:00')),
        cmd('HoldExamination', {}, actors.executor, at('2019-06-20T10:00:00')),
        cmd('DrawUpResult', { documentNumber: 'Q-77' }, actors.executor, at('2019-06-28T16:00:00')),
        cmd('SignResult', {}, actors.head, at('2019-07-01T10:00:00')),
        cmd('SendResultToExecutor', {}, actors.head, at('2019-07-01T10:30:00')),
        cmd('IssueResult', {}, actors.executor, at('2019-07-01T11:00:00')),
      ]);
      expect(state.regulationId).toBe('almaty-region-604-2018');
      expect(stepTrail(events)).toEqual([
        ['ApplicationSubmitted', null],
        ['DocumentsAccepted', 'pmpc-1'],
        ['SentToHead', 'pmpc-1'],
        ['InitialExaminationHeld', 'pmpc-2'],
        ['ExecutorAppointed', 'pmpc-2'],
        ['ExaminationHeld', 'pmpc-3'],
        ['ResultDrawnUp', 'pmpc-3'],
        ['ResultSigned', 'pmpc-4'],
        ['ResultSentToExecutor', 'pmpc-4'],
        ['ResultIssued', 'pmpc-5'],
      ]);
      expect(caseStage(state)).toBe('issued');
      expect(caseSteps(state, versionById(state.regulationId)).every((s) => s.status === 'completed')).toBe(true);
    });

    it('takes a rehabilitation course with its contract and sessions to the certificate', () => {
      const { events, state } = run([
        submit('rehabilitation', '2019-09-02'),
        cmd('AcceptDocuments', { journalNumber: 'R-12' }, actors.clerk, at('2019-09-02T09:10:00')),
        cmd('SendToHead', {}, actors.clerk, at('2019-09-02T09:14:00')),
        cmd('ConcludeContract', { contractNumber: 'K-2019-12' }, actors.head, at('2019-09-02T09:50:00')),
        cmd('AppointExecutor', { executorId: 'executor-1' }, actors.head, at('2019-09-02T10:00:00')),
        cmd('HoldSession', { format: 'individual', activity: 'lesson' }, actors.executor, at('2019-09-05T10:00:00')),
        cmd('HoldSession', { format: 'group', activity: 'lesson' }, actors.executor, at('2019-10-10T10:00:00')),
        cmd('HoldSession', { format: 'subgroup', activity: 'consultation' }, actors.executor, at('2019-11-14T10:00:00')),
        cmd('DrawUpResult', {}, actors.executor, at('2019-12-16T10:00:00')),
        cmd('SignResult', {}, actors.head, at('2019-12-16T14:00:00')),
        cmd('SendResultToExecutor', {}, actors.head, at('2019-12-16T15:00:00')),
        cmd('IssueResult', {}, actors.clerk, at('2019-12-17T09:00:00')),
      ]);
      expect(events.filter((e) => e.type === 'SessionHeld').map((e) => e.data.stepId)).toEqual(['rehab-3', 'rehab-3', 'rehab-3']);
      expect(caseSteps(state, versionById(state.regulationId)).map((s) => [s.stepId, s.status])).toEqual([
        ['rehab-1', 'completed'],
        ['rehab-2', 'completed'],
        ['rehab-3', 'completed'],
        ['rehab-4', 'completed'],
        ['rehab-5', 'completed'],
      ]);
      expect(state.status).toBe('issued');
    });

    it('admits a first-grader in July and hands over the order', () => {
      const { events, state } = run([
        submit('special-school-admission', '2019-07-08', { grade: 1, actor: actors.executor }),
        cmd('AcceptDocuments', { journalNumber: 'A-3' }, actors.executor, at('2019-07-08T09:10:00')),
        cmd('DrawUpResult', { documentNumber: 'order-31' }, actors.executor, at('2019-07-08T09:20:00')),
        cmd('SignResult', {}, actors.head, at('2019-07-08T09:30:00')),
        cmd('SendResultToExecutor', {}, actors.head, at('2019-07-08T09:35:00')),
        cmd('IssueResult', {}, actors.executor, at('2019-07-08T10:00:00')),
      ]);
      expect(stepTrail(events)).toEqual([
        ['ApplicationSubmitted', null],
        ['DocumentsAccepted', 'admission-1'],
        ['ResultDrawnUp', 'admission-2'],
        ['ResultSigned', 'admission-3'],
        ['ResultSentToExecutor', 'admission-3'],
        ['ResultIssued', null],
      ]);
      expect(state.status).toBe('issued');
    });

    it('refuses a first-grade admission application in June and any admission after 30 August', () => {
      const june = submit('special-school-admission', '2019-06-28', { grade: 1, actor: actors.executor });
      const september = submit('special-school-admission', '2019-08-31', { grade: 4, actor: actors.executor });
      const spec = DeciderSpecification(caseDecider, () => contextFor(regulationOf(june), 'n'));
      spec.given([]).when(june).thenThrows('OUTSIDE_ADMISSION_WINDOW');
      spec.given([]).when(september).thenThrows('OUTSIDE_ADMISSION_WINDOW');
    });

    it('takes home education with the receipt of acceptance to the issued order', () => {
      const { state } = run([
        submit('home-education', '2019-10-07'),
        cmd('AcceptDocuments', { journalNumber: 'H-5' }, actors.clerk, at('2019-10-07T09:05:00')),
        cmd('IssueReceipt', { receiptNumber: 'Q-5' }, actors.clerk, at('2019-10-07T09:06:00')),
        cmd('SendToHead', {}, actors.clerk, at('2019-10-07T09:10:00')),
        cmd('AppointExecutor', { executorId: 'executor-1' }, actors.head, at('2019-10-07T11:00:00')),
        cmd('DrawUpResult', {}, actors.executor, at('2019-10-08T16:00:00')),
        cmd('SignResult', {}, actors.head, at('2019-10-09T09:30:00')),
        cmd('SendResultToExecutor', {}, actors.head, at('2019-10-09T10:00:00')),
        cmd('IssueResult', {}, actors.clerk, at('2019-10-09T10:10:00')),
      ]);
      expect(state.status).toBe('issued');
      expect(caseSteps(state, versionById(state.regulationId)).map((s) => s.stepId)).toEqual(['home-1', 'home-2', 'home-3', 'home-4', 'home-5']);
    });

    it('refuses sending home-education documents to the head before the receipt of acceptance is issued', () => {
      const events = run([submit('home-education', '2019-10-07'), cmd('AcceptDocuments', { journalNumber: 'H-5' }, actors.clerk, at('2019-10-07T09:05:00'))]).events;
      const spec = DeciderSpecification(caseDecider, () => contextFor(versionById('almaty-region-604-2018'), 'n'));
      spec.given(events).when(cmd('SendToHead', {}, actors.clerk, at('2019-10-07T09:10:00'))).thenThrows('STEP_OUT_OF_ORDER', 'ReceiptIssued');
    });

    it('keeps a case under the version in force at its application after that version is repealed', () => {
      const commands = [
        submit('rehabilitation', '2020-01-20'),
        cmd('AcceptDocuments', { journalNumber: 'R-1' }, actors.clerk, at('2020-01-20T09:05:00')),
        cmd('SendToHead', {}, actors.clerk, at('2020-01-20T09:10:00')),
        cmd('ConcludeContract', { contractNumber: 'K-1' }, actors.head, at('2020-01-20T09:30:00')),
        cmd('AppointExecutor', { executorId: 'executor-1' }, actors.head, at('2020-01-20T09:40:00')),
      ];
      const { events } = run(commands);
      const later = cmd('HoldSession', { format: 'individual', activity: 'lesson' }, actors.executor, '2020-05-04T10:00:00+06:00');
      const own = DeciderSpecification(caseDecider, () => contextFor(versionById('almaty-region-604-2018'), 'n'));
      own.given(events).when(later).thenMatches([{ type: 'SessionHeld', metadata: { regulationId: 'almaty-region-604-2018' } }]);
      own.given(events).when(later, { regulation: versionById('home-education-rules-2020') }).thenThrows('REGULATION_MISMATCH');
    });

    it('records a PMPC acceptance step that overran its 15 minutes of working time', () => {
      const { events, state } = run([submit('pmpc-examination', '2019-06-03', { now: at('2019-06-03T12:55:00') })]);
      const step = versionById(state.regulationId).services.filter((s) => s.code === 'pmpc-examination')[0].steps[0];
      if (step.norm.kind !== 'limit') throw new Error('pmpc-1 has a limit');
      // 12:55 + 15 working minutes, with the 13:00-14:00 break: due at 14:10.
      const due = dueAt(state.actions[0].occurredAt, step.norm.amount, step.norm.unit).dueAt.toISOString();
      expect(due).toBe('2019-06-03T08:10:00.000Z');
      const spec = DeciderSpecification(caseDecider, () => contextFor(versionById(state.regulationId), 'n'));
      spec
        .given(events)
        .when(cmd('RecordDeadlinePassed', { stepId: step.id, dueAt: due }, actors.system, at('2019-06-03T14:11:00')))
        .thenMatches([{ type: 'DeadlinePassed', data: { stepId: 'pmpc-1', dueAt: due } }]);
    });
  });

  describe('the home-education rules (Source B)', () => {
    const rules = () => versionById('home-education-rules-2020');
    const spec = DeciderSpecification(caseDecider, () => contextFor(rules(), 'n'));

    it('takes an office application to the issued order', () => {
      const { events, state } = run([
        submit('home-education', '2021-09-06'),
        cmd('AcceptDocuments', { journalNumber: 'H-1' }, actors.clerk, at('2021-09-06T09:05:00')),
        cmd('IssueReceipt', {}, actors.clerk, at('2021-09-06T09:06:00')),
        cmd('SendToHead', {}, actors.clerk, at('2021-09-06T09:10:00')),
        cmd('SetClassAndLanguage', { grade: 4, language: 'kk' }, actors.head, at('2021-09-06T15:00:00')),
        cmd('DrawUpResult', { documentNumber: 'order-8' }, actors.executor, at('2021-09-07T10:00:00')),
        cmd('SignResult', {}, actors.head, at('2021-09-07T11:00:00')),
        cmd('IssueResult', {}, actors.executor, at('2021-09-07T12:00:00')),
      ]);
      expect(state.regulationId).toBe('home-education-rules-2020');
      expect(stepTrail(events)).toEqual([
        ['ApplicationSubmitted', null],
        ['DocumentsAccepted', 'home-b-office-1'],
        ['ReceiptIssued', 'home-b-office-1'],
        ['SentToHead', 'home-b-office-1'],
        ['ClassAndLanguageSet', 'home-b-office-2'],
        ['ResultDrawnUp', 'home-b-3'],
        ['ResultSigned', 'home-b-3'],
        ['ResultIssued', 'home-b-3'],
      ]);
      expect(caseStage(state)).toBe('issued');
    });

    it('takes a portal application, accepted by notification, to the issued order', () => {
      const { events, state } = run([
        submit('home-education', '2021-09-04', { channel: 'portal', actor: actors.applicant, now: at('2021-09-04T22:30:00') }),
        cmd('SendAcceptanceNotification', {}, actors.clerk, at('2021-09-06T10:00:00')),
        cmd('SetClassAndLanguage', { grade: 2, language: 'ru' }, actors.head, at('2021-09-06T15:00:00')),
        cmd('DrawUpResult', {}, actors.executor, at('2021-09-07T10:00:00')),
        cmd('SignResult', {}, actors.head, at('2021-09-07T11:00:00')),
        cmd('IssueResult', {}, actors.executor, at('2021-09-07T12:00:00')),
      ]);
      expect(stepTrail(events).slice(1, 3)).toEqual([
        ['AcceptanceNotificationSent', 'home-b-portal-1'],
        ['ClassAndLanguageSet', 'home-b-portal-2'],
      ]);
      expect(state.status).toBe('issued');
      expect(caseSteps(state, rules()).map((s) => s.stepId)).toEqual(['home-b-portal-1', 'home-b-portal-2', 'home-b-3']);
      const stages = events.map((_, i) => caseStage(events.slice(0, i + 1).reduce(evolveCase, initialCaseState)));
      expect(stages).toEqual(['submitted', 'accepted', 'with-executor', 'result-drawn-up', 'signed', 'issued']);
    });

    it('sends a motivated electronic refusal to a portal application', () => {
      const { events } = run([submit('home-education', '2021-09-04', { channel: 'portal', actor: actors.applicant })]);
      spec
        .given(events)
        .when(cmd('RefuseApplication', { grounds: ['expired-documents'], motivation: 'the medical report expired' }, actors.clerk, at('2021-09-06T10:00:00')))
        .thenMatches([{ type: 'ApplicationRefused', data: { form: 'electronic', stepId: 'home-b-portal-1', completesStep: true } }]);
    });

    it('does not record a separate document acceptance on the portal path, where the notification is the acceptance', () => {
      const { events } = run([submit('home-education', '2021-09-04', { channel: 'portal', actor: actors.applicant })]);
      spec.given(events).when(cmd('AcceptDocuments', { journalNumber: 'P-1' }, actors.clerk, at('2021-09-06T10:00:00'))).thenThrows('CHANNEL_NOT_ALLOWED');
    });

    it('refuses an executor signing the order, which the head signs', () => {
      const { events } = run([
        submit('home-education', '2021-09-04', { channel: 'portal', actor: actors.applicant }),
        cmd('SendAcceptanceNotification', {}, actors.clerk, at('2021-09-06T10:00:00')),
        cmd('SetClassAndLanguage', { grade: 2, language: 'ru' }, actors.head, at('2021-09-06T15:00:00')),
        cmd('DrawUpResult', {}, actors.executor, at('2021-09-07T10:00:00')),
      ]);
      spec.given(events).when(cmd('SignResult', {}, actors.executor, at('2021-09-07T11:00:00'))).thenThrows('ROLE_NOT_ALLOWED');
    });
  });
});
