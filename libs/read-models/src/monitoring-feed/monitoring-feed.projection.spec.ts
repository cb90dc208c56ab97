import type { RecordedEvent } from '@sped/event-store';
import type { MonitoringCaseMemory, MonitoringStageRecord } from './monitoring-feed.entity.js';
import { evolveMonitoringFeed, stageRecordId } from './monitoring-feed.projection.js';
import { CaseHistory } from './testing/case-history.js';

const at = (date: string, time: string) => `${date}T${time}:00+06:00`;

function fold(events: RecordedEvent[], memory: MonitoringCaseMemory | null = null) {
  const records: MonitoringStageRecord[] = [];
  for (const event of events) {
    const step = evolveMonitoringFeed(memory, event);
    memory = step.memory;
    if (step.record) records.push(step.record);
  }
  return { memory, records };
}

/** Home education under the 2020 rules, every step (source B: no "send the result to the executor" step). */
const completeCase = () =>
  new CaseHistory()
    .submit(at('2021-09-06', '09:00'))
    .do('AcceptDocuments', { journalNumber: 'H-1' }, 'clerk', at('2021-09-06', '09:05'))
    .do('IssueReceipt', {}, 'clerk', at('2021-09-06', '09:06'))
    .do('SendToHead', {}, 'clerk', at('2021-09-06', '09:10'))
    .do('SetClassAndLanguage', { grade: 4, language: 'kk' }, 'head', at('2021-09-06', '15:00'))
    .do('DrawUpResult', { documentNumber: 'order-8' }, 'executor', at('2021-09-07', '10:00'))
    .do('SignResult', {}, 'head', at('2021-09-07', '11:00'))
    .do('IssueResult', {}, 'executor', at('2021-09-07', '12:00'));

describe('Monitoring feed projection (evolve)', () => {
  describe('when a case goes from the application to the result', () => {
    it('emits one record per stage change and none for actions that leave the stage as it is', () => {
      const history = completeCase();
      const { records } = fold(history.recorded(100));
      expect(records.map((r) => [r.previousStage, r.stage, r.action])).toEqual([
        [null, 'submitted', 'ApplicationSubmitted'],
        ['submitted', 'accepted', 'DocumentsAccepted'],
        ['accepted', 'with-head', 'SentToHead'],
        ['with-head', 'with-executor', 'ClassAndLanguageSet'],
        ['with-executor', 'result-drawn-up', 'ResultDrawnUp'],
        ['result-drawn-up', 'signed', 'ResultSigned'],
        ['signed', 'issued', 'ResultIssued'],
      ]);
      expect(records.some((r) => r.action === 'ReceiptIssued')).toBe(false);
    });

    it('says who provides which service under which regulation, when it happened and when it was recorded', () => {
      const history = completeCase();
      const events = history.recorded(100);
      const { records } = fold(events);
      const accepted = records.find((r) => r.stage === 'accepted')!;
      const event = events.find((e) => e.type === 'DocumentsAccepted')!;
      expect(accepted).toMatchObject({
        caseId: history.caseId,
        serviceCode: 'home-education',
        providerId: 'school-1',
        channel: 'office',
        regulationId: 'home-education-rules-2020',
        eventId: event.id,
        cursor: event.position,
        result: null,
        refusal: null,
      });
      expect(accepted.occurredAt.toISOString()).toBe('2021-09-06T03:05:00.000Z');
      expect(accepted.recordedAt.toISOString()).toBe(new Date(event.recordedAt).toISOString());
    });

    it('gives the issued record the result document the regulation names and its number', () => {
      const { records } = fold(completeCase().recorded(1));
      const issued = records.at(-1)!;
      expect(issued.result?.documentNumber).toBe('order-8');
      expect(issued.result?.documentKinds.map((k) => k.en)).toEqual(['an order on admission to free individual home education']);
    });

    it('takes the record id from the causing event, so the same event always gives the same record', () => {
      const history = completeCase();
      const first = fold(history.recorded(1)).records;
      const again = fold(history.recorded(1)).records;
      expect(again.map((r) => r.recordId)).toEqual(first.map((r) => r.recordId));
      expect(first[0].recordId).toBe(stageRecordId(history.events[0].id));
      expect(new Set(first.map((r) => r.recordId)).size).toBe(first.length);
    });
  });

  describe('when the application is refused', () => {
    it('emits a refused record with the grounds from the regulation and without the free-text motivation', () => {
      const motivation = 'Мать ребёнка, Гүлнар Тестова, не приложила заключение ПМПК';
      const history = new CaseHistory()
        .submit(at('2021-09-06', '09:00'))
        .do('RefuseApplication', { grounds: ['incomplete-documents'], motivation }, 'clerk', at('2021-09-06', '09:10'));
      const { records, memory } = fold(history.recorded(1));
      expect(records.map((r) => r.stage)).toEqual(['submitted', 'refused']);
      expect(records[1].refusal).toEqual({ grounds: [{ code: 'incomplete-documents', text: expect.objectContaining({ en: 'an incomplete set of documents' }) }], form: 'paper' });
      expect(JSON.stringify(records)).not.toContain('Гүлнар');
      expect(JSON.stringify(memory)).not.toContain('Гүлнар');
    });
  });

  describe('when the application is withdrawn', () => {
    it('emits a withdrawn record', () => {
      const history = new CaseHistory()
        .submit(at('2021-09-06', '09:00'))
        .do('AcceptDocuments', { journalNumber: 'H-2' }, 'clerk', at('2021-09-06', '09:05'))
        .do('WithdrawApplication', { reason: 'Семья переехала' }, 'clerk', at('2021-09-06', '11:00'));
      const { records } = fold(history.recorded(1));
      expect(records.map((r) => r.stage)).toEqual(['submitted', 'accepted', 'withdrawn']);
      expect(JSON.stringify(records)).not.toContain('переехала');
    });
  });

  describe('when an action is corrected', () => {
    it('emits nothing for a correction that leaves the stage as it is', () => {
      const history = new CaseHistory()
        .submit(at('2021-09-06', '09:00'))
        .do('AcceptDocuments', { journalNumber: 'H-3' }, 'clerk', at('2021-09-06', '09:50'));
      history.do('CorrectAction', { correctedEventId: history.eventId('DocumentsAccepted'), reason: 'Typed 09:50 instead of 09:05', corrected: { occurredAt: at('2021-09-06', '09:05') } }, 'clerk', at('2021-09-06', '10:00'));
      const events = history.recorded(1);
      const before = fold(events.slice(0, 2));
      const step = evolveMonitoringFeed(before.memory, events[2]);
      expect(events[2].type).toBe('ActionCorrected');
      expect(step.record).toBeNull();
      expect(step.memory?.lastPosition).toBe(events[2].position);
      expect(step.memory?.stage).toBe('accepted');
    });

    it('reports the corrected result number when the result is issued later', () => {
      const history = new CaseHistory()
        .submit(at('2021-09-06', '09:00'))
        .do('AcceptDocuments', { journalNumber: 'H-4' }, 'clerk', at('2021-09-06', '09:05'))
        .do('IssueReceipt', {}, 'clerk', at('2021-09-06', '09:06'))
        .do('SendToHead', {}, 'clerk', at('2021-09-06', '09:10'))
        .do('SetClassAndLanguage', { grade: 4, language: 'kk' }, 'head', at('2021-09-06', '15:00'))
        .do('DrawUpResult', { documentNumber: 'order-80' }, 'executor', at('2021-09-07', '10:00'));
      history
        .do('CorrectAction', { correctedEventId: history.eventId('ResultDrawnUp'), reason: 'Wrong order number typed', corrected: { data: { documentNumber: 'order-81' } } }, 'executor', at('2021-09-07', '10:30'))
        .do('SignResult', {}, 'head', at('2021-09-07', '11:00'))
        .do('IssueResult', {}, 'executor', at('2021-09-07', '12:00'));
      const { records } = fold(history.recorded(1));
      expect(records.filter((r) => r.action === 'ActionCorrected')).toEqual([]);
      expect(records.at(-1)).toMatchObject({ stage: 'issued', result: { documentNumber: 'order-81' } });
    });
  });

  describe('when an event is delivered again', () => {
    it('emits nothing and leaves the memory as it was', () => {
      const events = completeCase().recorded(1);
      const { memory } = fold(events.slice(0, 4));
      for (const old of events.slice(0, 4)) {
        const step = evolveMonitoringFeed(memory, old);
        expect(step.record).toBeNull();
        expect(step.memory).toBe(memory);
      }
    });
  });

  describe('events that are not stage changes of a case', () => {
    it('ignores a passed deadline, which leaves the stage as it is', () => {
      // Resolution No. 604: 15 minutes to accept, register and send the documents to the head.
      const history = new CaseHistory('pmpc-examination').submit(at('2019-06-03', '09:00')).do('AcceptDocuments', { journalNumber: 'P-5' }, 'clerk', at('2019-06-03', '09:05'));
      history.do('RecordDeadlinePassed', { stepId: 'pmpc-1', dueAt: at('2019-06-03', '09:15') }, 'system', at('2019-06-03', '09:20'));
      const events = history.recorded(1);
      expect(events.at(-1)!.type).toBe('DeadlinePassed');
      expect(fold(events).records.map((r) => r.stage)).toEqual(['submitted', 'accepted']);
    });

    it('ignores events of other streams', () => {
      const complaint: RecordedEvent = { id: '00000000-0000-4000-8000-000000000001', type: 'ComplaintFiled', data: {}, metadata: { actor: { role: 'applicant', userId: 'c' }, occurredAt: at('2021-09-06', '09:00') }, streamId: 'complaint-x', streamVersion: 1, position: '5', recordedAt: '2021-09-06T03:00:00.000Z' };
      expect(evolveMonitoringFeed(null, complaint)).toEqual({ memory: null, record: null });
    });
  });

  describe('personal data', () => {
    it('keeps no sealed personal data in the memory it stores per case', () => {
      const history = completeCase();
      const { memory } = fold(history.recorded(1));
      expect(JSON.stringify(memory)).not.toContain('v1.test.');
      expect(memory?.state.applicant.sealed).toBeNull();
      expect(memory?.state.child.sealed).toBeNull();
    });
  });
});
