/**
 * Civil dates as day numbers (days since 1970-01-01), so that date arithmetic is integer arithmetic.
 * A day number names a local date; it carries no time zone.
 */

export const MS_PER_DAY = 86_400_000;
export const MS_PER_MINUTE = 60_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date, or `null` when the text is not a real calendar date. */
export function tryParseDate(date: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

export function parseDate(date: string): number {
  const day = tryParseDate(date);
  if (day === null) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return day;
}

export function isValidDate(date: string): boolean {
  return tryParseDate(date) !== null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatDay(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function dayOf(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / MS_PER_DAY;
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

export function firstDayOfYear(year: number): number {
  return dayOf(year, 1, 1);
}

export function addDaysToDate(date: string, days: number): string {
  return formatDay(parseDate(date) + days);
}
