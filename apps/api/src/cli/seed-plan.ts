import { applicableSteps, serviceIn } from '@sped/domain';
import {
  demoProviderDirectory,
  type Provider,
} from '@sped/platform';
import {
  effectiveStart,
  lastDayOfTerm,
  regulationById,
  workingDaysBetween,
  type Channel,
  type Norm,
  type ServiceCode,
  type StepDefinition,
  type WorkingSchedule,
} from '@sped/regulations';
import {
  COMPLAINT_ANSWERS,
  COMPLAINT_TEXTS,
  COMPLAINT_WITHDRAWAL_REASONS,
  COURTS,
  FORWARD_REASONS,
  REFUSAL_MOTIVATIONS,
  WITHDRAWAL_REASONS,
  makeFamily,
  portalAccount,
  type ApplicantBody,
  type Family,
} from './seed-people.js';
import { createRng, type Rng } from './seed-random.js';
import {
  addDays,
  addWorkingMinutes,
  atWorkingMinute,
  dateOf,
  iso,
  midnight,
  MINUTE,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  workingDaysAfter,
  workingDaysBefore,
  workingMinutesBetween,
  workingMinutesPerDay,
} from './seed-time.js';

/**
 * The demo dataset as a plan of HTTP commands: pure and deterministic. Given the seed, the number of cases
 * and today's date it always yields the same requests, bodies and Idempotency-Keys.
 *
 * - History (independent of today): cases of the three services of resolution No. 604 and home education
 *   under it, dated 2019-01-17..2020-02-10, and home education under the later rules from 2020-02-11 to
 *   HISTORY_END, some with complaints. Case i depends only on (seed, i), so a larger `cases` adds cases
 *   and a re-run with the same seed records nothing new.
 * - Recent (relative to today, keyed by today's date): home-education cases and complaints of the last
 *   weeks whose terms are running or have just expired, so "overdue now" holds on the day it is run.
 */

export const HISTORY_END = '2026-06-30';
const REG_604 = 'almaty-region-604-2018';
const REG_HOME_2020 = 'home-education-rules-2020';
const RESOLUTION_604 = { from: '2019-01-17', to: '2020-02-10' };
const RULES_2020_FROM = '2020-02-11';

export type SeedRole = 'clerk' | 'head' | 'executor' | 'applicant' | 'quality-control';

export interface SeedActor {
  role: SeedRole;
  /** The token's `sub`. */
  userId: string;
  providerId: string | null;
}

/** A value filled in when the request is sent: `case`, `complaint-N` (ids bound earlier in the chain) or `event:<key>`. */
export interface SeedRef {
  $ref: string;
}

export interface PlannedRequest {
  /** The Idempotency-Key: unique in the plan, the same on every run. */
  key: string;
  actor: SeedActor;
  method: 'POST';
  /** May name ids bound earlier in the chain: `/v1/cases/{case}/actions`. */
  path: string;
  /** JSON body; `{ "$ref": ... }` objects are replaced before sending. */
  body: Record<string, unknown>;
  /** Remember the answer's id under this name (for `{name}` in later paths and `$ref`s). */
  bind?: string;
  /** What it records, for progress and error messages. */
  label: string;
  /** occurredAt (epoch ms) of the request, or of the correction for a CorrectAction. */
  at: number;
}

export type CaseOutcome = 'issued' | 'refused' | 'withdrawn' | 'open';

export interface CaseMeta {
  service: ServiceCode;
  regulationId: string;
  channel: Channel;
  providerId: string;
  outcome: CaseOutcome;
  refusal?: { grounds: RefusalGround[]; form: 'paper' | 'electronic' };
  /** Steps planned late (or, for a window norm, too early or too late). */
  lateSteps: string[];
  corrections: string[];
  /** An open step whose term has expired by today. */
  overdueNow: boolean;
  recent: boolean;
}

export type ComplaintOutcome = 'answered-on-time' | 'answered-late' | 'withdrawn' | 'in-court' | 'open' | 'filed' | 'forwarded';

export interface ComplaintMeta {
  providerId: string;
  /** Who it was addressed to when filed. */
  addressee: 'provider' | 'authorized-body';
  forwarded: boolean;
  via: 'portal' | 'paper';
  outcome: ComplaintOutcome;
  overdueNow: boolean;
  recent: boolean;
}

/** Requests that must run in order (one case and its complaints, or one complaint); chains run concurrently. */
export interface PlannedChain {
  id: string;
  case: CaseMeta | null;
  complaints: ComplaintMeta[];
  requests: PlannedRequest[];
}

export interface StaffMember extends SeedActor {
  name: string;
}

export interface ProviderStaff {
  provider: Provider;
  schedule: WorkingSchedule;
  clerk: StaffMember;
  head: StaffMember;
  executors: StaffMember[];
  /** Share of steps this provider completes late (differs per provider, so compliance differs too). */
  lateness: number;
  journalPrefix: string;
}

export interface SeedPlan {
  seed: string;
  today: string;
  cases: number;
  staff: ProviderStaff[];
  qualityControl: StaffMember;
  chains: PlannedChain[];
}

export interface PlanOptions {
  seed: string;
  cases: number;
  now: Date;
}

type RefusalGround = 'incomplete-documents' | 'expired-documents';

// ---------------------------------------------------------------------------------------------- staff

const STAFF_NAMES = [
  'Сейтқалиева Гүлмира', 'Ахметова Жанар', 'Петрова Ольга', 'Оспанов Ерлан', 'Кузнецова Наталья', 'Жұмабаева Әсел', 'Исабеков Марат',
  'Морозова Татьяна', 'Қасымова Динара', 'Нұрғалиева Самал', 'Волкова Елена', 'Бекенова Айша', 'Тоқтаров Асқар', 'Смирнова Ксения',
  'Мұқанова Ләззат', 'Ержанова Назерке', 'Лебедева Дарья', 'Байжанова Балнұр', 'Темірбеков Дамир', 'Никитина Алина', 'Сәрсенбаева Дана',
  'Құдайбергенова Айгерім', 'Ковалёва Мария', 'Әбдірахманова Томирис', 'Фёдорова Анна', 'Оспанова Мадина', 'Попова Полина',
];

const PROVIDER_TRAITS: Record<string, { lateness: number; executors: number; journal: string }> = {
  'pmpc-almaty-1': { lateness: 0.06, executors: 3, journal: 'ПМПК1' },
  'pmpc-taldykorgan': { lateness: 0.22, executors: 3, journal: 'ПМПК-Т' },
  'rehab-taldykorgan': { lateness: 0.09, executors: 3, journal: 'РЦ' },
  'correction-kapshagay': { lateness: 0.16, executors: 2, journal: 'КППК' },
  'special-school-3': { lateness: 0.08, executors: 3, journal: 'СШИ3' },
  'school-almaty-12': { lateness: 0.12, executors: 2, journal: 'Ш12' },
  'school-esik-5': { lateness: 0.2, executors: 2, journal: 'Ш5' },
};

export function seedStaff(): { staff: ProviderStaff[]; qualityControl: StaffMember } {
  const directory = demoProviderDirectory();
  let n = 0;
  const name = () => STAFF_NAMES[n++ % STAFF_NAMES.length];
  const staff = directory.providers.map((provider): ProviderStaff => {
    const traits = PROVIDER_TRAITS[provider.id] ?? { lateness: 0.12, executors: 2, journal: provider.id.slice(0, 6).toUpperCase() };
    const member = (role: SeedRole, userId: string): StaffMember => ({ role, userId, providerId: provider.id, name: name() });
    return {
      provider,
      schedule: directory.scheduleOf(provider.id),
      clerk: member('clerk', `${provider.id}.clerk`),
      head: member('head', `${provider.id}.head`),
      executors: Array.from({ length: traits.executors }, (_, i) => member('executor', `${provider.id}.executor-${i + 1}`)),
      lateness: traits.lateness,
      journalPrefix: traits.journal,
    };
  });
  return { staff, qualityControl: { role: 'quality-control', userId: 'quality-control.almaty-region', providerId: null, name: 'Управление качества госуслуг' } };
}

// ------------------------------------------------------------------------------------ case procedures

type Performer = 'clerk' | 'head' | 'executor' | 'executor|clerk' | 'executor|head';
interface ScriptAction {
  type: string;
  by: Performer;
}
interface ScriptStep {
  /** null: an action no step names (admission: issuing the order). */
  stepId: string | null;
  actions: ScriptAction[];
}

const a = (type: string, by: Performer): ScriptAction => ({ type, by });

/** The order of actions per regulation, service and channel: each step's activities, then the action that completes it. */
const SCRIPTS: Record<string, ScriptStep[]> = {
  [`${REG_604}/pmpc-examination/office`]: [
    { stepId: 'pmpc-1', actions: [a('AcceptDocuments', 'clerk'), a('SendToHead', 'clerk')] },
    { stepId: 'pmpc-2', actions: [a('HoldInitialExamination', 'head'), a('AppointExecutor', 'head')] },
    { stepId: 'pmpc-3', actions: [a('HoldExamination', 'executor'), a('DrawUpResult', 'executor')] },
    { stepId: 'pmpc-4', actions: [a('SignResult', 'head'), a('SendResultToExecutor', 'head')] },
    { stepId: 'pmpc-5', actions: [a('IssueResult', 'executor|clerk')] },
  ],
  [`${REG_604}/rehabilitation/office`]: [
    { stepId: 'rehab-1', actions: [a('AcceptDocuments', 'clerk'), a('SendToHead', 'clerk')] },
    { stepId: 'rehab-2', actions: [a('ConcludeContract', 'head'), a('AppointExecutor', 'head')] },
    // HoldSession is repeated: the sessions of the course (expanded when the case is built).
    { stepId: 'rehab-3', actions: [a('HoldSession', 'executor'), a('DrawUpResult', 'executor')] },
    { stepId: 'rehab-4', actions: [a('SignResult', 'head'), a('SendResultToExecutor', 'head')] },
    { stepId: 'rehab-5', actions: [a('IssueResult', 'executor|clerk')] },
  ],
  [`${REG_604}/special-school-admission/office`]: [
    { stepId: 'admission-1', actions: [a('AcceptDocuments', 'executor')] },
    { stepId: 'admission-2', actions: [a('DrawUpResult', 'executor')] },
    { stepId: 'admission-3', actions: [a('SignResult', 'head'), a('SendResultToExecutor', 'head')] },
    { stepId: null, actions: [a('IssueResult', 'executor')] },
  ],
  [`${REG_604}/home-education/office`]: [
    // The receipt is an activity of the first step: issued before the documents go to the head.
    { stepId: 'home-1', actions: [a('AcceptDocuments', 'clerk'), a('IssueReceipt', 'clerk'), a('SendToHead', 'clerk')] },
    { stepId: 'home-2', actions: [a('AppointExecutor', 'head')] },
    { stepId: 'home-3', actions: [a('DrawUpResult', 'executor')] },
    { stepId: 'home-4', actions: [a('SignResult', 'head'), a('SendResultToExecutor', 'head')] },
    { stepId: 'home-5', actions: [a('IssueResult', 'executor|clerk')] },
  ],
  [`${REG_HOME_2020}/home-education/office`]: [
    { stepId: 'home-b-office-1', actions: [a('AcceptDocuments', 'clerk'), a('IssueReceipt', 'clerk'), a('SendToHead', 'clerk')] },
    { stepId: 'home-b-office-2', actions: [a('SetClassAndLanguage', 'head')] },
    { stepId: 'home-b-3', actions: [a('DrawUpResult', 'executor'), a('SignResult', 'head'), a('IssueResult', 'executor|head')] },
  ],
  [`${REG_HOME_2020}/home-education/portal`]: [
    { stepId: 'home-b-portal-1', actions: [a('SendAcceptanceNotification', 'clerk')] },
    { stepId: 'home-b-portal-2', actions: [a('SetClassAndLanguage', 'head')] },
    { stepId: 'home-b-3', actions: [a('DrawUpResult', 'executor'), a('SignResult', 'head'), a('IssueResult', 'executor|head')] },
  ],
};

const DOCUMENTS: Record<ServiceCode, string[]> = {
  'pmpc-examination': ['application', 'birth-certificate', 'medical-report', 'parent-id'],
  rehabilitation: ['application', 'pmpc-conclusion', 'birth-certificate', 'medical-report'],
  'special-school-admission': ['application', 'pmpc-conclusion', 'medical-record-026', 'birth-certificate', 'photo'],
  'home-education': ['application', 'vkk-conclusion', 'birth-certificate'],
};

function stepsOf(regulationId: string, service: ServiceCode, channel: Channel): StepDefinition[] {
  const regulation = regulationById(regulationId);
  if (!regulation) throw new Error(`regulation ${regulationId} is not loaded`);
  return applicableSteps(serviceIn(regulation, service), channel);
}

// ------------------------------------------------------------------------------------- chain builder

class ChainBuilder {
  readonly requests: PlannedRequest[] = [];
  private n = 0;
  constructor(readonly prefix: string) {}

  add(actor: SeedActor, path: string, label: string, body: Record<string, unknown>, at: number, bind?: string): string {
    const key = `${this.prefix}-${String(++this.n).padStart(2, '0')}`;
    this.requests.push({ key, actor: { role: actor.role, userId: actor.userId, providerId: actor.providerId }, method: 'POST', path, body, label, at, ...(bind ? { bind } : {}) });
    return key;
  }
}

const CASE_ACTIONS = '/v1/cases/{case}/actions';
const ref = (name: string): SeedRef => ({ $ref: name });

// ------------------------------------------------------------------------------------------ step timing

type Verdict = 'on-time' | 'late' | 'early';

const randomMinuteOf = (rng: Rng, date: string, schedule: WorkingSchedule) => atWorkingMinute(date, rng.int(0, workingMinutesPerDay(schedule) - 1), schedule);

/**
 * When a step that started at `start` completes, judged `verdict` against its norm. Minute norms: clerks
 * and heads finish within the allowance or minutes-to-hours after it; day norms: executors finish on a
 * day within the term or days after its last day.
 */
function stepEnd(rng: Rng, norm: Norm, start: number, channel: Channel, verdict: Verdict, schedule: WorkingSchedule, minMinutes: number): number {
  if (norm.kind === 'none') throw new Error('stepEnd needs a norm');
  const startDate = dateOf(start);
  if (norm.kind === 'limit' && (norm.unit === 'minutes' || norm.unit === 'hours')) {
    const allowance = norm.unit === 'hours' ? norm.amount * 60 : norm.amount;
    const minutes =
      verdict === 'late'
        ? allowance + rng.int(5, Math.max(60, Math.round(allowance * 1.5)))
        : Math.min(allowance - 1, Math.max(minMinutes, Math.round(allowance * rng.real(0.15, 0.9))));
    return addWorkingMinutes(start, minutes, schedule);
  }
  if (norm.kind === 'limit' && norm.unit === 'working-days') {
    if (verdict !== 'late') return randomMinuteOf(rng, workingDaysAfter(startDate, rng.int(1, norm.amount)), schedule);
    // The portal's clock may start at the next working period: count lateness from there.
    const lastDay = lastDayOfTerm(dateOf(effectiveStart(start, channel, schedule).getTime()), norm.amount, 'working-days');
    return randomMinuteOf(rng, workingDaysAfter(lastDay, rng.int(1, 6)), schedule);
  }
  if (norm.kind === 'limit' && norm.unit === 'calendar-days') {
    const lastDay = lastDayOfTerm(startDate, norm.amount, 'calendar-days');
    if (verdict === 'late') return randomMinuteOf(rng, workingDayOnOrAfter(addDays(lastDay, rng.int(1, 10))), schedule);
    let day = workingDayOnOrBefore(addDays(startDate, rng.int(Math.ceil(norm.amount * 0.3), norm.amount)));
    if (day <= startDate) day = workingDayOnOrAfter(addDays(startDate, 1));
    return randomMinuteOf(rng, day, schedule);
  }
  if (norm.kind === 'window' && norm.unit === 'calendar-days') {
    const lastDay = lastDayOfTerm(startDate, norm.max, 'calendar-days');
    if (verdict === 'late') return randomMinuteOf(rng, workingDayOnOrAfter(addDays(lastDay, rng.int(3, 25))), schedule);
    if (verdict === 'early') return randomMinuteOf(rng, workingDayOnOrBefore(addDays(startDate, rng.int(norm.min - 25, norm.min - 3))), schedule);
    return randomMinuteOf(rng, workingDayOnOrAfter(addDays(startDate, rng.int(norm.min + 3, norm.min + Math.round((norm.max - norm.min) * 0.45)))), schedule);
  }
  throw new Error(`no timing for a ${norm.kind} norm in ${'unit' in norm ? norm.unit : ''}`);
}

/** When an action without a term of its own happens after `prev`: minutes for the office, days for drawing up a result. */
function freeDelay(rng: Rng, type: string, prev: number, schedule: WorkingSchedule): number {
  switch (type) {
    case 'DrawUpResult':
      return randomMinuteOf(rng, workingDaysAfter(dateOf(prev), rng.int(1, 5)), schedule);
    case 'SetClassAndLanguage':
      return addWorkingMinutes(prev, rng.int(30, 1200), schedule);
    case 'SignResult':
      return addWorkingMinutes(prev, rng.int(20, 600), schedule);
    case 'IssueResult':
      return addWorkingMinutes(prev, rng.int(10, 480), schedule);
    case 'AcceptDocuments':
      return addWorkingMinutes(prev, rng.int(2, 15), schedule);
    case 'IssueReceipt':
      return addWorkingMinutes(prev, rng.int(1, 5), schedule);
    case 'SendToHead':
      return addWorkingMinutes(prev, rng.int(2, 60), schedule);
    default:
      return addWorkingMinutes(prev, rng.int(5, 120), schedule);
  }
}

/** `count` instants strictly between `from` and `to`, ascending, in working time. */
function between(rng: Rng, from: number, to: number, count: number, schedule: WorkingSchedule): number[] {
  if (count === 0) return [];
  const span = Math.floor(workingMinutesBetween(from, to, schedule));
  return rng.distinctSorted(count, 1, Math.max(count, span - 1)).map((m) => addWorkingMinutes(from, m, schedule));
}

// ------------------------------------------------------------------------------------------- cases

type CorrectionKind = 'journal' | 'late-entry' | 'executor' | 'session';

interface CaseSpec {
  service: ServiceCode;
  regulationId: string;
  channel: Channel;
  staff: ProviderStaff;
  submittedAt: number;
  grade?: number;
  family: Family;
  /** The applicant's portal account (portal applications). */
  account: string | null;
  outcome:
    | { kind: 'issued' }
    | { kind: 'refused'; grounds: RefusalGround[] }
    | { kind: 'withdrawn'; afterActions: number }
    | { kind: 'open'; afterActions: number };
  /** Probability that a step is late; `forced` overrides it per step. */
  lateness: number;
  forced?: Record<string, Verdict>;
  correction?: CorrectionKind;
}

interface TimedAction {
  type: string;
  actor: SeedActor;
  stepId: string | null;
  at: number;
  data: Record<string, unknown>;
}

interface BuiltCase {
  meta: CaseMeta;
  /** occurredAt of the submission and of the last action recorded (complaints about the case come later). */
  submittedAt: number;
  lastAt: number;
}

function journalNumber(rng: Rng, staff: ProviderStaff, at: number): string {
  return `${staff.journalPrefix}-${dateOf(at).slice(0, 4)}/${String(rng.int(1, 999)).padStart(3, '0')}`;
}

function actionData(rng: Rng, type: string, spec: CaseSpec, executor: StaffMember, at: number): Record<string, unknown> {
  const year = dateOf(at).slice(0, 4);
  switch (type) {
    case 'AcceptDocuments':
      return { journalNumber: journalNumber(rng, spec.staff, at) };
    case 'IssueReceipt':
      return rng.chance(0.7) ? { receiptNumber: `Қ-${year}/${rng.int(1, 999)}` } : {};
    case 'AppointExecutor':
      return { executorId: executor.userId };
    case 'ConcludeContract':
      return { contractNumber: `ДОГ-${year}-${rng.int(1, 300)}` };
    case 'HoldSession':
      return { format: rng.weighted([['individual', 5], ['subgroup', 2], ['group', 2]] as const), activity: rng.weighted([['lesson', 4], ['consultation', 1]] as const) };
    case 'SetClassAndLanguage':
      return { grade: spec.grade ?? 1, language: spec.family.language === 'kk' ? (rng.chance(0.88) ? 'kk' : 'ru') : 'ru' };
    case 'DrawUpResult':
      if (rng.chance(0.3)) return {};
      return { documentNumber: spec.service === 'pmpc-examination' ? `ЗАК-${year}-${rng.int(1, 900)}` : spec.service === 'rehabilitation' ? `ЗРЦ-${year}-${rng.int(1, 400)}` : `Пр-${year}-${rng.int(1, 250)}` };
    default:
      return {};
  }
}

/** The actions of a case in order, with their instants and data, following the script and the norms. */
function timeline(rng: Rng, spec: CaseSpec, executor: StaffMember): { actions: TimedAction[]; lateSteps: string[] } {
  const script = SCRIPTS[`${spec.regulationId}/${spec.service}/${spec.channel}`];
  if (!script) throw new Error(`no procedure for ${spec.service} under ${spec.regulationId} (${spec.channel})`);
  const steps = stepsOf(spec.regulationId, spec.service, spec.channel);
  const schedule = spec.staff.schedule;
  const actorFor = (by: Performer): SeedActor => {
    switch (by) {
      case 'clerk':
        return spec.staff.clerk;
      case 'head':
        return spec.staff.head;
      case 'executor':
        return executor;
      case 'executor|clerk':
        return rng.chance(0.5) ? executor : spec.staff.clerk;
      case 'executor|head':
        return rng.chance(0.75) ? executor : spec.staff.head;
    }
  };
  const actions: TimedAction[] = [];
  const lateSteps: string[] = [];
  let prev = spec.submittedAt;
  for (const scriptStep of script) {
    let types = scriptStep.actions;
    if (scriptStep.actions.some((x) => x.type === 'HoldSession')) {
      const sessions = rng.int(3, 8);
      types = [...Array.from({ length: sessions }, () => scriptStep.actions[0]), ...scriptStep.actions.slice(1)];
    }
    const step = scriptStep.stepId ? steps.find((s) => s.id === scriptStep.stepId) : undefined;
    if (scriptStep.stepId && !step) throw new Error(`step ${scriptStep.stepId} is not in ${spec.regulationId}`);
    const norm = step?.norm;
    let times: number[];
    if (norm && norm.kind !== 'none') {
      const forced = spec.forced?.[step.id];
      let verdict: Verdict = forced ?? (rng.chance(spec.lateness) ? 'late' : 'on-time');
      if (!forced && verdict === 'late' && norm.kind === 'window' && rng.chance(0.35)) verdict = 'early';
      if (verdict !== 'on-time') lateSteps.push(step.id);
      let end = stepEnd(rng, norm, prev, spec.channel, verdict, schedule, types.length + 1);
      if (workingMinutesBetween(prev, end, schedule) < types.length + 1) end = addWorkingMinutes(prev, types.length + 1, schedule);
      times = [...between(rng, prev, end, types.length - 1, schedule), end];
    } else {
      times = [];
      let t = prev;
      for (const x of types) {
        t = freeDelay(rng, x.type, t, schedule);
        times.push(t);
      }
    }
    types.forEach((x, i) => {
      actions.push({ type: x.type, actor: actorFor(x.by), stepId: scriptStep.stepId, at: times[i], data: actionData(rng, x.type, spec, executor, times[i]) });
    });
    prev = times[times.length - 1];
  }
  return { actions, lateSteps };
}

function otherOf<T>(rng: Rng, items: readonly T[], not: T): T {
  const rest = items.filter((x) => x !== not);
  return rest.length ? rng.pick(rest) : not;
}

function buildCase(b: ChainBuilder, rng: Rng, spec: CaseSpec, recent: boolean, today: string): BuiltCase {
  const { staff } = spec;
  const schedule = staff.schedule;
  const executor = rng.pick(staff.executors);
  const documents = DOCUMENTS[spec.service].map((kind) => ({ kind }));
  const refusal = spec.outcome.kind === 'refused' ? spec.outcome : null;
  if (refusal?.grounds.includes('incomplete-documents')) documents.splice(1, 1);
  const submitter: SeedActor =
    spec.channel === 'portal'
      ? { role: 'applicant', userId: spec.account ?? 'egov-user-0', providerId: null }
      : spec.service === 'special-school-admission'
        ? executor
        : staff.clerk;
  b.add(
    submitter,
    '/v1/cases',
    'SubmitApplication',
    {
      service: spec.service,
      providerId: staff.provider.id,
      channel: spec.channel,
      occurredAt: iso(spec.submittedAt),
      applicant: spec.family.applicant,
      child: spec.family.child,
      documents,
      ...(spec.grade !== undefined && spec.service === 'special-school-admission' ? { grade: spec.grade } : {}),
    },
    spec.submittedAt,
    'case',
  );
  const meta: CaseMeta = {
    service: spec.service,
    regulationId: spec.regulationId,
    channel: spec.channel,
    providerId: staff.provider.id,
    outcome: 'open',
    lateSteps: [],
    corrections: [],
    overdueNow: false,
    recent,
  };

  if (refusal) {
    const steps = stepsOf(spec.regulationId, spec.service, spec.channel);
    const first = steps[0];
    const refuser: SeedActor = spec.channel === 'portal' ? rng.pick([staff.clerk, staff.head]) : submitter;
    let at: number;
    if (spec.channel === 'portal') at = addWorkingMinutes(effectiveStart(spec.submittedAt, 'portal', schedule).getTime(), rng.int(30, 900), schedule);
    else if (first.norm.kind === 'none' || rng.chance(0.85)) at = addWorkingMinutes(spec.submittedAt, rng.int(3, 14), schedule);
    else {
      // Minutes past the 15 working minutes of acceptance.
      at = addWorkingMinutes(spec.submittedAt, rng.int(20, 90), schedule);
      meta.lateSteps.push(first.id);
    }
    const which = refusal.grounds.length === 2 ? 'both' : refusal.grounds[0];
    b.add(refuser, CASE_ACTIONS, 'RefuseApplication', { type: 'RefuseApplication', grounds: refusal.grounds, motivation: rng.pick(REFUSAL_MOTIVATIONS[which]), occurredAt: iso(at) }, at);
    meta.outcome = 'refused';
    meta.refusal = { grounds: refusal.grounds, form: spec.channel === 'portal' ? 'electronic' : 'paper' };
    return { meta, submittedAt: spec.submittedAt, lastAt: at };
  }

  const { actions, lateSteps } = timeline(rng, spec, executor);
  const budget = spec.outcome.kind === 'withdrawn' || spec.outcome.kind === 'open' ? Math.min(spec.outcome.afterActions, actions.length) : actions.length;
  const done = actions.slice(0, budget);
  meta.lateSteps = lateSteps.filter((id) => done.some((x) => x.stepId === id));
  let lastAt = spec.submittedAt;

  // Corrections: applied to the action they concern, recorded right after it.
  const correction = spec.correction;
  const correctable = (type: string) => done.findIndex((x) => x.type === type);
  const lateEntryTarget = correction === 'late-entry' ? correctable('DrawUpResult') : -1;
  const journalTarget = correction === 'journal' ? correctable('AcceptDocuments') : -1;
  const executorTarget = correction === 'executor' && staff.executors.length > 1 ? correctable('AppointExecutor') : -1;
  const sessionTarget = correction === 'session' ? correctable('HoldSession') : -1;

  done.forEach((x, i) => {
    const body: Record<string, unknown> = { type: x.type, ...x.data };
    if (i === lateEntryTarget && i + 1 < done.length) {
      // Entered later with the time of entry instead of the time it was done; the head corrects it before signing.
      const next = done[i + 1].at;
      const [wrong, noticed] = between(rng, x.at, next, 2, schedule);
      if (wrong !== undefined && noticed !== undefined && wrong > x.at && noticed < next) {
        const key = b.add(x.actor, CASE_ACTIONS, x.type, { ...body, occurredAt: iso(wrong) }, wrong);
        b.add(
          staff.head,
          CASE_ACTIONS,
          `CorrectAction(${x.type}.occurredAt)`,
          { type: 'CorrectAction', correctedEventId: ref(`event:${key}`), reason: 'Указано время внесения записи, а не время составления результата.', corrected: { occurredAt: iso(x.at) }, occurredAt: iso(noticed) },
          noticed,
        );
        meta.corrections.push('late-entry');
        lastAt = Math.max(lastAt, noticed);
        return;
      }
    }
    if (i === journalTarget) {
      const right = String(x.data.journalNumber);
      const wrong = right.replace(/(\d)(\d)$/, '$2$1') === right ? `${right}0` : right.replace(/(\d)(\d)$/, '$2$1');
      const key = b.add(x.actor, CASE_ACTIONS, x.type, { ...body, journalNumber: wrong, occurredAt: iso(x.at) }, x.at);
      const at = addWorkingMinutes(x.at, rng.int(1, 20), schedule);
      b.add(x.actor, CASE_ACTIONS, 'CorrectAction(journalNumber)', { type: 'CorrectAction', correctedEventId: ref(`event:${key}`), reason: `Опечатка в номере журнала: записано ${wrong}, верно ${right}.`, corrected: { data: { journalNumber: right } }, occurredAt: iso(at) }, at);
      meta.corrections.push('journal');
      lastAt = Math.max(lastAt, at);
      return;
    }
    if (i === executorTarget) {
      const wrongExecutor = otherOf(rng, staff.executors, executor);
      const key = b.add(x.actor, CASE_ACTIONS, x.type, { ...body, executorId: wrongExecutor.userId, occurredAt: iso(x.at) }, x.at);
      const at = addWorkingMinutes(x.at, rng.int(2, 30), schedule);
      b.add(staff.head, CASE_ACTIONS, 'CorrectAction(executorId)', { type: 'CorrectAction', correctedEventId: ref(`event:${key}`), reason: 'Ошибочно выбран другой исполнитель; назначен исполнитель по графику.', corrected: { data: { executorId: executor.userId } }, occurredAt: iso(at) }, at);
      meta.corrections.push('executor');
      lastAt = Math.max(lastAt, at);
      return;
    }
    if (i === sessionTarget) {
      const format = x.data.format === 'individual' ? 'subgroup' : 'individual';
      const key = b.add(x.actor, CASE_ACTIONS, x.type, { ...body, format, occurredAt: iso(x.at) }, x.at);
      const at = addWorkingMinutes(x.at, rng.int(30, 400), schedule);
      b.add(x.actor, CASE_ACTIONS, 'CorrectAction(format)', { type: 'CorrectAction', correctedEventId: ref(`event:${key}`), reason: 'Неверно указан формат занятия.', corrected: { data: { format: x.data.format } }, occurredAt: iso(at) }, at);
      meta.corrections.push('session');
      lastAt = Math.max(lastAt, at);
      return;
    }
    b.add(x.actor, CASE_ACTIONS, x.type, { ...body, occurredAt: iso(x.at) }, x.at);
    lastAt = Math.max(lastAt, x.at);
  });

  if (spec.outcome.kind === 'issued') meta.outcome = 'issued';
  if (spec.outcome.kind === 'withdrawn') {
    const last = done.length ? done[done.length - 1].at : spec.submittedAt;
    let at: number;
    let actor: SeedActor;
    if (spec.channel === 'portal') {
      actor = { role: 'applicant', userId: spec.account ?? 'egov-user-0', providerId: null };
      const day = addDays(dateOf(last), rng.int(1, 6));
      at = midnight(day) + rng.int(8 * 60, 23 * 60) * MINUTE;
    } else {
      actor = staff.clerk;
      at = addWorkingMinutes(last, rng.int(30, 1500), schedule);
    }
    if (at >= midnight(today)) at = addWorkingMinutes(last, 1, schedule);
    const reason = rng.pick(WITHDRAWAL_REASONS);
    b.add(actor, CASE_ACTIONS, 'WithdrawApplication', { type: 'WithdrawApplication', ...(reason ? { reason } : {}), occurredAt: iso(at) }, at);
    meta.outcome = 'withdrawn';
    lastAt = at;
  }
  return { meta, submittedAt: spec.submittedAt, lastAt };
}

// -------------------------------------------------------------------------------------- complaints

type ComplaintScenario =
  | 'provider-on-time'
  | 'provider-late'
  | 'authority-on-time'
  | 'authority-late'
  | 'forwarded'
  | 'withdrawn'
  | 'court'
  /** Recent only: registered `registeredAgo` working days before today, not answered. */
  | 'open'
  /** Recent only: filed, not registered yet. */
  | 'filed'
  /** Recent only: forwarded to the authorized body, not registered there yet. */
  | 'forwarded-waiting';

interface ComplaintSpec {
  scenario: ComplaintScenario;
  addressee: 'provider' | 'authorized-body';
  staff: ProviderStaff;
  qc: StaffMember;
  complainant: ApplicantBody;
  /** Portal account when filed through the portal; null for paper. */
  account: string | null;
  caseBound: boolean;
  subject: 'decision' | 'action' | 'inaction';
  filedAt: number;
  /** For recent complaints: the registration day. */
  registeredOn?: string;
}

const PROVIDER_TERM = 5;
const AUTHORITY_TERM = 15;

function buildComplaint(b: ChainBuilder, rng: Rng, index: number, spec: ComplaintSpec, recent: boolean, today: string): ComplaintMeta {
  const bind = `complaint-${index}`;
  const path = `/v1/complaints/{${bind}}/actions`;
  const { staff, qc } = spec;
  const schedule = staff.schedule;
  const providerSide = spec.addressee === 'provider';
  const applicant: SeedActor | null = spec.account ? { role: 'applicant', userId: spec.account, providerId: null } : null;
  const filer: SeedActor = applicant ?? (providerSide ? rng.pick([staff.clerk, staff.head]) : qc);
  const meta: ComplaintMeta = { providerId: staff.provider.id, addressee: spec.addressee, forwarded: false, via: applicant ? 'portal' : 'paper', outcome: 'filed', overdueNow: false, recent };
  b.add(
    filer,
    '/v1/complaints',
    'FileComplaint',
    {
      providerId: staff.provider.id,
      ...(spec.caseBound ? { caseId: ref('case') } : {}),
      subject: spec.subject,
      addressee: spec.addressee,
      complainant: spec.complainant,
      text: rng.pick(COMPLAINT_TEXTS[spec.subject]),
      occurredAt: iso(spec.filedAt),
    },
    spec.filedAt,
    bind,
  );
  if (spec.scenario === 'filed') return meta;

  const registrar: SeedActor = providerSide ? rng.pick([staff.clerk, staff.head]) : qc;
  const registeredAt = spec.registeredOn
    ? Math.max(randomMinuteOf(rng, spec.registeredOn, schedule), spec.filedAt + MINUTE)
    : addWorkingMinutes(spec.filedAt, rng.int(10, 600), schedule);
  const number = (prefix: string, at: number) => `${prefix}-${dateOf(at).slice(0, 4)}/${rng.int(1, 400)}`;
  b.add(registrar, path, 'RegisterComplaint', { type: 'RegisterComplaint', registrationNumber: number(providerSide ? 'Ж' : 'УК', registeredAt), occurredAt: iso(registeredAt) }, registeredAt);
  meta.outcome = 'open';
  const regDate = dateOf(registeredAt);
  const term = providerSide ? PROVIDER_TERM : AUTHORITY_TERM;
  const lastDay = workingDaysAfter(regDate, term);
  // Recent complaints: whatever follows the registration still lies before today.
  const available = Math.max(1, workingDaysBetween(regDate, workingDaysBefore(today, 1)));
  const within = (n: number) => Math.max(1, Math.min(n, available));
  if (spec.scenario === 'open') {
    meta.overdueNow = lastDay < today;
    return meta;
  }

  const answerer: SeedActor = providerSide ? staff.head : qc;
  const outcomeOf = () => rng.weighted([['satisfied', 3], ['partly-satisfied', 2], ['rejected', 3]] as const);
  const answer = (at: number, outcome = outcomeOf()) =>
    b.add(answerer, path, 'AnswerComplaint', { type: 'AnswerComplaint', outcome, answer: rng.pick(COMPLAINT_ANSWERS[outcome]), occurredAt: iso(at) }, at);

  switch (spec.scenario) {
    case 'provider-on-time':
    case 'authority-on-time': {
      const at = randomMinuteOf(rng, workingDaysAfter(regDate, rng.int(1, within(term))), schedule);
      answer(at);
      meta.outcome = 'answered-on-time';
      return meta;
    }
    case 'provider-late':
    case 'authority-late': {
      const at = randomMinuteOf(rng, workingDaysAfter(lastDay, rng.int(1, 5)), schedule);
      if (at >= midnight(today)) return meta;
      answer(at);
      meta.outcome = 'answered-late';
      return meta;
    }
    case 'withdrawn': {
      const at = randomMinuteOf(rng, workingDaysAfter(regDate, rng.int(1, within(term - 1))), schedule);
      const reason = rng.pick(COMPLAINT_WITHDRAWAL_REASONS);
      b.add(applicant ?? registrar, path, 'WithdrawComplaint', { type: 'WithdrawComplaint', ...(reason ? { reason } : {}), occurredAt: iso(at) }, at);
      meta.outcome = 'withdrawn';
      return meta;
    }
    case 'court': {
      const at = randomMinuteOf(rng, workingDaysAfter(regDate, rng.int(1, within(term))), schedule);
      answer(at, 'rejected');
      const courtAt = randomMinuteOf(rng, workingDaysAfter(dateOf(at), rng.int(5, 15)), schedule);
      const court = rng.pick(COURTS);
      b.add(applicant ?? answerer, path, 'RecordCourtAppeal', { type: 'RecordCourtAppeal', ...(court ? { court } : {}), occurredAt: iso(courtAt) }, courtAt);
      meta.outcome = 'in-court';
      return meta;
    }
    case 'forwarded':
    case 'forwarded-waiting': {
      // The provider passes it on within its own term; the authorized body registers it again and its 15 days run.
      const forwardedAt = spec.registeredOn && spec.scenario === 'forwarded-waiting'
        ? randomMinuteOf(rng, workingDaysAfter(regDate, 1), schedule)
        : randomMinuteOf(rng, workingDaysAfter(regDate, rng.int(1, 3)), schedule);
      b.add(rng.pick([staff.clerk, staff.head]), path, 'ForwardComplaint', { type: 'ForwardComplaint', reason: rng.pick(FORWARD_REASONS), occurredAt: iso(forwardedAt) }, forwardedAt);
      meta.forwarded = true;
      meta.outcome = 'forwarded';
      if (spec.scenario === 'forwarded-waiting') return meta;
      const qcRegisteredAt = randomMinuteOf(rng, workingDaysAfter(dateOf(forwardedAt), rng.int(1, 2)), schedule);
      b.add(qc, path, 'RegisterComplaint', { type: 'RegisterComplaint', registrationNumber: number('УК', qcRegisteredAt), occurredAt: iso(qcRegisteredAt) }, qcRegisteredAt);
      meta.outcome = 'open';
      const qcLastDay = workingDaysAfter(dateOf(qcRegisteredAt), AUTHORITY_TERM);
      if (spec.registeredOn) {
        meta.overdueNow = qcLastDay < today;
        return meta;
      }
      const at = randomMinuteOf(rng, workingDaysAfter(dateOf(qcRegisteredAt), rng.int(3, AUTHORITY_TERM)), schedule);
      b.add(qc, path, 'AnswerComplaint', { type: 'AnswerComplaint', outcome: 'partly-satisfied', answer: rng.pick(COMPLAINT_ANSWERS['partly-satisfied']), occurredAt: iso(at) }, at);
      meta.outcome = 'answered-on-time';
      return meta;
    }
    default:
      return meta;
  }
}

function addresseeOf(scenario: ComplaintScenario): 'provider' | 'authorized-body' {
  return scenario.startsWith('authority') ? 'authorized-body' : 'provider';
}

// ------------------------------------------------------------------------------------ history cases

type Regime = 'pmpc' | 'rehab' | 'admission' | 'home-604' | 'home-office' | 'home-portal';

interface Scenario {
  regime: Regime;
  provider?: string;
  outcome?: 'issued' | 'refused' | 'withdrawn';
  grounds?: RefusalGround[];
  correction?: CorrectionKind;
  complaint?: ComplaintScenario | null;
  lateness?: number;
  grade?: number;
}

/** The first cases of every plan, so even a small one shows every service and every kind of event. */
const MANDATORY: Scenario[] = [
  { regime: 'pmpc', provider: 'pmpc-almaty-1', outcome: 'issued', lateness: 0 },
  { regime: 'pmpc', provider: 'pmpc-taldykorgan', outcome: 'refused', grounds: ['incomplete-documents'] },
  { regime: 'rehab', provider: 'rehab-taldykorgan', outcome: 'issued', lateness: 0 },
  { regime: 'rehab', provider: 'correction-kapshagay', outcome: 'refused', grounds: ['expired-documents'] },
  { regime: 'admission', provider: 'special-school-3', outcome: 'issued', grade: 1 },
  { regime: 'admission', provider: 'school-almaty-12', outcome: 'issued', grade: 7, lateness: 0.7 },
  { regime: 'home-604', provider: 'school-esik-5', outcome: 'issued' },
  { regime: 'home-office', provider: 'school-almaty-12', outcome: 'issued', complaint: 'provider-on-time' },
  { regime: 'home-portal', provider: 'school-esik-5', outcome: 'issued', complaint: 'authority-late', lateness: 1 },
  { regime: 'home-portal', provider: 'special-school-3', outcome: 'refused', grounds: ['incomplete-documents', 'expired-documents'], complaint: 'forwarded' },
  { regime: 'pmpc', provider: 'pmpc-almaty-1', outcome: 'withdrawn' },
  { regime: 'home-portal', provider: 'school-almaty-12', outcome: 'withdrawn', complaint: 'withdrawn' },
  { regime: 'pmpc', provider: 'pmpc-taldykorgan', outcome: 'issued', correction: 'late-entry' },
  { regime: 'rehab', provider: 'rehab-taldykorgan', outcome: 'issued', correction: 'journal' },
  { regime: 'home-office', provider: 'school-esik-5', outcome: 'issued', complaint: 'provider-late' },
  { regime: 'home-portal', provider: 'school-almaty-12', outcome: 'issued', complaint: 'court' },
  { regime: 'home-office', provider: 'school-esik-5', outcome: 'refused', grounds: ['expired-documents'] },
  { regime: 'pmpc', provider: 'pmpc-taldykorgan', outcome: 'issued', lateness: 0.6, correction: 'executor' },
  { regime: 'home-portal', provider: 'special-school-3', outcome: 'issued', complaint: 'authority-on-time' },
  { regime: 'admission', provider: 'special-school-3', outcome: 'refused', grounds: ['incomplete-documents'], grade: 3 },
  { regime: 'rehab', provider: 'correction-kapshagay', outcome: 'issued', correction: 'session' },
];

const SERVICE_OF: Record<Regime, { service: ServiceCode; regulationId: string; channel: Channel }> = {
  pmpc: { service: 'pmpc-examination', regulationId: REG_604, channel: 'office' },
  rehab: { service: 'rehabilitation', regulationId: REG_604, channel: 'office' },
  admission: { service: 'special-school-admission', regulationId: REG_604, channel: 'office' },
  'home-604': { service: 'home-education', regulationId: REG_604, channel: 'office' },
  'home-office': { service: 'home-education', regulationId: REG_HOME_2020, channel: 'office' },
  'home-portal': { service: 'home-education', regulationId: REG_HOME_2020, channel: 'portal' },
};

function randomScenario(rng: Rng): Scenario {
  const regime = rng.weighted<Regime>([
    ['pmpc', 26],
    ['rehab', 14],
    ['admission', 14],
    ['home-604', 8],
    ['home-office', 21],
    ['home-portal', 17],
  ]);
  const outcome = rng.weighted([['issued', 86], ['refused', 8], ['withdrawn', 6]] as const);
  const grounds: RefusalGround[] = rng.weighted<RefusalGround[]>([
    [['incomplete-documents'], 55],
    [['expired-documents'], 30],
    [['incomplete-documents', 'expired-documents'], 15],
  ]);
  const home2020 = regime === 'home-office' || regime === 'home-portal';
  const complaint =
    home2020 && rng.chance(0.22)
      ? rng.weighted<ComplaintScenario>([
          ['provider-on-time', 40],
          ['provider-late', 15],
          ['authority-on-time', 15],
          ['authority-late', 8],
          ['forwarded', 10],
          ['withdrawn', 7],
          ['court', 5],
        ])
      : null;
  const corrections: CorrectionKind[] = regime === 'rehab' ? ['journal', 'session', 'executor', 'late-entry'] : regime === 'pmpc' ? ['journal', 'executor', 'late-entry'] : regime === 'admission' ? ['journal'] : ['journal', 'late-entry'];
  const correction = outcome === 'issued' && rng.chance(0.06) ? rng.pick(corrections) : undefined;
  return { regime, outcome, grounds, complaint, correction };
}

/** A working-day instant in [from, to] (office hours), or any instant for the portal (evenings and weekends too). */
function submissionInstant(rng: Rng, from: string, to: string, channel: Channel, schedule: WorkingSchedule): number {
  const span = Math.round((midnight(to) - midnight(from)) / 86_400_000);
  const day = addDays(from, rng.int(0, span));
  if (channel === 'portal' && rng.chance(0.4)) return midnight(day) + rng.int(7 * 60, 23 * 60 + 50) * MINUTE;
  const working = workingDayOnOrAfter(day);
  return randomMinuteOf(rng, working <= to ? working : workingDayOnOrBefore(to), schedule);
}

function historyDates(rng: Rng, regime: Regime, grade: number | undefined): [string, string] {
  switch (regime) {
    case 'admission':
      // Resolution No. 604, appendix 3, paragraph 5: first grade 1 July - 30 August; other grades no later than 30 August.
      if (grade === 1) return ['2019-07-01', '2019-08-30'];
      return rng.chance(0.85) ? ['2019-05-02', '2019-08-30'] : ['2020-01-09', RESOLUTION_604.to];
    case 'home-office':
    case 'home-portal': {
      if (rng.chance(0.35)) {
        const year = rng.int(2020, 2025);
        return [`${year}-08-15`, `${year}-09-30`];
      }
      return [RULES_2020_FROM, HISTORY_END];
    }
    default:
      return [RESOLUTION_604.from, RESOLUTION_604.to];
  }
}

function childAgeFor(rng: Rng, service: ServiceCode, grade: number | undefined): number {
  switch (service) {
    case 'pmpc-examination':
      return rng.int(2, 15);
    case 'rehabilitation':
      return rng.int(3, 14);
    default:
      return 6 + (grade ?? 1);
  }
}

interface PlanContext {
  seed: string;
  today: string;
  staff: ProviderStaff[];
  qc: StaffMember;
}

const staffFor = (ctx: PlanContext, id: string) => {
  const found = ctx.staff.find((s) => s.provider.id === id);
  if (!found) throw new Error(`no demo provider ${id}`);
  return found;
};

function providersFor(ctx: PlanContext, service: ServiceCode): ProviderStaff[] {
  return ctx.staff.filter((s) => (s.provider.services as string[]).includes(service));
}

function historyCase(ctx: PlanContext, i: number): PlannedChain {
  const rng = createRng(ctx.seed, 'history', i);
  const scenario = i < MANDATORY.length ? MANDATORY[i] : randomScenario(rng);
  const { service, regulationId, channel } = SERVICE_OF[scenario.regime];
  const staff = scenario.provider ? staffFor(ctx, scenario.provider) : service === 'special-school-admission' ? staffFor(ctx, rng.chance(0.7) ? 'special-school-3' : 'school-almaty-12') : rng.pick(providersFor(ctx, service));
  const grade = scenario.grade ?? (service === 'special-school-admission' ? (rng.chance(0.4) ? 1 : rng.int(2, 9)) : service === 'home-education' ? rng.int(1, 11) : undefined);
  const [from, to] = historyDates(rng, scenario.regime, grade);
  const submittedAt = submissionInstant(rng, from, to, channel, staff.schedule);
  const family = makeFamily(rng, dateOf(submittedAt), childAgeFor(rng, service, grade), staff.provider.region);
  const account = channel === 'portal' ? portalAccount(rng) : null;
  const outcome = scenario.outcome ?? 'issued';
  const b = new ChainBuilder(`seed-${ctx.seed}-h${i}`);
  const spec: CaseSpec = {
    service,
    regulationId,
    channel,
    staff,
    submittedAt,
    grade,
    family,
    account,
    outcome:
      outcome === 'refused'
        ? { kind: 'refused', grounds: scenario.grounds ?? ['incomplete-documents'] }
        : outcome === 'withdrawn'
          ? { kind: 'withdrawn', afterActions: rng.int(0, 4) }
          : { kind: 'issued' },
    lateness: scenario.lateness ?? staff.lateness,
    correction: scenario.correction,
  };
  const built = buildCase(b, rng, spec, false, ctx.today);
  const complaints: ComplaintMeta[] = [];
  if (scenario.complaint) {
    const filedOn = workingDayOnOrAfter(addDays(dateOf(built.submittedAt), rng.int(3, 25)));
    const viaPortal = scenario.complaint === 'court' || (channel === 'portal' ? rng.chance(0.8) : rng.chance(0.3));
    complaints.push(
      buildComplaint(
        b,
        rng,
        1,
        {
          scenario: scenario.complaint,
          addressee: addresseeOf(scenario.complaint),
          staff,
          qc: ctx.qc,
          complainant: family.applicant,
          account: viaPortal ? (account ?? portalAccount(rng)) : null,
          caseBound: true,
          subject: built.meta.outcome === 'refused' ? 'decision' : built.meta.lateSteps.length > 0 ? 'inaction' : rng.pick(['action', 'decision'] as const),
          filedAt: randomMinuteOf(rng, filedOn, staff.schedule),
        },
        false,
        ctx.today,
      ),
    );
  }
  return { id: `h${i}`, case: built.meta, complaints, requests: b.requests };
}

/** Complaints with no case (about the provider's conduct in general), over the years the complaint terms cover. */
function historyComplaint(ctx: PlanContext, k: number): PlannedChain {
  const rng = createRng(ctx.seed, 'complaint', k);
  const staff = rng.pick(ctx.staff);
  const scenario = rng.weighted<ComplaintScenario>([
    ['provider-on-time', 35],
    ['provider-late', 15],
    ['authority-on-time', 20],
    ['authority-late', 10],
    ['forwarded', 12],
    ['withdrawn', 8],
  ]);
  const filedAt = submissionInstant(rng, RULES_2020_FROM, HISTORY_END, 'office', staff.schedule);
  const family = makeFamily(rng, dateOf(filedAt), rng.int(3, 15), staff.provider.region);
  const b = new ChainBuilder(`seed-${ctx.seed}-k${k}`);
  const meta = buildComplaint(
    b,
    rng,
    1,
    { scenario, addressee: addresseeOf(scenario), staff, qc: ctx.qc, complainant: family.applicant, account: rng.chance(0.5) ? portalAccount(rng) : null, caseBound: false, subject: rng.pick(['action', 'inaction'] as const), filedAt },
    false,
    ctx.today,
  );
  return { id: `k${k}`, case: null, complaints: [meta], requests: b.requests };
}

// ------------------------------------------------------------------------------------- recent items

type RecentCase =
  /** Portal application submitted `ago` working days before today; nobody has answered it. */
  | { kind: 'portal-waiting'; ago: number; complaint?: { registeredAgo: number; scenario: 'open' } }
  | { kind: 'portal-accepted-late'; ago: number }
  | { kind: 'office-with-head'; ago: number }
  | { kind: 'office-issued'; ago: number; complaint?: { registeredAgo: number; scenario: 'open' } }
  | { kind: 'portal-issued'; ago: number }
  | { kind: 'refused'; ago: number; channel: Channel; grounds: RefusalGround[] }
  | { kind: 'portal-withdrawn'; ago: number }
  | { kind: 'office-corrected'; ago: number };

/**
 * Home education under the later rules only has a term on the portal's first step (2 working days,
 * Source B paragraph 5): waiting portal applications are what goes overdue.
 */
const RECENT_CASES: RecentCase[] = [
  { kind: 'portal-waiting', ago: 1 },
  { kind: 'portal-waiting', ago: 4 },
  { kind: 'portal-waiting', ago: 6, complaint: { registeredAgo: 2, scenario: 'open' } },
  { kind: 'portal-accepted-late', ago: 10 },
  { kind: 'office-with-head', ago: 2 },
  { kind: 'refused', ago: 3, channel: 'portal', grounds: ['expired-documents'] },
  { kind: 'office-issued', ago: 15, complaint: { registeredAgo: 8, scenario: 'open' } },
  { kind: 'refused', ago: 2, channel: 'office', grounds: ['incomplete-documents'] },
  { kind: 'portal-withdrawn', ago: 9 },
  { kind: 'portal-issued', ago: 14 },
  { kind: 'office-corrected', ago: 5 },
  { kind: 'portal-waiting', ago: 3 },
  { kind: 'portal-waiting', ago: 10 },
];

type RecentComplaint = { scenario: ComplaintScenario; addressee: 'provider' | 'authorized-body'; registeredAgo: number; filedAgo?: number };

const RECENT_COMPLAINTS: RecentComplaint[] = [
  { scenario: 'open', addressee: 'provider', registeredAgo: 7 },
  { scenario: 'open', addressee: 'provider', registeredAgo: 4 },
  { scenario: 'open', addressee: 'authorized-body', registeredAgo: 18 },
  { scenario: 'open', addressee: 'authorized-body', registeredAgo: 6 },
  { scenario: 'forwarded', addressee: 'provider', registeredAgo: 9 },
  { scenario: 'forwarded-waiting', addressee: 'provider', registeredAgo: 3 },
  { scenario: 'filed', addressee: 'provider', registeredAgo: 0, filedAgo: 1 },
  { scenario: 'provider-late', addressee: 'provider', registeredAgo: 12 },
  { scenario: 'authority-on-time', addressee: 'authorized-body', registeredAgo: 14 },
  { scenario: 'open', addressee: 'provider', registeredAgo: 11 },
  { scenario: 'open', addressee: 'authorized-body', registeredAgo: 2 },
];

const HOME_PROVIDERS = ['school-almaty-12', 'school-esik-5', 'special-school-3'];

function recentCase(ctx: PlanContext, j: number): PlannedChain {
  const rng = createRng(ctx.seed, ctx.today, 'recent', j);
  const item = RECENT_CASES[j % RECENT_CASES.length];
  const staff = staffFor(ctx, HOME_PROVIDERS[j % HOME_PROVIDERS.length]);
  const schedule = staff.schedule;
  const day = workingDaysBefore(ctx.today, item.ago + Math.floor(j / RECENT_CASES.length));
  const channel: Channel = item.kind === 'refused' ? item.channel : item.kind.startsWith('portal') ? 'portal' : 'office';
  // Waiting portal requests arrive in working hours, so their 2 working days count from that day.
  const submittedAt = randomMinuteOf(rng, day, schedule);
  const grade = rng.int(1, 11);
  const family = makeFamily(rng, day, 6 + grade, staff.provider.region);
  const account = channel === 'portal' ? portalAccount(rng) : null;
  const b = new ChainBuilder(`seed-${ctx.seed}-${ctx.today}-r${j}`);
  const base = { service: 'home-education' as const, regulationId: REG_HOME_2020, channel, staff, submittedAt, grade, family, account, lateness: 0 };
  let spec: CaseSpec;
  switch (item.kind) {
    case 'portal-waiting':
      spec = { ...base, outcome: { kind: 'open', afterActions: 0 } };
      break;
    case 'portal-accepted-late':
      spec = { ...base, outcome: { kind: 'open', afterActions: 2 }, forced: { 'home-b-portal-1': 'late' } };
      break;
    case 'office-with-head':
      spec = { ...base, outcome: { kind: 'open', afterActions: 3 } };
      break;
    case 'office-issued':
    case 'portal-issued':
      spec = { ...base, outcome: { kind: 'issued' } };
      break;
    case 'refused':
      spec = { ...base, outcome: { kind: 'refused', grounds: item.grounds } };
      break;
    case 'portal-withdrawn':
      spec = { ...base, outcome: { kind: 'withdrawn', afterActions: 1 } };
      break;
    case 'office-corrected':
      spec = { ...base, outcome: { kind: 'open', afterActions: 4 }, correction: 'journal' };
      break;
  }
  const built = buildCase(b, rng, spec, true, ctx.today);
  const complaints: ComplaintMeta[] = [];
  if ('complaint' in item && item.complaint) {
    const registeredOn = workingDaysBefore(ctx.today, item.complaint.registeredAgo);
    const filedAt = Math.max(built.submittedAt + MINUTE, midnight(registeredOn) - rng.int(1, 3) * 86_400_000 + 10 * 60 * MINUTE);
    complaints.push(
      buildComplaint(
        b,
        rng,
        1,
        { scenario: item.complaint.scenario, addressee: 'provider', staff, qc: ctx.qc, complainant: family.applicant, account: account ?? portalAccount(rng), caseBound: true, subject: 'inaction', filedAt, registeredOn },
        true,
        ctx.today,
      ),
    );
  }
  return { id: `r${j}`, case: built.meta, complaints, requests: b.requests };
}

function recentComplaint(ctx: PlanContext, j: number): PlannedChain {
  const rng = createRng(ctx.seed, ctx.today, 'recent-complaint', j);
  const item = RECENT_COMPLAINTS[j % RECENT_COMPLAINTS.length];
  const staff = ctx.staff[(j * 3) % ctx.staff.length];
  const extra = Math.floor(j / RECENT_COMPLAINTS.length);
  const registeredOn = workingDaysBefore(ctx.today, Math.max(1, item.registeredAgo + extra));
  const filedOn = item.filedAgo ? workingDaysBefore(ctx.today, item.filedAgo) : rng.chance(0.5) ? registeredOn : workingDaysBefore(registeredOn, 1);
  const filedAt = randomMinuteOf(rng, filedOn, staff.schedule);
  const family = makeFamily(rng, filedOn, rng.int(3, 15), staff.provider.region);
  const b = new ChainBuilder(`seed-${ctx.seed}-${ctx.today}-k${j}`);
  const meta = buildComplaint(
    b,
    rng,
    1,
    {
      scenario: item.scenario,
      addressee: item.addressee,
      staff,
      qc: ctx.qc,
      complainant: family.applicant,
      account: rng.chance(0.6) || item.scenario === 'filed' ? portalAccount(rng) : null,
      caseBound: false,
      subject: rng.pick(['action', 'inaction', 'decision'] as const),
      filedAt,
      registeredOn: item.scenario === 'filed' ? undefined : registeredOn,
    },
    true,
    ctx.today,
  );
  return { id: `rk${j}`, case: null, complaints: [meta], requests: b.requests };
}

// ------------------------------------------------------------------------------------------ the plan

/**
 * Drops what would lie on or after today (only when the plan is made for a date before the history ends):
 * each case or complaint keeps the prefix of its actions dated before today.
 */
function truncate(chain: PlannedChain, limit: number): PlannedChain | null {
  const kept: PlannedRequest[] = [];
  const stopped = new Set<string>();
  let segment = 'case';
  for (const r of chain.requests) {
    if (r.bind) segment = r.bind;
    if (stopped.has(segment)) continue;
    if (r.at >= limit) {
      stopped.add(segment);
      continue;
    }
    kept.push(r);
  }
  if (kept.length === chain.requests.length) return chain;
  if (stopped.has('case') && !kept.some((r) => r.bind === 'case')) return chain.case ? null : kept.length ? { ...chain, requests: kept } : null;
  return {
    ...chain,
    case: chain.case && stopped.has('case') ? { ...chain.case, outcome: 'open' } : chain.case,
    complaints: chain.complaints.map((c, i) => (stopped.has(`complaint-${i + 1}`) ? { ...c, outcome: 'open' as const, overdueNow: false } : c)),
    requests: kept,
  };
}

/**
 * A portal application under the later rules nobody has answered: Source B, paragraph 5 gives two working
 * days from the request (counted from the next working period when it arrives outside working time).
 */
function markOverdue(chain: PlannedChain, today: string, staff: ProviderStaff[]): PlannedChain {
  const c = chain.case;
  if (!c || c.regulationId !== REG_HOME_2020 || c.channel !== 'portal') return chain;
  const answered = chain.requests.some((r) => ['SendAcceptanceNotification', 'RefuseApplication', 'WithdrawApplication'].includes(r.label));
  const submitted = chain.requests.find((r) => r.bind === 'case');
  if (answered || !submitted) return chain;
  const norm = stepsOf(REG_HOME_2020, 'home-education', 'portal')[0].norm;
  if (norm.kind !== 'limit' || norm.unit !== 'working-days') return chain;
  const schedule = staff.find((s) => s.provider.id === c.providerId)?.schedule;
  const start = effectiveStart(submitted.at, 'portal', schedule).getTime();
  return { ...chain, case: { ...c, overdueNow: lastDayOfTerm(dateOf(start), norm.amount, 'working-days') < today } };
}

export const DEFAULT_CASES = 300;

/** How many of `cases` are recent (dated in the last weeks) rather than history. */
export function recentShare(cases: number): number {
  return Math.min(cases, Math.max(10, Math.round(cases * 0.07)));
}

export function planSeed(options: PlanOptions): SeedPlan {
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(options.seed)) throw new Error('the seed must be 1-40 letters, digits, dots, dashes or underscores');
  if (!Number.isInteger(options.cases) || options.cases < 1) throw new Error('cases must be a whole number >= 1');
  const today = dateOf(options.now.getTime());
  const { staff, qualityControl } = seedStaff();
  const ctx: PlanContext = { seed: options.seed, today, staff, qc: qualityControl };
  const recent = recentShare(options.cases);
  const history = options.cases - recent;
  const limit = midnight(today);
  const chains: PlannedChain[] = [];
  const keep = (chain: PlannedChain) => {
    const t = truncate(chain, limit);
    if (t && t.requests.length) chains.push(markOverdue(t, today, staff));
  };
  for (let i = 0; i < history; i++) keep(historyCase(ctx, i));
  for (let k = 0; k < Math.max(2, Math.round(options.cases * 0.03)); k++) keep(historyComplaint(ctx, k));
  for (let j = 0; j < recent; j++) keep(recentCase(ctx, j));
  for (let j = 0; j < Math.max(RECENT_COMPLAINTS.length, Math.round(options.cases * 0.04)); j++) keep(recentComplaint(ctx, j));
  return { seed: options.seed, today, cases: options.cases, staff, qualityControl, chains };
}
