import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  caseSteps,
  decideCase,
  decideComplaint,
  evolveCase,
  evolveComplaint,
  initialCaseState,
  initialComplaintState,
  serviceIn,
  type Actor,
  type CaseCommand,
  type CaseState,
  type ComplaintCommand,
  type ComplaintState,
  type ExistingCase,
} from '@sped/domain';
import type { EventStore, NewEvent } from '@sped/event-store';
import { complaintTermsFor, judgeNorm, regulationById, regulationFor, type ServiceCode } from '@sped/regulations';

/**
 * Random but valid event histories: every event is what the real decider (`decideCase`, `decideComplaint`)
 * records for a command it accepted. A walk offers the decider every command an actor could send and keeps
 * one it accepts, so the histories cover the procedures, corrections, refusals, withdrawals, deadlines,
 * erasures and complaints the domain allows, and nothing it refuses.
 */

/** A source of choices: `pick(n)` is a whole number in [0, n). */
export type Pick = (n: number) => number;

/** Choices from a list (fast-check shrinks it towards fewer and smaller choices); 0 once it runs out. */
export function pickFrom(choices: readonly number[]): Pick {
  let i = 0;
  return (n) => (n <= 1 ? 0 : (choices[i++] ?? 0) % n);
}

/** Deterministic choices from a seed (mulberry32), for histories too long to draw choice by choice. */
export function seededPick(seed: number): Pick {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return n <= 1 ? 0 : Math.floor(r * n);
  };
}

/** One stream's history: the events of each accepted command, one append each. */
export interface StreamHistory {
  streamId: string;
  appends: NewEvent[][];
}

export interface HistoryOptions {
  cases: number;
  complaints: number;
  /** Commands tried per stream at most (a stream also ends when no command is accepted any more). */
  maxCommands: number;
  providers?: readonly string[];
}

const MINUTE = 60_000;
const STEP_GAPS_MIN = [2, 15, 45, 180, 60 * 24, 60 * 24 * 3, 60 * 24 * 12];

/** Applications the regulations accept, one per service and rule set (resolution No. 604 in 2019, the home-education rules later). */
const APPLICATIONS: ReadonlyArray<{ service: ServiceCode; channel: 'office' | 'portal'; submittedBy: 'clerk' | 'executor' | 'applicant'; at: string; grade: number | null }> = [
  { service: 'pmpc-examination', channel: 'office', submittedBy: 'clerk', at: '2019-06-03T09:00:00+06:00', grade: null },
  { service: 'rehabilitation', channel: 'office', submittedBy: 'clerk', at: '2019-09-02T09:00:00+06:00', grade: null },
  { service: 'special-school-admission', channel: 'office', submittedBy: 'executor', at: '2019-07-08T09:00:00+06:00', grade: 1 },
  { service: 'home-education', channel: 'office', submittedBy: 'clerk', at: '2019-10-07T09:00:00+06:00', grade: null },
  { service: 'home-education', channel: 'office', submittedBy: 'clerk', at: '2021-09-06T09:00:00+06:00', grade: null },
  { service: 'home-education', channel: 'portal', submittedBy: 'applicant', at: '2021-09-04T22:30:00+06:00', grade: null },
];

const staff = (role: 'clerk' | 'head' | 'executor', providerId: string, n = 1): Actor => ({ role, userId: `${role}-${n}`, providerId });
const ADMIN: Actor = { role: 'admin', userId: 'admin-1', providerId: null };
const SYSTEM: Actor = { role: 'system', userId: 'deadline-sweeper', providerId: null };
const QUALITY_CONTROL: Actor = { role: 'quality-control', userId: 'qc-1', providerId: null };
const sealed = (tag: string) => ({ personId: randomUUID(), sealed: `v1.test.${tag}.${randomUUID().slice(0, 8)}` });
const iso = (ms: number) => new Date(ms).toISOString();

interface Candidate<C> {
  command: C;
  weight: number;
}

function weighted<T extends { weight: number }>(pick: Pick, items: T[]): T | undefined {
  const total = items.reduce((s, i) => s + i.weight, 0);
  if (total === 0) return undefined;
  let at = pick(total);
  for (const item of items) {
    if (at < item.weight) return item;
    at -= item.weight;
  }
  return items[items.length - 1];
}

function accepted<S, C, E>(decide: (c: C, s: S) => E[], state: S, command: C): E[] | null {
  try {
    const events = decide(command, state);
    return events.length > 0 ? events : null;
  } catch (error) {
    if ((error as { name?: string }).name === 'DomainError') return null;
    throw error;
  }
}

function toNew(events: Array<{ id: string; type: string; data: unknown; metadata: object }>): NewEvent[] {
  return events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata as NewEvent['metadata'] }));
}

/** A case driven through `decideCase` by random accepted commands. */
export function randomCase(pick: Pick, providerId: string, maxCommands: number): StreamHistory {
  const caseId = randomUUID();
  const application = APPLICATIONS[pick(APPLICATIONS.length)];
  let clock = Date.parse(application.at) + pick(15) * 24 * 60 * MINUTE;
  const applicantActor: Actor = { role: 'applicant', userId: `citizen-${caseId.slice(0, 6)}`, providerId: null };
  const submitter = application.submittedBy === 'applicant' ? applicantActor : staff(application.submittedBy, providerId);
  const submitAt = iso(clock);
  const submit: CaseCommand = {
    type: 'SubmitApplication',
    data: {
      caseId,
      serviceCode: application.service,
      providerId,
      channel: application.channel,
      applicant: sealed('applicant'),
      child: sealed('child'),
      documents: [{ kind: 'application' }, ...(pick(2) ? [{ kind: 'medical-conclusion' }] : [])],
      grade: application.grade,
    },
    metadata: { actor: submitter, now: submitAt, occurredAt: submitAt },
  };
  const regulation = regulationFor(application.service, submitAt.slice(0, 10)).regulation;
  const decide = (command: CaseCommand, state: CaseState) => decideCase(command, state, { regulation: regulationById((state as ExistingCase).regulationId ?? regulation.id) ?? regulation, clockSkewMs: MINUTE, newId: randomUUID });
  const appends: NewEvent[][] = [];
  let state: CaseState = initialCaseState;
  const record = (events: ReturnType<typeof decideCase>) => {
    appends.push(toNew(events));
    for (const e of events) state = evolveCase(state, e);
  };
  const first = accepted(decide, state, submit);
  if (!first) throw new Error(`the fixture's application for ${application.service} was refused by the decider`);
  record(first);

  const actors = [staff('clerk', providerId), staff('head', providerId), staff('executor', providerId), staff('executor', providerId, 2), applicantActor];
  for (let i = 0; i < maxCommands; i++) {
    clock += STEP_GAPS_MIN[pick(STEP_GAPS_MIN.length)] * MINUTE;
    const occurredAt = iso(clock);
    // Now and then an action is recorded days after it happened.
    const now = pick(6) === 0 ? iso(clock + (1 + pick(3)) * 24 * 60 * MINUTE) : occurredAt;
    const s = state as ExistingCase;
    const options = caseCommandOptions(pick, s, occurredAt);
    const candidates: Array<Candidate<CaseCommand>> = [];
    for (const option of options) {
      const who = option.actor ? [option.actor] : actors;
      for (const actor of who) {
        const command = { type: option.type, data: option.data, metadata: { actor, now, occurredAt } } as CaseCommand;
        if (accepted(decide, state, command)) {
          candidates.push({ command, weight: option.weight });
          break;
        }
      }
    }
    const chosen = weighted(pick, candidates);
    if (!chosen) break;
    record(decide(chosen.command, state));
  }
  return { streamId: `case-${caseId}`, appends };
}

function caseCommandOptions(pick: Pick, s: ExistingCase, occurredAt: string): Array<{ type: CaseCommand['type']; data: Record<string, unknown>; weight: number; actor?: Actor }> {
  const regulation = regulationById(s.regulationId)!;
  const service = serviceIn(regulation, s.serviceCode);
  const options: Array<{ type: CaseCommand['type']; data: Record<string, unknown>; weight: number; actor?: Actor }> = [
    { type: 'AcceptDocuments', data: { journalNumber: `J-${pick(900) + 100}` }, weight: 10 },
    { type: 'IssueReceipt', data: { receiptNumber: pick(2) ? `R-${pick(900)}` : null }, weight: 10 },
    { type: 'SendToHead', data: {}, weight: 10 },
    { type: 'AppointExecutor', data: { executorId: `executor-${1 + pick(2)}` }, weight: 10 },
    { type: 'HoldInitialExamination', data: {}, weight: 10 },
    { type: 'ConcludeContract', data: { contractNumber: `K-${pick(900)}` }, weight: 10 },
    { type: 'HoldSession', data: { format: ['individual', 'subgroup', 'group'][pick(3)], activity: ['lesson', 'consultation'][pick(2)] }, weight: 10 },
    { type: 'HoldExamination', data: {}, weight: 10 },
    { type: 'SetClassAndLanguage', data: { grade: 1 + pick(11), language: ['kk', 'ru'][pick(2)] }, weight: 10 },
    { type: 'DrawUpResult', data: { documentNumber: pick(2) ? `D-${pick(900)}` : null }, weight: 10 },
    { type: 'SignResult', data: {}, weight: 10 },
    { type: 'SendResultToExecutor', data: {}, weight: 10 },
    { type: 'IssueResult', data: {}, weight: 10 },
    { type: 'SendAcceptanceNotification', data: {}, weight: 10 },
    { type: 'RefuseApplication', data: { grounds: service.refusalGrounds.slice(0, 1).map((g) => g.code), motivation: 'Представлен неполный пакет документов' }, weight: 1 },
    { type: 'WithdrawApplication', data: { reason: pick(2) ? 'Заявитель отозвал заявление' : null }, weight: 1 },
    { type: 'ErasePersonalData', data: { personId: pick(2) ? s.applicant.personId : s.child.personId, reason: 'Запрос субъекта персональных данных' }, weight: 1, actor: ADMIN },
  ];
  const target = s.actions[pick(s.actions.length)];
  if (target) {
    const corrected = pick(2) ? { occurredAt: iso(Date.parse(target.occurredAt) - (1 + pick(30)) * MINUTE) } : target.type === 'DocumentsAccepted' ? { data: { journalNumber: `J-${pick(900) + 1000}` } } : { occurredAt: iso(Date.parse(target.occurredAt) + MINUTE) };
    options.push({ type: 'CorrectAction', data: { correctedEventId: target.eventId, reason: 'Ошибка при вводе', corrected }, weight: 2 });
  }
  for (const step of caseSteps(s, regulation)) {
    if (step.status !== 'open' || !step.startedAt || step.norm.kind === 'none' || step.deadlinePassed) continue;
    const verdict = judgeNorm(step.norm, step.startedAt, null, occurredAt);
    if (verdict.dueAt && verdict.dueAt.getTime() <= Date.parse(occurredAt)) {
      options.push({ type: 'RecordDeadlinePassed', data: { stepId: step.stepId, dueAt: verdict.dueAt.toISOString() }, weight: 3, actor: SYSTEM });
    }
  }
  return options;
}

/** A complaint driven through `decideComplaint` by random accepted commands. */
export function randomComplaint(pick: Pick, providerId: string, maxCommands: number, caseId: string | null = null): StreamHistory {
  const complaintId = randomUUID();
  let clock = Date.parse('2021-03-01T10:00:00+06:00') + pick(700) * 24 * 60 * MINUTE + pick(8) * 60 * MINUTE;
  const complainant: Actor = { role: 'applicant', userId: `citizen-${complaintId.slice(0, 6)}`, providerId: null };
  const addressee = pick(3) === 0 ? 'authorized-body' : 'provider';
  const via = pick(2) === 0 ? 'portal' : 'paper';
  const filer = via === 'portal' ? complainant : addressee === 'provider' ? staff('clerk', providerId) : QUALITY_CONTROL;
  const decide = (command: ComplaintCommand, state: ComplaintState) => {
    const at = command.metadata.occurredAt ?? command.metadata.now;
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date(at));
    return decideComplaint(command, state, { complaintTerms: complaintTermsFor(date), clockSkewMs: MINUTE, newId: randomUUID });
  };
  const appends: NewEvent[][] = [];
  let state: ComplaintState = initialComplaintState;
  const record = (events: ReturnType<typeof decideComplaint>) => {
    appends.push(toNew(events));
    for (const e of events) state = evolveComplaint(state, e);
  };
  const filedAt = iso(clock);
  const file: ComplaintCommand = {
    type: 'FileComplaint',
    data: { complaintId, providerId, caseId, subject: (['decision', 'action', 'inaction'] as const)[pick(3)], addressee, complainant: sealed('complainant'), text: sealed('text') },
    metadata: { actor: filer, now: filedAt, occurredAt: filedAt },
  };
  const first = accepted(decide, state, file);
  if (!first) throw new Error('the fixture complaint was refused by the decider');
  record(first);
  const actors = [staff('clerk', providerId), staff('head', providerId), QUALITY_CONTROL, complainant];
  for (let i = 0; i < maxCommands; i++) {
    clock += STEP_GAPS_MIN[pick(STEP_GAPS_MIN.length)] * MINUTE;
    const at = iso(clock);
    const s = state as Extract<ComplaintState, { complaintId: string }>;
    const options: Array<{ type: ComplaintCommand['type']; data: Record<string, unknown>; weight: number; actor?: Actor }> = [
      { type: 'RegisterComplaint', data: { registrationNumber: `C-${pick(9000) + 1000}` }, weight: 10 },
      { type: 'ForwardComplaint', data: { reason: 'Вне компетенции поставщика' }, weight: 2 },
      { type: 'AnswerComplaint', data: { outcome: (['satisfied', 'partly-satisfied', 'rejected'] as const)[pick(3)], answer: sealed('answer') }, weight: 6 },
      { type: 'WithdrawComplaint', data: { reason: pick(2) ? 'Вопрос решён' : null }, weight: 1 },
      { type: 'RecordCourtAppeal', data: { court: pick(2) ? 'Районный суд' : null }, weight: 1 },
      { type: 'EraseComplaintPersonalData', data: { personId: s.complainant.personId, reason: 'Запрос субъекта' }, weight: 1, actor: ADMIN },
    ];
    const candidates: Array<Candidate<ComplaintCommand>> = [];
    for (const option of options) {
      for (const actor of option.actor ? [option.actor] : actors) {
        const command = { type: option.type, data: option.data, metadata: { actor, now: at, occurredAt: at } } as ComplaintCommand;
        if (accepted(decide, state, command)) {
          candidates.push({ command, weight: option.weight });
          break;
        }
      }
    }
    const chosen = weighted(pick, candidates);
    if (!chosen) break;
    record(decide(chosen.command, state));
  }
  return { streamId: `complaint-${complaintId}`, appends };
}

/** Cases and complaints (some about those cases) across a few providers. */
export function randomHistory(pick: Pick, options: HistoryOptions): StreamHistory[] {
  const providers = options.providers ?? ['school-1', 'school-2', 'pmpc-3'];
  const streams: StreamHistory[] = [];
  const caseIds: Array<{ caseId: string; providerId: string }> = [];
  for (let i = 0; i < options.cases; i++) {
    const providerId = providers[pick(providers.length)];
    const c = randomCase(pick, providerId, 1 + pick(options.maxCommands));
    caseIds.push({ caseId: c.streamId.slice('case-'.length), providerId });
    streams.push(c);
  }
  for (let i = 0; i < options.complaints; i++) {
    const about = caseIds.length && pick(2) ? caseIds[pick(caseIds.length)] : null;
    streams.push(randomComplaint(pick, about?.providerId ?? providers[pick(providers.length)], 1 + pick(Math.max(1, Math.floor(options.maxCommands / 2))), about?.caseId ?? null));
  }
  return streams;
}

/** One append in global order. */
export interface PlannedAppend {
  streamId: string;
  events: NewEvent[];
  /** Stream version before this append. */
  expectedVersion: number;
}

/** Interleaves the streams' appends at random, keeping each stream's own order. */
export function interleave(pick: Pick, streams: readonly StreamHistory[]): PlannedAppend[] {
  const cursors = streams.map((s) => ({ stream: s, next: 0, version: 0 }));
  const out: PlannedAppend[] = [];
  let open = cursors.filter((c) => c.next < c.stream.appends.length);
  while (open.length > 0) {
    const c = open[pick(open.length)];
    const events = c.stream.appends[c.next++];
    out.push({ streamId: c.stream.streamId, events, expectedVersion: c.version });
    c.version += events.length;
    open = open.filter((x) => x.next < x.stream.appends.length);
  }
  return out;
}

/** Appends planned appends in order; returns the position of the last one ('0' when there is none). */
export async function appendAll(store: EventStore, appends: readonly PlannedAppend[]): Promise<string> {
  let position = '0';
  for (const a of appends) position = (await store.append(a.streamId, a.events, { expectedVersion: a.expectedVersion })).position;
  return position;
}

/** Splits a list into `parts` consecutive chunks at random cut points (some may be empty). */
export function chunks<T>(pick: Pick, items: readonly T[], parts: number): T[][] {
  const cuts = Array.from({ length: parts - 1 }, () => pick(items.length + 1)).sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const cut of [...cuts, items.length]) {
    out.push(items.slice(from, cut));
    from = cut;
  }
  return out;
}

/** fast-check arbitrary of choice lists for `pickFrom`: shrinking yields shorter, simpler histories. */
export const choicesArbitrary = (maxLength = 400) => fc.array(fc.nat({ max: 1_000_000 }), { minLength: 0, maxLength });

/** How many events a history holds. */
export const eventCount = (streams: readonly StreamHistory[]) => streams.reduce((n, s) => n + s.appends.reduce((m, a) => m + a.length, 0), 0);
