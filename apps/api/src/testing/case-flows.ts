import { makeIin } from '@sped/domain';
import type { TestServer } from './test-server.js';

export const child = (serial = 1, birthDate = '2014-05-17') => ({ iin: makeIin(birthDate, 'female', serial), fullName: `Айгерім Тестова ${serial}`, birthDate, medicalNotes: 'ДЦП, передвигается на коляске' });
export const applicant = (serial = 1) => ({ iin: makeIin('1988-02-11', 'female', serial), fullName: `Гүлнар Тестова ${serial}`, relation: 'mother' as const, phone: '+7 701 000 00 00' });

export interface Step {
  role: 'clerk' | 'head' | 'executor';
  body: Record<string, unknown>;
}

/** Local Almaty wall-clock time for a date, as an instant (UTC+6 before 1 March 2024). */
export const almaty = (date: string, time: string) => `${date}T${time}:00+06:00`;

/** The whole office path of each service under resolution No. 604 (2019) and the later home-education rules. */
export function officeFlow(service: string, date: string): Step[] {
  const t = (time: string) => almaty(date, time);
  switch (service) {
    case 'pmpc-examination':
      return [
        { role: 'clerk', body: { type: 'AcceptDocuments', journalNumber: 'PMPC-1', occurredAt: t('09:05') } },
        { role: 'clerk', body: { type: 'SendToHead', occurredAt: t('09:12') } },
        { role: 'head', body: { type: 'HoldInitialExamination', occurredAt: t('09:40') } },
        { role: 'head', body: { type: 'AppointExecutor', executorId: 'executor-1', occurredAt: t('10:05') } },
        { role: 'executor', body: { type: 'HoldExamination', occurredAt: t('15:00') } },
        { role: 'executor', body: { type: 'DrawUpResult', documentNumber: 'Q-1', occurredAt: t('16:00') } },
        { role: 'head', body: { type: 'SignResult', occurredAt: t('16:30') } },
        { role: 'head', body: { type: 'SendResultToExecutor', occurredAt: t('16:40') } },
        { role: 'executor', body: { type: 'IssueResult', occurredAt: t('16:50') } },
      ];
    case 'home-education-b':
      return [
        { role: 'clerk', body: { type: 'AcceptDocuments', journalNumber: 'H-1', occurredAt: t('09:05') } },
        { role: 'clerk', body: { type: 'IssueReceipt', occurredAt: t('09:06') } },
        { role: 'clerk', body: { type: 'SendToHead', occurredAt: t('09:10') } },
        { role: 'head', body: { type: 'SetClassAndLanguage', grade: 4, language: 'kk', occurredAt: t('11:00') } },
        { role: 'executor', body: { type: 'DrawUpResult', documentNumber: 'order-8', occurredAt: t('15:00') } },
        { role: 'head', body: { type: 'SignResult', occurredAt: t('16:00') } },
        { role: 'executor', body: { type: 'IssueResult', occurredAt: t('17:00') } },
      ];
    default:
      throw new Error(`no flow for ${service}`);
  }
}

export async function tokens(t: TestServer, providerId: string) {
  return {
    clerk: await t.token('clerk', providerId),
    head: await t.token('head', providerId),
    executor: await t.token('executor', providerId, 'executor-1'),
    director: await t.token('director', providerId),
    qualityControl: await t.token('quality-control'),
    investigator: await t.token('investigator'),
    admin: await t.token('admin'),
  };
}
