import type { RegulationVersion, ServiceCode, Channel } from '@sped/regulations';
import type { Actor } from '../shared/actor.js';
import type { CaseCommand } from '../case/case.commands.js';
import { decideCase, type CaseDecideContext } from '../case/case.decider.js';
import type { CaseEvent } from '../case/case.events.js';
import { evolveCase, initialCaseState, type CaseState } from '../case/case.state.js';
import { sequentialIds } from './decider-specification.js';

export const PROVIDER = 'provider-1';
export const OTHER_PROVIDER = 'provider-2';

export const actors = {
  clerk: { role: 'clerk', userId: 'clerk-1', providerId: PROVIDER },
  head: { role: 'head', userId: 'head-1', providerId: PROVIDER },
  executor: { role: 'executor', userId: 'executor-1', providerId: PROVIDER },
  otherClerk: { role: 'clerk', userId: 'clerk-9', providerId: OTHER_PROVIDER },
  otherHead: { role: 'head', userId: 'head-9', providerId: OTHER_PROVIDER },
  otherExecutor: { role: 'executor', userId: 'executor-9', providerId: OTHER_PROVIDER },
  director: { role: 'director', userId: 'director-1', providerId: PROVIDER },
  qualityControl: { role: 'quality-control', userId: 'qc-1', providerId: null },
  investigator: { role: 'investigator', userId: 'inv-1', providerId: null },
  admin: { role: 'admin', userId: 'admin-1', providerId: null },
  applicant: { role: 'applicant', userId: 'citizen-1', providerId: null },
  otherApplicant: { role: 'applicant', userId: 'citizen-2', providerId: null },
  system: { role: 'system', userId: 'deadline-sweeper', providerId: null },
} satisfies Record<string, Actor>;

export const APPLICANT = { personId: 'person-applicant', sealed: 'v1.sealed-applicant' };
export const CHILD = { personId: 'person-child', sealed: 'v1.sealed-child' };

type Of<T extends CaseCommand['type']> = Extract<CaseCommand, { type: T }>;

/** A command; `occurredAt` omitted = it happened when recorded. */
export function cmd<T extends CaseCommand['type']>(
  type: T,
  data: Of<T>['data'],
  actor: Actor,
  now: string,
  occurredAt?: string,
): Of<T> {
  const metadata = occurredAt === undefined ? { actor, now } : { actor, now, occurredAt };
  return { type, data, metadata } as Of<T>;
}

export function submission(
  over: {
    serviceCode?: ServiceCode;
    channel?: Channel;
    grade?: number | null;
    actor?: Actor;
    now?: string;
    occurredAt?: string;
    caseId?: string;
  } = {},
) {
  return cmd(
    'SubmitApplication',
    {
      caseId: over.caseId ?? 'case-1',
      serviceCode: over.serviceCode ?? 'pmpc-examination',
      providerId: PROVIDER,
      channel: over.channel ?? 'office',
      applicant: APPLICANT,
      child: CHILD,
      documents: [{ kind: 'application' }, { kind: 'birth-certificate' }],
      grade: over.grade ?? null,
    },
    over.actor ?? actors.clerk,
    over.now ?? '2019-03-04T09:00:00+06:00',
    over.occurredAt,
  );
}

export function contextFor(regulation: RegulationVersion, prefix = 'e'): CaseDecideContext {
  return { regulation, clockSkewMs: 60_000, newId: sequentialIds(prefix) };
}

/** Runs commands through decide + evolve: the events a sequence of valid commands records. */
export function history(regulation: RegulationVersion, commands: CaseCommand[], prefix = 'h'): CaseEvent[] {
  const context = contextFor(regulation, prefix);
  let state: CaseState = initialCaseState;
  const events: CaseEvent[] = [];
  for (const command of commands) {
    for (const event of decideCase(command, state, context)) {
      events.push(event);
      state = evolveCase(state, event);
    }
  }
  return events;
}

export function stateOf(events: CaseEvent[]): CaseState {
  return events.reduce(evolveCase, initialCaseState);
}

/** The PMPC procedure of FIXTURE_A (and of the real Source A data) on 4 March 2019, step by step. */
export const pmpc = {
  submit: submission(),
  accept: cmd('AcceptDocuments', { journalNumber: 'J-17' }, actors.clerk, '2019-03-04T09:05:00+06:00'),
  sendToHead: cmd('SendToHead', {}, actors.clerk, '2019-03-04T09:10:00+06:00'),
  initialExamination: cmd('HoldInitialExamination', {}, actors.head, '2019-03-04T09:40:00+06:00'),
  appoint: cmd('AppointExecutor', { executorId: 'executor-1' }, actors.head, '2019-03-04T10:00:00+06:00'),
  examination: cmd('HoldExamination', {}, actors.executor, '2019-03-12T10:00:00+06:00'),
  drawUp: cmd('DrawUpResult', { documentNumber: 'C-5' }, actors.executor, '2019-03-13T11:00:00+06:00'),
  sign: cmd('SignResult', {}, actors.head, '2019-03-13T14:00:00+06:00'),
  sendToExecutor: cmd('SendResultToExecutor', {}, actors.head, '2019-03-13T14:30:00+06:00'),
  issue: cmd('IssueResult', {}, actors.clerk, '2019-03-14T09:00:00+06:00'),
};
export const pmpcFlow: CaseCommand[] = Object.values(pmpc);
/** The first n commands of the PMPC procedure. */
export const pmpcUntil = (n: number): CaseCommand[] => pmpcFlow.slice(0, n);
