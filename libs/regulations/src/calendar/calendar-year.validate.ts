import { CalendarDataError } from '../errors.js';
import { Checker, join } from '../validation.js';
import type { CalendarYearData } from './calendar.types.js';
import { HOLIDAY_RULES, holidayAppliesIn } from './holidays.js';
import { isWeekend, parseDate, yearOfDay } from './days.js';

export const CALENDAR_MAX_YEAR = 2200;

/**
 * Checks one year's data (a built-in `years/<year>.ts` or an operator's `<year>.json`) and returns it typed.
 * Throws a CalendarDataError naming the file and every field at fault. Rule-dependent checks (a moved
 * carry-over must be a carry-over day) run when the calendar is built.
 */
export function validateCalendarYear(data: unknown, file: string): CalendarYearData {
  const c = new Checker();
  if (!c.isObject(data, '')) throw new CalendarDataError(file, c.problems);
  const year = data['year'];
  const validYear = typeof year === 'number' && Number.isInteger(year) && year >= 1992 && year <= CALENDAR_MAX_YEAR;
  if (!validYear) c.fail('year', `must be an integer year between 1992 and ${CALENDAR_MAX_YEAR} (got ${JSON.stringify(year)})`);
  const inYear = (value: string | undefined, path: string): number | undefined => {
    if (value === undefined) return undefined;
    const day = parseDate(value);
    if (validYear && yearOfDay(day) !== year) c.fail(path, `must be a date in ${year} (got ${value})`);
    return day;
  };

  const kurban = data['kurbanAit'];
  if (c.isObject(kurban, 'kurbanAit')) {
    inYear(c.date(kurban, 'date', 'kurbanAit'), 'kurbanAit.date');
    c.string(kurban, 'note', 'kurbanAit', true);
    c.legalSource(kurban, 'source', 'kurbanAit');
  }

  const fixedHolidays = new Set(
    validYear ? HOLIDAY_RULES.filter((r) => holidayAppliesIn(r, year)).map((r) => `${year}-${r.date}`) : [],
  );
  const seen = new Map<string, string>();
  const claim = (date: string | undefined, path: string): void => {
    if (date === undefined) return;
    const other = seen.get(date);
    if (other) c.fail(path, `${date} is already used by ${other}`);
    else seen.set(date, path);
  };

  const transfers = c.array(data, 'transfers', '') ?? [];
  transfers.forEach((t, i) => {
    const p = join('transfers', i);
    if (!c.isObject(t, p)) return;
    const kind = c.oneOf(t, 'kind', ['swap', 'carry-over-moved'] as const, p);
    c.legalSource(t, 'source', p);
    if (kind === 'swap') {
      const working = c.date(t, 'workingDay', p);
      const off = c.date(t, 'dayOff', p);
      const wd = inYear(working, join(p, 'workingDay'));
      const od = inYear(off, join(p, 'dayOff'));
      if (wd !== undefined && !isWeekend(wd)) c.fail(join(p, 'workingDay'), `must be a Saturday or Sunday (${working} is not)`);
      if (od !== undefined && isWeekend(od)) c.fail(join(p, 'dayOff'), `must be a weekday (${off} is a weekend day)`);
      if (off !== undefined && fixedHolidays.has(off)) c.fail(join(p, 'dayOff'), `${off} is already a public holiday`);
      if (working !== undefined && fixedHolidays.has(working)) c.fail(join(p, 'workingDay'), `${working} is a public holiday and cannot be worked`);
      claim(working, join(p, 'workingDay'));
      claim(off, join(p, 'dayOff'));
    } else if (kind === 'carry-over-moved') {
      const from = c.date(t, 'from', p);
      const to = c.date(t, 'to', p);
      const fd = inYear(from, join(p, 'from'));
      const td = inYear(to, join(p, 'to'));
      if (fd !== undefined && isWeekend(fd)) c.fail(join(p, 'from'), `must be a weekday (${from} is a weekend day)`);
      if (td !== undefined && isWeekend(td)) c.fail(join(p, 'to'), `must be a weekday (${to} is a weekend day)`);
      if (to !== undefined && fixedHolidays.has(to)) c.fail(join(p, 'to'), `${to} is already a public holiday`);
      claim(from, join(p, 'from'));
      claim(to, join(p, 'to'));
    }
  });

  c.legalSource(data, 'source', '');
  c.string(data, 'note', '', true);
  const known = new Set(['year', 'kurbanAit', 'transfers', 'source', 'note', '$schema']);
  for (const key of Object.keys(data)) if (!known.has(key)) c.fail(key, 'is not a field of a calendar year');

  if (c.problems.length) throw new CalendarDataError(file, c.problems);
  return data as unknown as CalendarYearData;
}
