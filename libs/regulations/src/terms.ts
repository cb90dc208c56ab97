/**
 * Term arithmetic, exactly as DESIGN.md ("Time") states it (Law on administrative procedures Art. 12-1; the
 * Administrative Procedural Code from 2021-07-01 keeps the convention):
 * - a term in days starts on the day after its starting event and expires at the end of its last day;
 * - working days: the last day is the Nth working day after the starting day;
 * - calendar days: the last day is starting day + N, moved to the next working day if it is not one;
 * - minutes and hours: working time of the provider's schedule counted from the starting instant; a start
 *   outside working time counts from the next working period;
 * - `dueAt` is the instant the term expires: 00:00 local of the day after the last day, or the instant the
 *   working time runs out. An action is late when it happens after `dueAt`.
 * Days are Asia/Almaty local dates.
 */
import type { Channel, Norm, NormUnit } from './regulation.types.js';
import { KzCalendar, getDefaultCalendar } from './calendar/calendar.js';
import type { DayInfo } from './calendar/calendar.types.js';
import { MS_PER_DAY, MS_PER_MINUTE, parseDate, tryParseDate } from './calendar/days.js';
import { DEFAULT_SCHEDULE, compileSchedule, type CompiledSchedule, type WorkingSchedule } from './calendar/schedule.js';
import { almatyClock, formatLocalIso } from './calendar/zone.js';

export type Instant = Date | string | number;

export interface DueAt {
  /** The instant the term expires. */
  dueAt: Date;
  /** `dueAt` as ISO-8601 with the Almaty offset of that instant, e.g. `2024-04-02T00:00:00+05:00`. */
  dueAtLocal: string;
  /** The last day of a day term (YYYY-MM-DD); null for minutes and hours. */
  lastDay: string | null;
  /** True when a year the term touches has no published calendar data (computed from the rules alone). */
  provisional: boolean;
}

const clock = almatyClock;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant from a Date, epoch milliseconds, an ISO date-time with `Z` or an offset, or a bare `YYYY-MM-DD`
 * (00:00 Almaty time that day). A date-time without an offset is refused: it would be read in the machine's zone.
 */
export function toEpochMs(instant: Instant): number {
  if (typeof instant === 'number') {
    if (!Number.isFinite(instant)) throw new RangeError(`not an instant: ${instant}`);
    return instant;
  }
  if (instant instanceof Date) {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw new RangeError('not an instant: Invalid Date');
    return ms;
  }
  if (typeof instant === 'string') {
    const day = tryParseDate(instant);
    if (day !== null) return clock.startOfDay(day);
    if (INSTANT_RE.test(instant)) {
      const ms = Date.parse(instant);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  throw new RangeError(`not an instant (ISO-8601 with Z or an offset, or YYYY-MM-DD): ${JSON.stringify(instant)}`);
}

/** ISO-8601 in Asia/Almaty time with its offset, e.g. `2024-03-01T09:00:00+05:00`. */
export function toLocalIso(instant: Instant): string {
  return formatLocalIso(toEpochMs(instant), clock);
}

/** The Almaty local date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: Instant, calendar: KzCalendar = getDefaultCalendar()): string {
  return calendar.dateString(clock.localDay(toEpochMs(instant)));
}

const offsetSuffix = new Map<number, string>();
function offsetText(offsetMinutes: number): string {
  let s = offsetSuffix.get(offsetMinutes);
  if (s === undefined) {
    const abs = Math.abs(offsetMinutes);
    s = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    offsetSuffix.set(offsetMinutes, s);
  }
  return s;
}

function checkAmount(amount: number, unit: NormUnit): void {
  if (unit !== 'minutes' && unit !== 'hours' && unit !== 'working-days' && unit !== 'calendar-days') {
    throw new RangeError(`unknown term unit: ${JSON.stringify(unit)}`);
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`a term's amount must be a finite number >= 0 (got ${amount})`);
  }
  if ((unit === 'working-days' || unit === 'calendar-days') && (!Number.isInteger(amount) || amount < 1)) {
    throw new RangeError(`a term in ${unit} must be a whole number of days >= 1 (got ${amount})`);
  }
}

/** Last day (as a day number) of a day term whose starting event happened on local day `startDay`. */
function lastDayNumber(startDay: number, amount: number, unit: 'working-days' | 'calendar-days', calendar: KzCalendar): number {
  return unit === 'working-days' ? calendar.nthWorkingDayAfter(startDay, amount) : calendar.workingDayOnOrAfter(startDay + amount);
}

/**
 * The last day of a day term whose starting event happened on `startDate` (an Almaty local date).
 * Working days: the Nth working day after the starting day. Calendar days: starting day + N, or the next
 * working day when that is not one.
 */
export function lastDayOfTerm(
  startDate: string,
  amount: number,
  unit: 'working-days' | 'calendar-days',
  calendar: KzCalendar = getDefaultCalendar(),
): string {
  checkAmount(amount, unit);
  return calendar.dateString(lastDayNumber(parseDate(startDate), amount, unit, calendar));
}

function dayTermDue(startMs: number, amount: number, unit: 'working-days' | 'calendar-days', calendar: KzCalendar): DueAt {
  const startDay = clock.localDay(startMs);
  const last = lastDayNumber(startDay, amount, unit, calendar);
  const dueMs = clock.startOfDay(last + 1);
  const dueAtLocal =
    clock.localTimeOfDay(dueMs) === 0 ? `${calendar.dateString(last + 1)}T00:00:00${offsetText(clock.offsetAt(dueMs))}` : formatLocalIso(dueMs, clock);
  return { dueAt: new Date(dueMs), dueAtLocal, lastDay: calendar.dateString(last), provisional: calendar.isProvisionalBetween(startDay, last) };
}

/** UTC [start, end) of each working period of a local day. */
function periodsOn(day: number, schedule: CompiledSchedule): Array<[number, number]> {
  const base = day * MS_PER_DAY;
  return schedule.periods.map(([a, b]) => [clock.localToUtc(base + a * MS_PER_MINUTE), clock.localToUtc(base + b * MS_PER_MINUTE)]);
}

/** The instant `ms` working milliseconds after `fromMs` (0 = the start of working time at or after `fromMs`). */
function advanceWorkingTime(fromMs: number, ms: number, schedule: CompiledSchedule, calendar: KzCalendar): { at: number; lastLocalDay: number } {
  let remaining = ms;
  let cursor = fromMs;
  let day = calendar.workingDayOnOrAfter(clock.localDay(fromMs));
  for (;;) {
    for (const [a, b] of periodsOn(day, schedule)) {
      if (b <= cursor) continue;
      const from = Math.max(cursor, a);
      const available = b - from;
      if (remaining <= available) return { at: from + remaining, lastLocalDay: day };
      remaining -= available;
      cursor = b;
    }
    day = calendar.workingDayOnOrAfter(day + 1);
  }
}

/**
 * When a term starting at `start` expires. Minutes and hours count the provider's working time
 * (default schedule 09:00-13:00, 14:00-18:00 on working days); days follow the day-term rules above.
 */
export function dueAt(
  start: Instant,
  amount: number,
  unit: NormUnit,
  schedule: WorkingSchedule = DEFAULT_SCHEDULE,
  calendar: KzCalendar = getDefaultCalendar(),
): DueAt {
  checkAmount(amount, unit);
  const startMs = toEpochMs(start);
  if (unit === 'working-days' || unit === 'calendar-days') return dayTermDue(startMs, amount, unit, calendar);
  const minutes = unit === 'hours' ? amount * 60 : amount;
  const compiled = compileSchedule(schedule);
  const { at } = advanceWorkingTime(startMs, Math.round(minutes * MS_PER_MINUTE), compiled, calendar);
  return {
    dueAt: new Date(at),
    dueAtLocal: formatLocalIso(at, clock),
    lastDay: null,
    provisional: calendar.isProvisionalBetween(clock.localDay(startMs), clock.localDay(at)),
  };
}

/** Whether the instant falls in the schedule's working time on a working day. */
export function isWorkingTime(instant: Instant, schedule: WorkingSchedule = DEFAULT_SCHEDULE, calendar: KzCalendar = getDefaultCalendar()): boolean {
  const ms = toEpochMs(instant);
  const day = clock.localDay(ms);
  if (!calendar.isWorkingDay(day)) return false;
  return periodsOn(day, compileSchedule(schedule)).some(([a, b]) => ms >= a && ms < b);
}

/**
 * The instant from which working time counts for something that happens at `instant`: the instant itself
 * when it is working time, otherwise the start of the next working period.
 */
export function nextWorkingPeriodStart(
  instant: Instant,
  schedule: WorkingSchedule = DEFAULT_SCHEDULE,
  calendar: KzCalendar = getDefaultCalendar(),
): Date {
  return new Date(advanceWorkingTime(toEpochMs(instant), 0, compileSchedule(schedule), calendar).at);
}

/**
 * When a step's clock starts for an event at `instant` on a channel: a request through the portal outside
 * working time counts as received at the start of the next working period (DESIGN.md, Time); an office
 * event counts when it happens.
 */
export function effectiveStart(
  instant: Instant,
  channel: Channel,
  schedule: WorkingSchedule = DEFAULT_SCHEDULE,
  calendar: KzCalendar = getDefaultCalendar(),
): Date {
  return channel === 'portal' ? nextWorkingPeriodStart(instant, schedule, calendar) : new Date(toEpochMs(instant));
}

/** Working time in minutes between two instants (negative when `b` is before `a`). */
export function workingTimeBetween(
  a: Instant,
  b: Instant,
  schedule: WorkingSchedule = DEFAULT_SCHEDULE,
  calendar: KzCalendar = getDefaultCalendar(),
): number {
  const from = toEpochMs(a);
  const to = toEpochMs(b);
  if (to < from) return -workingTimeBetween(b, a, schedule, calendar);
  const compiled = compileSchedule(schedule);
  const lastDay = clock.localDay(to);
  let total = 0;
  for (let day = calendar.workingDayOnOrAfter(clock.localDay(from)); day <= lastDay; day = calendar.workingDayOnOrAfter(day + 1)) {
    for (const [ps, pe] of periodsOn(day, compiled)) {
      const s = Math.max(ps, from);
      const e = Math.min(pe, to);
      if (e > s) total += e - s;
    }
  }
  return total / MS_PER_MINUTE;
}

/** Working days in (fromDate, toDate]: the count by which a working-day term runs (negative when reversed). */
export function workingDaysBetween(fromDate: string, toDate: string, calendar: KzCalendar = getDefaultCalendar()): number {
  return calendar.workingDaysBetween(parseDate(fromDate), parseDate(toDate));
}

export function isWorkingDay(date: string, calendar: KzCalendar = getDefaultCalendar()): boolean {
  return calendar.isWorkingDay(parseDate(date));
}

export function dayInfo(date: string, calendar: KzCalendar = getDefaultCalendar()): DayInfo {
  return calendar.dayInfo(date);
}

/** Longest range `listDays` answers (ten years), so one request cannot build an unbounded list. */
export const MAX_LISTED_DAYS = 3660;

/** dayInfo for every date from `from` to `to`, inclusive. */
export function listDays(from: string, to: string, calendar: KzCalendar = getDefaultCalendar()): DayInfo[] {
  const a = parseDate(from);
  const b = parseDate(to);
  if (b < a) throw new RangeError(`the range ends (${to}) before it starts (${from})`);
  if (b - a + 1 > MAX_LISTED_DAYS) throw new RangeError(`at most ${MAX_LISTED_DAYS} days at a time (asked for ${b - a + 1})`);
  const days: DayInfo[] = [];
  for (let d = a; d <= b; d++) days.push(calendar.dayInfo(calendar.dateString(d)));
  return days;
}

// ---------------------------------------------------------------------------------------------------------
// Judging a step against its norm

export type VerdictStatus = 'on-time' | 'late' | 'open' | 'at-risk' | 'overdue' | 'too-early' | 'too-late' | 'not-judged';
export type ExcessUnit = 'minutes' | 'working-days' | 'calendar-days';

export interface Verdict {
  status: VerdictStatus;
  /** When the norm's (maximum) term expires; null when the norm is not judged. */
  dueAt: Date | null;
  dueAtLocal: string | null;
  /** Last day of a day term. */
  lastDay: string | null;
  /** For a window: the earliest instant the step may be completed (00:00 of its first allowed day). */
  earliestAt: Date | null;
  earliestAtLocal: string | null;
  /**
   * How far past `dueAt` (late, overdue, too-late) or before `earliestAt` (too-early), in the norm's unit:
   * working minutes (minutes and hours norms, rounded up), working days or calendar days. An action after
   * `dueAt` but outside working time is late with 0 working minutes or days; `overByMs` still shows it.
   */
  excess: { amount: number; unit: ExcessUnit } | null;
  /** Wall-clock milliseconds past `dueAt`, or before `earliestAt` for too-early. */
  overByMs: number | null;
  /** What is left of an open step's allowance, in the norm's unit (working days counted from today, inclusive). */
  remaining: { amount: number; unit: ExcessUnit } | null;
  provisional: boolean;
  /** Why a norm is not judged. */
  note?: string;
}

/**
 * At-risk rule: an open step is at risk when less than 20% of its allowance remains, or, for day terms, when
 * at most one working day is left (today, if it is a working day, counts as left). For minute and hour
 * norms the remainder is the working time left until `dueAt`; for day norms the days from today to the
 * last day inclusive, in the norm's unit.
 */
export const AT_RISK_SHARE = 0.2;
export const AT_RISK_WORKING_DAYS = 1;

function unitOf(unit: NormUnit): ExcessUnit {
  return unit === 'working-days' || unit === 'calendar-days' ? unit : 'minutes';
}

/** Minutes rounded up (a started minute counts), never negative. */
function wholeMinutes(minutes: number): number {
  return Math.max(0, Math.ceil(minutes - 1e-9));
}

function allowanceMinutes(amount: number, unit: NormUnit): number {
  return unit === 'hours' ? amount * 60 : amount;
}

export function judgeNorm(
  norm: Norm,
  startedAt: Instant,
  doneAt: Instant | null,
  now: Instant,
  schedule: WorkingSchedule = DEFAULT_SCHEDULE,
  calendar: KzCalendar = getDefaultCalendar(),
): Verdict {
  const empty: Verdict = {
    status: 'not-judged',
    dueAt: null,
    dueAtLocal: null,
    lastDay: null,
    earliestAt: null,
    earliestAtLocal: null,
    excess: null,
    overByMs: null,
    remaining: null,
    provisional: false,
  };
  if (norm.kind === 'none') return { ...empty, note: norm.note };

  const maxAmount = norm.kind === 'limit' ? norm.amount : norm.max;
  const unit = norm.unit;
  const due = dueAt(startedAt, maxAmount, unit, schedule, calendar);
  const dueMs = due.dueAt.getTime();
  const verdict: Verdict = { ...empty, dueAt: due.dueAt, dueAtLocal: due.dueAtLocal, lastDay: due.lastDay, provisional: due.provisional };

  const isDays = unit === 'working-days' || unit === 'calendar-days';
  const startDay = clock.localDay(toEpochMs(startedAt));
  /** The last day of a day term: dueAt is 00:00 of the day after it. */
  const lastDay = clock.localDay(dueMs - 1);
  /** Days (in the norm's unit) in (fromDay, toDay]. */
  const daysBetween = (fromDay: number, toDay: number): number =>
    unit === 'working-days' ? calendar.workingDaysBetween(fromDay, toDay) : toDay - fromDay;
  const pastDue = (atMs: number): number =>
    isDays ? daysBetween(lastDay, clock.localDay(atMs)) : wholeMinutes(workingTimeBetween(dueMs, atMs, schedule, calendar));
  const excessUnit = unitOf(unit);

  let earliestMs: number | null = null;
  /** How far before the window opens an action at `atMs` is. */
  let beforeWindow = (_atMs: number): number => 0;
  if (norm.kind === 'window') {
    if (isDays) {
      const firstAllowedDay = unit === 'working-days' ? calendar.nthWorkingDayAfter(startDay, norm.min) : startDay + norm.min;
      earliestMs = clock.startOfDay(firstAllowedDay);
      beforeWindow = (atMs) => daysBetween(clock.localDay(atMs) - 1, firstAllowedDay - 1);
    } else {
      const opens = dueAt(startedAt, norm.min, unit, schedule, calendar).dueAt.getTime();
      earliestMs = opens;
      beforeWindow = (atMs) => wholeMinutes(workingTimeBetween(atMs, opens, schedule, calendar));
    }
    verdict.earliestAt = new Date(earliestMs);
    verdict.earliestAtLocal = formatLocalIso(earliestMs, clock);
  }

  if (doneAt !== null) {
    const doneMs = toEpochMs(doneAt);
    if (earliestMs !== null && doneMs < earliestMs) {
      const amount = beforeWindow(doneMs);
      return { ...verdict, status: 'too-early', excess: { amount, unit: excessUnit }, overByMs: earliestMs - doneMs };
    }
    if (doneMs > dueMs) {
      return {
        ...verdict,
        status: norm.kind === 'window' ? 'too-late' : 'late',
        excess: { amount: pastDue(doneMs), unit: excessUnit },
        overByMs: doneMs - dueMs,
      };
    }
    return { ...verdict, status: 'on-time' };
  }

  const nowMs = toEpochMs(now);
  if (nowMs > dueMs) {
    return { ...verdict, status: 'overdue', excess: { amount: pastDue(nowMs), unit: excessUnit }, overByMs: nowMs - dueMs };
  }

  let remaining: number;
  let atRisk: boolean;
  if (isDays) {
    const today = clock.localDay(nowMs);
    const workingLeft = calendar.workingDaysBetween(today - 1, lastDay);
    remaining = unit === 'working-days' ? workingLeft : lastDay - today + 1;
    atRisk = workingLeft <= AT_RISK_WORKING_DAYS || remaining < AT_RISK_SHARE * maxAmount;
  } else {
    remaining = workingTimeBetween(nowMs, dueMs, schedule, calendar);
    atRisk = remaining < AT_RISK_SHARE * allowanceMinutes(maxAmount, unit);
  }
  return { ...verdict, status: atRisk ? 'at-risk' : 'open', remaining: { amount: remaining, unit: excessUnit } };
}

// ---------------------------------------------------------------------------------------------------------
// Late recording

/**
 * An action is flagged as recorded late when it was recorded after the end of the first working day
 * following the day it happened (Friday's action recorded on Monday is not late; on Tuesday it is). One rule
 * for the case timeline and the investigators' replay.
 */
export const LATE_RECORDING = { amount: 1, unit: 'working-days' } as const;

export function recordingDeadline(occurredAt: Instant, calendar: KzCalendar = getDefaultCalendar()): Date {
  return dueAt(occurredAt, LATE_RECORDING.amount, LATE_RECORDING.unit, DEFAULT_SCHEDULE, calendar).dueAt;
}

export function isRecordedLate(occurredAt: Instant, recordedAt: Instant, calendar: KzCalendar = getDefaultCalendar()): boolean {
  return toEpochMs(recordedAt) > recordingDeadline(occurredAt, calendar).getTime();
}
