/**
 * History replay: a stream's events and a cut -> what the record showed at that cut. Pure (no I/O, no clock):
 * the caller reads the events and says where to cut and at which instant to judge.
 *
 * Basis: what was *recorded* by the cut. An action that happened before the instant but was recorded after it
 * was not known then: it is left out of the state and verdicts and listed in `recordedLater` instead.
 */
import type { RecordedEvent } from '@sped/event-store';
import {
  caseStage,
  caseSteps,
  currentRegistration,
  foldCase,
  foldComplaint,
  initialCaseState,
  initialComplaintState,
  type CaseEvent,
  type CaseState,
  type ComplaintEvent,
  type ComplaintState,
  type ExistingCase,
  type ExistingComplaint,
} from '@sped/domain';
import { almatyClock, DEFAULT_SCHEDULE, dueAt, judgeNorm, toLocalIso, type Norm, type RegulationVersion, type Verdict, type WorkingSchedule, LATE_RECORDING } from '@sped/regulations';

/** Where the replay stops. Instants are ISO-8601 with an offset; positions are the store's decimal strings. */
export type HistoryCut =
  /** Everything recorded so far, judged at `now`. */
  | { kind: 'everything'; now: string }
  /** Events recorded at or before `at` (compared to the microsecond), judged at `at`. */
  | { kind: 'at'; at: string }
  /** Events at or before the global `position`, judged at `at`: the recordedAt of the log's event at that position. */
  | { kind: 'position'; position: string; at: string };

/**
 * An event counts as recorded late when it was recorded after the end of the first working day following the
 * day it happened (Almaty dates, the working calendar; counted the way a 1-working-day term runs, DESIGN.md
 * "Time"). This is the project's threshold for flagging, not a legal norm: no source sets a recording term.
 * Something done on Friday and recorded on Monday is not late; recorded on Tuesday, it is.
 */
export const LATE_RECORDING_THRESHOLD = LATE_RECORDING;

const MICROS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch microseconds of an ISO-8601 instant. The PostgreSQL store keeps recordedAt to the microsecond, so a
 * cut compared in milliseconds could disagree with the same cut pushed down to the store.
 */
export function epochMicros(instant: string): number {
  // Fast path for the store's own form, 2019-06-03T03:00:00.123456Z (or .123Z), read digit by digit (once per
  // event of a replay); what it does not take for certain goes through Date.parse as before.
  const fast = storeFormMicros(instant);
  if (fast !== null) return fast;
  if (instant.length >= 24 && instant.charCodeAt(instant.length - 1) === 90 && instant.charCodeAt(19) === 46 && instant.length <= 27) {
    const seconds = Date.parse(instant.slice(0, 19) + 'Z');
    const fraction = instant.slice(20, -1);
    if (!Number.isNaN(seconds) && /^\d+$/.test(fraction)) return seconds * 1000 + Number(fraction.padEnd(6, '0'));
  }
  const m = MICROS.exec(instant);
  const seconds = m ? Date.parse(m[1] + m[3]) : Number.NaN;
  if (!m || Number.isNaN(seconds)) throw new RangeError(`not an ISO-8601 instant with an offset: ${JSON.stringify(instant)}`);
  return seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits of `s` from `from` to `to` (exclusive) as a number; -1 if any is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Epoch microseconds of YYYY-MM-DDTHH:MM:SS.fff[fff]Z with every field in range; null for anything else. */
function storeFormMicros(s: string): number | null {
  const n = s.length;
  if (n < 24 || n > 27 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(19) !== 46 /* . */) return null;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const fraction = digits(s, 20, n - 1);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) return null;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second) * 1000 + fraction * 10 ** (6 - (n - 21));
}

/** An instant as UTC ISO-8601 with microseconds (digits beyond the microsecond are dropped, never rounded). */
export function canonicalInstant(instant: string): string {
  const us = epochMicros(instant);
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, -1)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

function positionAtOrBefore(position: string, cut: string): boolean {
  return position.length === cut.length ? position <= cut : position.length < cut.length;
}

function isIncluded(event: RecordedEvent, recordedMicros: number, cut: HistoryCut, cutMicros: number): boolean {
  if (cut.kind === 'everything') return true;
  if (cut.kind === 'position') return positionAtOrBefore(event.position, cut.position);
  return recordedMicros <= cutMicros;
}

/** The judging instant of a cut. */
export function asOfInstant(cut: HistoryCut): string {
  return canonicalInstant(cut.kind === 'everything' ? cut.now : cut.at);
}

// ---------------------------------------------------------------------------------------------------------
// Events as shown

export interface HistoryActor {
  role: string;
  userId: string;
  providerId: string | null;
}

export interface HistoryEvent {
  eventId: string;
  type: string;
  streamVersion: number;
  position: string;
  actor: HistoryActor;
  /** When it happened, as stated by whoever recorded it. */
  occurredAt: string;
  /** When the store took it. */
  recordedAt: string;
  /** Recorded after the LATE_RECORDING_THRESHOLD. */
  recordedLate: boolean;
  /** Wall-clock milliseconds from occurredAt to recordedAt (slightly negative within the allowed clock skew). */
  recordingDelayMs: number;
  /** The regulation step the event belongs to, if any. */
  stepId: string | null;
  /** For a correction: the event whose values it replaces (the original or its latest correction). */
  corrects?: { eventId: string; type: string };
  /** The event's data; every personal field (a sealed blob) reads `"sealed"` and never leaves. */
  data: Record<string, unknown>;
  correlationId?: string;
  causationId?: string;
}

/** An event recorded after the cut that, as stated, happened before it. */
export interface RecordedLaterEvent {
  eventId: string;
  type: string;
  streamVersion: number;
  position: string;
  stepId: string | null;
  actor: HistoryActor;
  occurredAt: string;
  recordedAt: string;
}

export const SEALED = 'sealed';

/** Personal data travels as `{ personId, sealed }`: any such object is replaced, wherever it sits. */
function withoutPersonalData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutPersonalData);
  if ('sealed' in value) return SEALED;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(source)) out[k] = withoutPersonalData(source[k]);
  return out;
}

/** An event's data as shown: the step mark moves to the envelope, personal data is withheld. */
function shownData(data: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (data === null || typeof data !== 'object') return out;
  const source = data as Record<string, unknown>;
  for (const k of Object.keys(source)) {
    if (k === 'stepId' || k === 'completesStep') continue;
    const v = source[k];
    out[k] = v === null || typeof v !== 'object' ? v : withoutPersonalData(v);
  }
  return out;
}

function actorOf(event: RecordedEvent): HistoryActor {
  const a = event.metadata.actor;
  return { role: a.role, userId: a.userId, providerId: a.providerId ?? null };
}

function stepIdOf(event: RecordedEvent): string | null {
  const d = event.data as { stepId?: unknown } | null;
  return typeof d?.stepId === 'string' ? d.stepId : null;
}

/**
 * Whether an event was recorded later than the threshold allows. Day terms do not depend on the provider's
 * working hours, so no schedule is needed.
 */
function lateRecordingJudge() {
  const cache = new Map<number, number>();
  return (occurredMs: number, recordedMicros: number): boolean => {
    // Keyed by the Almaty date: a day term runs from the date it starts on, whatever the time of day.
    const day = almatyClock.localDay(occurredMs);
    let limitMs = cache.get(day);
    if (limitMs === undefined) {
      limitMs = dueAt(occurredMs, LATE_RECORDING_THRESHOLD.amount, LATE_RECORDING_THRESHOLD.unit).dueAt.getTime();
      cache.set(day, limitMs);
    }
    return recordedMicros > limitMs * 1000;
  };
}

function showEvent(event: RecordedEvent, recordedMicros: number, isLate: (occurredMs: number, recordedMicros: number) => boolean): HistoryEvent {
  const occurredAt = event.metadata.occurredAt;
  const occurredMs = Date.parse(occurredAt);
  const shown: HistoryEvent = {
    eventId: event.id,
    type: event.type,
    streamVersion: event.streamVersion,
    position: event.position,
    actor: actorOf(event),
    occurredAt,
    recordedAt: event.recordedAt,
    recordedLate: isLate(occurredMs, recordedMicros),
    recordingDelayMs: Math.floor(recordedMicros / 1000) - occurredMs,
    stepId: stepIdOf(event),
    data: shownData(event.data),
  };
  if (event.type === 'ActionCorrected') {
    const d = event.data as { correctedEventId: string; correctedType: string };
    shown.corrects = { eventId: d.correctedEventId, type: d.correctedType };
  }
  if (typeof event.metadata.correlationId === 'string') shown.correlationId = event.metadata.correlationId;
  if (typeof event.metadata.causationId === 'string') shown.causationId = event.metadata.causationId;
  return shown;
}

function showLater(event: RecordedEvent): RecordedLaterEvent {
  return {
    eventId: event.id,
    type: event.type,
    streamVersion: event.streamVersion,
    position: event.position,
    stepId: stepIdOf(event),
    actor: actorOf(event),
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt,
  };
}

/**
 * Events up to the cut as shown, the state folded over them (once, with the domain's fold, which builds the
 * state's arrays once instead of copying them on every event), and what came later.
 */
function replay<S>(events: readonly RecordedEvent[], cut: HistoryCut, fold: (events: readonly RecordedEvent[]) => S) {
  const asOf = asOfInstant(cut);
  const asOfMicros = epochMicros(asOf);
  const isLate = lateRecordingJudge();
  const shown: HistoryEvent[] = [];
  const kept: RecordedEvent[] = [];
  const later: RecordedLaterEvent[] = [];
  for (const event of events) {
    const recordedMicros = epochMicros(event.recordedAt);
    if (isIncluded(event, recordedMicros, cut, asOfMicros)) {
      shown.push(showEvent(event, recordedMicros, isLate));
      kept.push(event);
    } else if (epochMicros(event.metadata.occurredAt) <= asOfMicros) {
      later.push(showLater(event));
    }
  }
  const state = fold(kept);
  const last = shown.at(-1);
  return {
    asOf,
    events: shown,
    state,
    recordedLater: later,
    lastEvent: last ? { streamVersion: last.streamVersion, position: last.position } : null,
    eventsAfterCut: events.length - shown.length,
  };
}

function describeCut(cut: HistoryCut) {
  return cut.kind === 'everything' ? null : cut.kind === 'at' ? { at: cut.at } : { position: cut.position };
}

export interface VerdictView {
  status: Verdict['status'];
  /** When the term expires, in Almaty time. */
  dueAt: string | null;
  /** For a window norm: the earliest allowed instant, in Almaty time. */
  earliestAt: string | null;
  lastDay: string | null;
  excess: Verdict['excess'];
  overByMs: number | null;
  remaining: Verdict['remaining'];
  provisional: boolean;
  note?: string;
}

function showVerdict(v: Verdict): VerdictView {
  const view: VerdictView = {
    status: v.status,
    dueAt: v.dueAtLocal,
    earliestAt: v.earliestAtLocal,
    lastDay: v.lastDay,
    excess: v.excess,
    overByMs: v.overByMs,
    remaining: v.remaining,
    provisional: v.provisional,
  };
  if (v.note !== undefined) view.note = v.note;
  return view;
}

const envelope = (cut: HistoryCut, asOf: string) => ({
  basis: 'recorded' as const,
  cut: describeCut(cut),
  asOf,
  asOfLocal: toLocalIso(asOf),
  lateRecordingThreshold: LATE_RECORDING_THRESHOLD,
});

// ---------------------------------------------------------------------------------------------------------
// Cases

export interface CaseReplayInput {
  /** The case stream's events in version order; events past the cut are allowed (they feed `recordedLater`). */
  events: readonly RecordedEvent[];
  cut: HistoryCut;
  /** The case's regulation version (the submission's regulationId); undefined when it is not loaded. */
  regulation: RegulationVersion | undefined;
  /** The provider's working schedule (minute and hour norms count its working time). */
  schedule?: WorkingSchedule;
}

function caseStateView(state: ExistingCase) {
  const submission = state.actions.find((a) => a.type === 'ApplicationSubmitted');
  return {
    status: state.status,
    stage: caseStage(state),
    service: state.serviceCode,
    providerId: state.providerId,
    channel: state.channel,
    regulationId: state.regulationId,
    executorId: state.executorId,
    documents: state.documents,
    grade: state.grade,
    submittedAt: submission?.occurredAt ?? null,
    submittedBy: state.submittedBy,
    deadlinesPassed: state.deadlinesPassed,
  };
}

function judgeStep(norm: Norm, startedAt: string | null, completedAt: string | null, stopped: boolean, asOf: string, schedule: WorkingSchedule) {
  if (stopped || !startedAt) return null;
  return showVerdict(judgeNorm(norm, startedAt, completedAt, asOf, schedule));
}

/** The case as the record showed it at the cut: its events, folded state, and each step's norm and verdict then. */
export function replayCaseHistory(input: CaseReplayInput) {
  const schedule = input.schedule ?? DEFAULT_SCHEDULE;
  const r = replay<CaseState>(input.events, input.cut, (events) => foldCase(events as unknown as CaseEvent[], initialCaseState));
  const state = r.state.status === 'none' ? null : r.state;
  const regulation = state ? input.regulation : undefined;
  const steps =
    state && regulation
      ? caseSteps(state, regulation).map((s) => ({
          stepId: s.stepId,
          order: s.order,
          roles: s.roles,
          status: s.status,
          norm: { ...s.norm, regulationId: regulation.id },
          startedAt: s.startedAt,
          completedAt: s.completedAt,
          performedBy: s.performedBy,
          completedByEventId: s.completedByEventId,
          /** Activities of the step recorded by then (sessions, signatures); each is in `events` with this stepId. */
          activityCount: s.activities.length,
          lastActivityAt: s.activities.reduce<string | null>((last, a) => (last === null || a.occurredAt > last ? a.occurredAt : last), null),
          deadlinePassed: s.deadlinePassed,
          verdict: judgeStep(s.norm, s.startedAt, s.completedAt, s.status === 'stopped', r.asOf, schedule),
        }))
      : [];
  return {
    ...envelope(input.cut, r.asOf),
    lastEvent: r.lastEvent,
    eventsAfterCut: r.eventsAfterCut,
    events: r.events,
    state: state && caseStateView(state),
    regulation: state ? (regulation ? { id: regulation.id, title: regulation.title, source: regulation.source } : { id: state.regulationId }) : null,
    steps,
    recordedLater: r.recordedLater,
  };
}

export type CaseHistoryView = ReturnType<typeof replayCaseHistory>;
export type StepHistoryView = CaseHistoryView['steps'][number];

// ---------------------------------------------------------------------------------------------------------
// Complaints

export interface ComplaintReplayInput {
  events: readonly RecordedEvent[];
  cut: HistoryCut;
}

function complaintStateView(s: ExistingComplaint) {
  return {
    status: s.status,
    providerId: s.providerId,
    caseId: s.caseId,
    subject: s.subject,
    receivedVia: s.receivedVia,
    addressee: s.addressee,
    filedAt: s.filedAt,
    filedBy: s.filedBy,
    registrations: s.registrations.map((g) => ({ eventId: g.eventId, addressee: g.addressee, registrationNumber: g.registrationNumber, registeredAt: g.registeredAt, term: g.term })),
    forwarded: s.forwarded,
    answer: s.answer && { addressee: s.answer.addressee, outcome: s.answer.outcome, answeredAt: s.answer.answeredAt, answeredBy: s.answer.answeredBy, text: SEALED },
    withdrawal: s.withdrawal,
    court: s.court,
  };
}

/**
 * The review term of the registration with the current addressee (or the latest one) and its verdict then:
 * answered -> on time or late; registered -> open, at risk or overdue at the cut; forwarded, withdrawn or
 * taken to court without an answer -> the term stopped running, no verdict.
 */
function reviewTermView(s: ExistingComplaint, asOf: string) {
  const registration = currentRegistration(s) ?? s.registrations.at(-1);
  if (!registration) return null;
  const { term } = registration;
  const norm: Norm = { kind: 'limit', amount: term.amount, unit: term.unit, source: term.source };
  const running = s.status === 'registered' && registration.addressee === s.addressee;
  const verdict = s.answer
    ? showVerdict(judgeNorm(norm, registration.registeredAt, s.answer.answeredAt, asOf))
    : running
      ? showVerdict(judgeNorm(norm, registration.registeredAt, null, asOf))
      : null;
  return {
    addressee: registration.addressee,
    registrationNumber: registration.registrationNumber,
    registeredAt: registration.registeredAt,
    term: { termsId: term.termsId, amount: term.amount, unit: term.unit, startsOn: term.startsOn, source: term.source },
    verdict,
    /** The term no longer runs and was not answered (forwarded, withdrawn, taken to court): no verdict. */
    stopped: verdict === null,
  };
}

/** The complaint as the record showed it at the cut: its events, folded state, and its review term's verdict then. */
export function replayComplaintHistory(input: ComplaintReplayInput) {
  const r = replay<ComplaintState>(input.events, input.cut, (events) => foldComplaint(events as unknown as ComplaintEvent[], initialComplaintState));
  const state = r.state.status === 'none' ? null : r.state;
  return {
    ...envelope(input.cut, r.asOf),
    lastEvent: r.lastEvent,
    eventsAfterCut: r.eventsAfterCut,
    events: r.events,
    state: state && complaintStateView(state),
    reviewTerm: state && reviewTermView(state, r.asOf),
    recordedLater: r.recordedLater,
  };
}

export type ComplaintHistoryView = ReturnType<typeof replayComplaintHistory>;
