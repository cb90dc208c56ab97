import type { LegalSource, Localized } from '../regulation.types.js';
import { CalendarDataError, CalendarRangeError } from '../errors.js';
import type { CalendarYearData, DayInfo, DayReason } from './calendar.types.js';
import { CARRY_OVER_SOURCE, FIVE_DAY_WEEK_SOURCE, HOLIDAY_RULES, KURBAN_AIT_NAME, holidayAppliesIn } from './holidays.js';
import { CALENDAR_MAX_YEAR, validateCalendarYear } from './calendar-year.validate.js';
import { dayOf, firstDayOfYear, formatDay, isWeekend, parseDate, yearOfDay } from './days.js';
import { BUILT_IN_YEARS } from './years/index.js';
import { loadCalendarYearFiles } from './load-year-files.js';

interface Holiday {
  name: Localized;
  religious: boolean;
  source: LegalSource;
}

interface SpecialDay {
  working: boolean;
  reason: DayReason;
  name?: Localized;
  carriedFrom?: string;
  transferredWith?: string;
  source: LegalSource;
  note?: string;
}

export interface YearFile {
  /** Where the data came from, for error messages (a path or a module name). */
  file: string;
  data: unknown;
}

export interface CalendarOptions {
  /** Years that add to or replace the built-in ones (an operator's files from CALENDAR_DATA_DIR). */
  extraYears?: YearFile[];
  /** Replace the built-in years entirely (tests). */
  builtInYears?: YearFile[];
}

const TRANSFER_DAY_OFF_NAME: Localized = { kk: 'Ауыстырылған демалыс күні', ru: 'Перенесённый выходной день', en: 'Transferred day off' };
const TRANSFER_WORKING_NAME: Localized = { kk: 'Ауыстырылған жұмыс күні', ru: 'Перенесённый рабочий день', en: 'Transferred working day' };

/**
 * Kazakhstan's working calendar: the holiday rules, the carry-over rule and each year's published facts
 * (transfers of days off, Kurban Ait). Years with data are exact; a later year is computed from the rules
 * alone and every answer touching it says `provisional: true`. Dates before the first year with data are
 * refused rather than guessed.
 *
 * Working days are indexed (a running count per day and the list of working days), built a year at a time
 * on first use, so "the Nth working day after" and "working days between" are O(1) look-ups.
 */
export class KzCalendar {
  readonly firstYear: number;
  /** The years that have published data (sorted). */
  readonly dataYears: readonly number[];
  private readonly years = new Map<number, { data: CalendarYearData; file: string }>();
  private readonly plans = new Map<number, Map<number, SpecialDay>>();
  private readonly holidayCache = new Map<number, Map<number, Holiday[]>>();

  private readonly indexStart: number;
  private indexEnd: number;
  /** before[i] = working days in [indexStart, indexStart + i). Length = indexEnd - indexStart + 1. */
  private before: number[] = [0];
  /** Day numbers of the working days in [indexStart, indexEnd), ascending. */
  private workingList: number[] = [];
  /** First day of the first year from `firstYear` on that has no data: days before it are never provisional. */
  private readonly firstProvisionalDay: number;
  /** Memoized `YYYY-MM-DD` strings over the indexed range. */
  private dateStrings: string[] = [];

  constructor(options: CalendarOptions = {}) {
    const builtIn = options.builtInYears ?? BUILT_IN_YEARS.map((data) => ({ file: `calendar/years/${data.year}.ts`, data }));
    for (const y of builtIn) {
      const data = validateCalendarYear(y.data, y.file);
      if (this.years.has(data.year)) throw new CalendarDataError(y.file, [{ path: 'year', message: `${data.year} is defined twice` }]);
      this.years.set(data.year, { data, file: y.file });
    }
    const extraSeen = new Map<number, string>();
    for (const y of options.extraYears ?? []) {
      const data = validateCalendarYear(y.data, y.file);
      const other = extraSeen.get(data.year);
      if (other) throw new CalendarDataError(y.file, [{ path: 'year', message: `${data.year} is also defined by ${other}` }]);
      extraSeen.set(data.year, y.file);
      this.years.set(data.year, { data, file: y.file });
    }
    if (this.years.size === 0) throw new CalendarDataError('(calendar)', [{ path: '', message: 'no calendar year has data' }]);
    this.dataYears = [...this.years.keys()].sort((a, b) => a - b);
    this.firstYear = this.dataYears[0];
    this.indexStart = firstDayOfYear(this.firstYear);
    let y = this.firstYear;
    while (this.years.has(y)) y++;
    this.firstProvisionalDay = firstDayOfYear(y);
    this.indexEnd = this.indexStart;
    // Rule-dependent checks of every data year now, so a bad file fails at load, not on some later date.
    for (const y of this.dataYears) this.plan(y);
  }

  isProvisionalYear(year: number): boolean {
    this.checkYear(year);
    return !this.years.has(year);
  }

  /** Whether any year from the local date `fromDay` to `toDay` (day numbers) lacks published data. */
  isProvisionalBetween(fromDay: number, toDay: number): boolean {
    if (fromDay >= this.indexStart && toDay >= this.indexStart && fromDay < this.firstProvisionalDay && toDay < this.firstProvisionalDay) return false;
    const a = yearOfDay(Math.min(fromDay, toDay));
    const b = yearOfDay(Math.max(fromDay, toDay));
    for (let y = a; y <= b; y++) if (!this.years.has(y)) return true;
    return false;
  }

  dayInfo(date: string): DayInfo {
    const day = parseDate(date);
    const year = yearOfDay(day);
    this.checkYear(year);
    const provisional = !this.years.has(year);
    const special = this.plan(year).get(day);
    const base: Pick<DayInfo, 'date' | 'provisional'> = { date, provisional };
    let info: DayInfo;
    if (special) {
      info = { ...base, working: special.working, reason: special.reason, source: special.source };
      if (special.name) info.name = special.name;
      if (special.carriedFrom) info.carriedFrom = special.carriedFrom;
      if (special.transferredWith) info.transferredWith = special.transferredWith;
      if (special.note) info.note = special.note;
    } else {
      const weekend = isWeekend(day);
      info = { ...base, working: !weekend, reason: weekend ? 'weekend' : 'weekday', source: FIVE_DAY_WEEK_SOURCE };
    }
    if (provisional) {
      info.note = [info.note, `No published data for ${year} (transfers of days off, Kurban Ait): computed from the rules alone.`]
        .filter(Boolean)
        .join(' ');
    }
    return info;
  }

  /** Whether the local date (day number) is a working day. */
  isWorkingDay(day: number): boolean {
    if (day < this.indexStart) this.checkYear(yearOfDay(day));
    this.ensureIndex(day + 1);
    return this.before[day - this.indexStart + 1] - this.before[day - this.indexStart] === 1;
  }

  /** Number of working days strictly before the day, counted from the first day the calendar covers. */
  workingDaysBefore(day: number): number {
    this.ensureIndex(day);
    return this.before[day - this.indexStart];
  }

  /** The Nth (n >= 1) working day after the day. */
  nthWorkingDayAfter(day: number, n: number): number {
    const p = this.workingDaysBefore(day + 1) + n - 1;
    while (p >= this.workingList.length) this.extendIndexByYear();
    return this.workingList[p];
  }

  /** The day itself when it is a working day, otherwise the next working day. */
  workingDayOnOrAfter(day: number): number {
    const p = this.workingDaysBefore(day);
    while (p >= this.workingList.length) this.extendIndexByYear();
    return this.workingList[p];
  }

  /** Working days in (fromDay, toDay]: the count the working-day term rule uses. Negative when toDay < fromDay. */
  workingDaysBetween(fromDay: number, toDay: number): number {
    return this.workingDaysBefore(toDay + 1) - this.workingDaysBefore(fromDay + 1);
  }

  /** `YYYY-MM-DD` of a day number, memoized over the indexed range (the hot path of day terms). */
  dateString(day: number): string {
    const i = day - this.indexStart;
    if (i >= 0 && i < this.dateStrings.length) {
      const s = this.dateStrings[i];
      if (s !== undefined) return s;
      return (this.dateStrings[i] = formatDay(day));
    }
    return formatDay(day);
  }

  private checkYear(year: number): void {
    if (year < this.firstYear) {
      throw new CalendarRangeError(
        `the working calendar starts in ${this.firstYear}: ${year} has no data (transfers of days off differ every year, so it is not guessed)`,
      );
    }
    if (year > CALENDAR_MAX_YEAR) throw new CalendarRangeError(`the working calendar is computed up to ${CALENDAR_MAX_YEAR}, not ${year}`);
  }

  private ensureIndex(dayExclusive: number): void {
    if (dayExclusive < this.indexStart) this.checkYear(yearOfDay(dayExclusive));
    while (dayExclusive > this.indexEnd) this.extendIndexByYear();
  }

  private extendIndexByYear(): void {
    const year = yearOfDay(this.indexEnd);
    this.checkYear(year);
    const plan = this.plan(year);
    const end = firstDayOfYear(year + 1);
    let count = this.before[this.before.length - 1];
    for (let d = this.indexEnd; d < end; d++) {
      const special = plan.get(d);
      const working = special ? special.working : !isWeekend(d);
      if (working) {
        this.workingList.push(d);
        count++;
      }
      this.before.push(count);
    }
    this.dateStrings.length = end - this.indexStart;
    this.indexEnd = end;
  }

  private holidaysOf(year: number): Map<number, Holiday[]> {
    const cached = this.holidayCache.get(year);
    if (cached) return cached;
    const map = new Map<number, Holiday[]>();
    const add = (day: number, h: Holiday) => {
      const list = map.get(day);
      if (list) list.push(h);
      else map.set(day, [h]);
    };
    for (const rule of HOLIDAY_RULES) {
      if (!holidayAppliesIn(rule, year)) continue;
      const [m, d] = rule.date.split('-').map(Number);
      add(dayOf(year, m, d), { name: rule.name, religious: rule.religious, source: rule.source });
    }
    const data = this.years.get(year)?.data;
    if (data) add(parseDate(data.kurbanAit.date), { name: KURBAN_AIT_NAME, religious: true, source: data.kurbanAit.source });
    this.holidayCache.set(year, map);
    return map;
  }

  private isHoliday(day: number): boolean {
    return this.holidaysOf(yearOfDay(day)).has(day);
  }

  private transferDaysOff(year: number): Set<number> {
    const data = this.years.get(year)?.data;
    const set = new Set<number>();
    for (const t of data?.transfers ?? []) if (t.kind === 'swap') set.add(parseDate(t.dayOff));
    return set;
  }

  /**
   * Carry-over days produced by the holidays of `year` (some may fall in the next year). A block of
   * consecutive holidays carries as many days as it has non-religious holidays on a Saturday or Sunday,
   * to the first weekdays after the whole block that are neither holidays nor days off already.
   */
  private carryOversFrom(year: number): Array<{ day: number; from: number; holiday: Holiday }> {
    const holidays = this.holidaysOf(year);
    const days = [...holidays.keys()].sort((a, b) => a - b);
    const result: Array<{ day: number; from: number; holiday: Holiday }> = [];
    const taken = new Set<number>();
    const offByTransfer = new Map<number, Set<number>>();
    const isTransferOff = (d: number) => {
      const y = yearOfDay(d);
      let s = offByTransfer.get(y);
      if (!s) offByTransfer.set(y, (s = this.transferDaysOff(y)));
      return s.has(d);
    };
    let i = 0;
    while (i < days.length) {
      let j = i;
      while (j + 1 < days.length && days[j + 1] === days[j] + 1) j++;
      const owed: Array<{ from: number; holiday: Holiday }> = [];
      for (let k = i; k <= j; k++) {
        const d = days[k];
        if (!isWeekend(d)) continue;
        const carried = (holidays.get(d) ?? []).find((h) => !h.religious);
        if (carried) owed.push({ from: d, holiday: carried });
      }
      let candidate = days[j] + 1;
      for (const o of owed) {
        while (isWeekend(candidate) || this.isHoliday(candidate) || isTransferOff(candidate) || taken.has(candidate)) candidate++;
        taken.add(candidate);
        result.push({ day: candidate, from: o.from, holiday: o.holiday });
        candidate++;
      }
      i = j + 1;
    }
    return result;
  }

  /** The days of a year that differ from a plain Monday-Friday week, with why. */
  private plan(year: number): Map<number, SpecialDay> {
    const cached = this.plans.get(year);
    if (cached) return cached;
    const plan = new Map<number, SpecialDay>();
    for (const [day, list] of this.holidaysOf(year)) {
      const h = list.find((x) => !x.religious) ?? list[0];
      plan.set(day, { working: false, reason: 'holiday', name: h.name, source: h.source });
    }
    const carries = [...this.carryOversFrom(year - 1), ...this.carryOversFrom(year)].filter((c) => yearOfDay(c.day) === year);
    for (const c of carries) {
      plan.set(c.day, {
        working: false,
        reason: 'carry-over',
        name: c.holiday.name,
        carriedFrom: formatDay(c.from),
        source: CARRY_OVER_SOURCE,
      });
    }
    const entry = this.years.get(year);
    const file = entry?.file ?? `calendar year ${year}`;
    for (const [i, t] of (entry?.data.transfers ?? []).entries()) {
      if (t.kind === 'swap') {
        const working = parseDate(t.workingDay);
        const off = parseDate(t.dayOff);
        const offBefore = plan.get(off);
        if (offBefore) {
          throw new CalendarDataError(file, [{ path: `transfers[${i}].dayOff`, message: `${t.dayOff} is already a day off (${offBefore.reason})` }]);
        }
        const workingBefore = plan.get(working);
        if (workingBefore) {
          throw new CalendarDataError(file, [{ path: `transfers[${i}].workingDay`, message: `${t.workingDay} is a ${workingBefore.reason} and cannot be worked` }]);
        }
        plan.set(working, { working: true, reason: 'transfer-working-day', name: TRANSFER_WORKING_NAME, transferredWith: t.dayOff, source: t.source });
        plan.set(off, { working: false, reason: 'transfer-day-off', name: TRANSFER_DAY_OFF_NAME, transferredWith: t.workingDay, source: t.source });
      } else {
        const from = parseDate(t.from);
        const to = parseDate(t.to);
        const carried = plan.get(from);
        if (carried?.reason !== 'carry-over') {
          throw new CalendarDataError(file, [
            { path: `transfers[${i}].from`, message: `${t.from} is not a carry-over day under the rules, so it cannot be moved` },
          ]);
        }
        if (plan.has(to)) {
          throw new CalendarDataError(file, [{ path: `transfers[${i}].to`, message: `${t.to} is already a day off` }]);
        }
        plan.set(from, { working: true, reason: 'weekday', source: t.source, note: `The carry-over day off was moved to ${t.to}.` });
        plan.set(to, {
          working: false,
          reason: 'transfer-day-off',
          name: carried.name,
          carriedFrom: carried.carriedFrom,
          source: t.source,
          note: `The carry-over day off for ${carried.carriedFrom} was moved here from ${t.from}.`,
        });
      }
    }
    this.plans.set(year, plan);
    return plan;
  }
}

let defaultCalendar: KzCalendar | undefined;

/**
 * The calendar used when none is passed: the built-in years plus, when the environment names a
 * CALENDAR_DATA_DIR, the operator's `<year>.json` files in it (read once, on first use).
 */
export function getDefaultCalendar(): KzCalendar {
  if (!defaultCalendar) {
    const dir = process.env['CALENDAR_DATA_DIR'];
    defaultCalendar = new KzCalendar({ extraYears: dir ? loadCalendarYearFiles(dir) : [] });
  }
  return defaultCalendar;
}

/** Replace the default calendar (an app calls this once at start-up with the operator's year files). */
export function configureDefaultCalendar(options: CalendarOptions): KzCalendar {
  defaultCalendar = new KzCalendar(options);
  return defaultCalendar;
}
