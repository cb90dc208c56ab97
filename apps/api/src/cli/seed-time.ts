import {
  addDaysToDate,
  compileSchedule,
  dueAt,
  isWorkingDay,
  lastDayOfTerm,
  localDateOf,
  toEpochMs,
  toLocalIso,
  workingTimeBetween,
  type WorkingSchedule,
} from '@sped/regulations';

/**
 * Working-time arithmetic for the demo data, on the same calendar and schedules the API judges with, so
 * an action planned "within 15 working minutes" is judged on time and one planned after them is late.
 * Instants are epoch milliseconds on whole minutes; dates are Asia/Almaty local YYYY-MM-DD.
 */
export const MINUTE = 60_000;

export const midnight = (date: string): number => toEpochMs(date);
export const dateOf = (ms: number): string => localDateOf(ms);
/** The instant as the API expects it: ISO-8601 with the Almaty offset of that instant. */
export const iso = (ms: number): string => toLocalIso(ms);
export const addDays = (date: string, days: number): string => addDaysToDate(date, days);
export const workingDay = (date: string): boolean => isWorkingDay(date);

/** `minutes` of the schedule's working time after `ms` (0: the start of working time at or after `ms`). */
export function addWorkingMinutes(ms: number, minutes: number, schedule: WorkingSchedule): number {
  return dueAt(ms, Math.max(0, Math.round(minutes)), 'minutes', schedule).dueAt.getTime();
}

export function workingMinutesBetween(a: number, b: number, schedule: WorkingSchedule): number {
  return workingTimeBetween(a, b, schedule);
}

export function workingMinutesPerDay(schedule: WorkingSchedule): number {
  return compileSchedule(schedule).minutesPerDay;
}

/** The instant `minute` working minutes into `date`'s working time (the date should be a working day). */
export function atWorkingMinute(date: string, minute: number, schedule: WorkingSchedule): number {
  const perDay = workingMinutesPerDay(schedule);
  return addWorkingMinutes(midnight(date), Math.min(Math.max(0, minute), perDay - 1), schedule);
}

export function workingDayOnOrAfter(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addDaysToDate(d, 1);
  return d;
}

export function workingDayOnOrBefore(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addDaysToDate(d, -1);
  return d;
}

/** The n-th working day after `date` (n >= 1). */
export function workingDaysAfter(date: string, n: number): string {
  return lastDayOfTerm(date, n, 'working-days');
}

/** The n-th working day before `date` (n >= 1). */
export function workingDaysBefore(date: string, n: number): string {
  let d = date;
  for (let i = 0; i < n; i++) d = workingDayOnOrBefore(addDaysToDate(d, -1));
  return d;
}
