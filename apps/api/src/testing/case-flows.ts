import { makeIin } from '@sped/domain';
import type { TestServer } from './test-server.js';

export const child = (serial = 1, birthDate = '2014-05-17') => ({ iin: makeIin(birthDate, 'female', serial), fullName: `Айгерім Тестова ${serial}`, birthDate, medicalNotes: 'ДЦП, передвигается на коляске' });
export const applicant = (serial = 1) => ({ iin: makeIin('1988-02-11', 'female', serial), fullName: `Гүлнар Тестова ${serial}`, relation: 'mother' as const, phone: '+7 701 000 00 00' });

export type FlowRole = 'clerk' | 'head' | 'executor' | 'applicant';

export interface Flow {
  name: string;
  service: string;
  channel: 'office' | 'portal';
  submittedBy: FlowRole;
  submittedAt: string;
  grade?: number;
  regulationId: string;
  steps: Array<[FlowRole, Record<string, unknown>]>;
}

/** Local Almaty wall-clock time as an instant (UTC+6 before 1 March 2024, UTC+5 after). */
export const almaty = (date: string, time: string) => `${date}T${time}:00${date < '2024-03-01' ? '+06:00' : '+05:00'}`;
const a = almaty;

/** A complete case of each service under resolution No. 604 (2019) and of home education under the later rules. */
export const FLOWS: Flow[] = [
  {
    name: 'PMPC examination (resolution No. 604)',
    service: 'pmpc-examination',
    channel: 'office',
    submittedBy: 'clerk',
    submittedAt: a('2019-06-03', '09:00'),
    regulationId: 'almaty-region-604-2018',
    steps: [
      ['clerk', { type: 'AcceptDocuments', journalNumber: 'PMPC-041', occurredAt: a('2019-06-03', '09:05') }],
      ['clerk', { type: 'SendToHead', occurredAt: a('2019-06-03', '09:12') }],
      ['head', { type: 'HoldInitialExamination', occurredAt: a('2019-06-03', '09:40') }],
      ['head', { type: 'AppointExecutor', executorId: 'executor-1', occurredAt: a('2019-06-03', '10:05') }],
      ['executor', { type: 'HoldExamination', occurredAt: a('2019-06-20', '10:00') }],
      ['executor', { type: 'DrawUpResult', documentNumber: 'Q-77', occurredAt: a('2019-06-28', '16:00') }],
      ['head', { type: 'SignResult', occurredAt: a('2019-07-01', '10:00') }],
      ['head', { type: 'SendResultToExecutor', occurredAt: a('2019-07-01', '10:30') }],
      ['executor', { type: 'IssueResult', occurredAt: a('2019-07-01', '11:00') }],
    ],
  },
  {
    name: 'rehabilitation (resolution No. 604)',
    service: 'rehabilitation',
    channel: 'office',
    submittedBy: 'clerk',
    submittedAt: a('2019-09-02', '09:00'),
    regulationId: 'almaty-region-604-2018',
    steps: [
      ['clerk', { type: 'AcceptDocuments', journalNumber: 'R-12', occurredAt: a('2019-09-02', '09:10') }],
      ['clerk', { type: 'SendToHead', occurredAt: a('2019-09-02', '09:14') }],
      ['head', { type: 'ConcludeContract', contractNumber: 'K-2019-12', occurredAt: a('2019-09-02', '09:50') }],
      ['head', { type: 'AppointExecutor', executorId: 'executor-1', occurredAt: a('2019-09-02', '10:00') }],
      ['executor', { type: 'HoldSession', format: 'individual', activity: 'lesson', occurredAt: a('2019-09-05', '10:00') }],
      ['executor', { type: 'HoldSession', format: 'group', activity: 'lesson', occurredAt: a('2019-10-10', '10:00') }],
      ['executor', { type: 'HoldSession', format: 'subgroup', activity: 'consultation', occurredAt: a('2019-11-14', '10:00') }],
      ['executor', { type: 'DrawUpResult', occurredAt: a('2019-12-16', '10:00') }],
      ['head', { type: 'SignResult', occurredAt: a('2019-12-16', '14:00') }],
      ['head', { type: 'SendResultToExecutor', occurredAt: a('2019-12-16', '15:00') }],
      ['clerk', { type: 'IssueResult', occurredAt: a('2019-12-17', '09:00') }],
    ],
  },
  {
    name: 'admission to a special school, first grade (resolution No. 604)',
    service: 'special-school-admission',
    channel: 'office',
    submittedBy: 'executor',
    submittedAt: a('2019-07-08', '09:00'),
    grade: 1,
    regulationId: 'almaty-region-604-2018',
    steps: [
      ['executor', { type: 'AcceptDocuments', journalNumber: 'A-3', occurredAt: a('2019-07-08', '09:10') }],
      ['executor', { type: 'DrawUpResult', documentNumber: 'order-31', occurredAt: a('2019-07-08', '09:20') }],
      ['head', { type: 'SignResult', occurredAt: a('2019-07-08', '09:30') }],
      ['head', { type: 'SendResultToExecutor', occurredAt: a('2019-07-08', '09:35') }],
      ['executor', { type: 'IssueResult', occurredAt: a('2019-07-08', '10:00') }],
    ],
  },
  {
    name: 'home education (resolution No. 604)',
    service: 'home-education',
    channel: 'office',
    submittedBy: 'clerk',
    submittedAt: a('2019-10-07', '09:00'),
    regulationId: 'almaty-region-604-2018',
    steps: [
      ['clerk', { type: 'AcceptDocuments', journalNumber: 'H-5', occurredAt: a('2019-10-07', '09:05') }],
      ['clerk', { type: 'IssueReceipt', receiptNumber: 'Q-5', occurredAt: a('2019-10-07', '09:06') }],
      ['clerk', { type: 'SendToHead', occurredAt: a('2019-10-07', '09:10') }],
      ['head', { type: 'AppointExecutor', executorId: 'executor-1', occurredAt: a('2019-10-07', '11:00') }],
      ['executor', { type: 'DrawUpResult', occurredAt: a('2019-10-08', '16:00') }],
      ['head', { type: 'SignResult', occurredAt: a('2019-10-09', '09:30') }],
      ['head', { type: 'SendResultToExecutor', occurredAt: a('2019-10-09', '10:00') }],
      ['clerk', { type: 'IssueResult', occurredAt: a('2019-10-09', '10:10') }],
    ],
  },
  {
    name: 'home education at the office (later rules)',
    service: 'home-education',
    channel: 'office',
    submittedBy: 'clerk',
    submittedAt: a('2021-09-06', '09:00'),
    regulationId: 'home-education-rules-2020',
    steps: [
      ['clerk', { type: 'AcceptDocuments', journalNumber: 'H-1', occurredAt: a('2021-09-06', '09:05') }],
      ['clerk', { type: 'IssueReceipt', occurredAt: a('2021-09-06', '09:06') }],
      ['clerk', { type: 'SendToHead', occurredAt: a('2021-09-06', '09:10') }],
      ['head', { type: 'SetClassAndLanguage', grade: 4, language: 'kk', occurredAt: a('2021-09-06', '15:00') }],
      ['executor', { type: 'DrawUpResult', documentNumber: 'order-8', occurredAt: a('2021-09-07', '10:00') }],
      ['head', { type: 'SignResult', occurredAt: a('2021-09-07', '11:00') }],
      ['executor', { type: 'IssueResult', occurredAt: a('2021-09-07', '12:00') }],
    ],
  },
  {
    name: 'home education through the portal (later rules)',
    service: 'home-education',
    channel: 'portal',
    submittedBy: 'applicant',
    submittedAt: a('2021-09-04', '22:30'),
    regulationId: 'home-education-rules-2020',
    steps: [
      ['clerk', { type: 'SendAcceptanceNotification', occurredAt: a('2021-09-06', '10:00') }],
      ['head', { type: 'SetClassAndLanguage', grade: 2, language: 'ru', occurredAt: a('2021-09-06', '15:00') }],
      ['executor', { type: 'DrawUpResult', occurredAt: a('2021-09-07', '10:00') }],
      ['head', { type: 'SignResult', occurredAt: a('2021-09-07', '11:00') }],
      ['executor', { type: 'IssueResult', occurredAt: a('2021-09-07', '12:00') }],
    ],
  },
];

export type Tokens = Record<FlowRole | 'director' | 'qualityControl' | 'investigator' | 'admin' | 'system', string>;

export async function tokens(t: TestServer, providerId: string, applicantId = 'citizen-1'): Promise<Tokens> {
  return {
    clerk: await t.token('clerk', providerId),
    head: await t.token('head', providerId),
    executor: await t.token('executor', providerId, 'executor-1'),
    applicant: await t.token('applicant', null, applicantId),
    director: await t.token('director', providerId),
    qualityControl: await t.token('quality-control'),
    investigator: await t.token('investigator'),
    admin: await t.token('admin'),
    system: await t.token('system'),
  };
}

export function applicationBody(flow: Flow, providerId: string, serial = 1) {
  return {
    service: flow.service,
    providerId,
    channel: flow.channel,
    occurredAt: flow.submittedAt,
    applicant: applicant(serial),
    child: child(serial),
    documents: [{ kind: 'application' }, { kind: 'medical-conclusion' }],
    ...(flow.grade !== undefined ? { grade: flow.grade } : {}),
  };
}

/** Runs a whole flow through HTTP; returns the case id and the last position. */
export async function runFlow(t: TestServer, tok: Tokens, flow: Flow, providerId: string, serial = 1) {
  const opened = await t.request('POST', '/v1/cases', { token: tok[flow.submittedBy], body: applicationBody(flow, providerId, serial) });
  if (opened.status !== 201) throw new Error(`${flow.name}: opening answered ${opened.status} ${opened.text}`);
  let position = opened.body.position as string;
  for (const [role, body] of flow.steps) {
    const res = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok[role], body });
    if (res.status !== 201) throw new Error(`${flow.name}: ${String(body.type)} by ${role} answered ${res.status} ${res.text}`);
    position = res.body.position;
  }
  return { id: opened.body.id as string, position };
}
