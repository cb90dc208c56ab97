import { almatyClock, isValidDate } from '@sped/regulations';

const MS_PER_DAY = 86_400_000;

/** The legal clock's (Asia/Almaty) day boundaries around `now`: today, tomorrow, and the start of next week (Monday). */
export function localWindows(now: Date) {
  const today = almatyClock.localDay(now.getTime());
  const weekday = (today + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const toNextMonday = (1 - weekday + 7) % 7 || 7;
  return {
    startOfToday: new Date(almatyClock.startOfDay(today)),
    startOfTomorrow: new Date(almatyClock.startOfDay(today + 1)),
    startOfNextWeek: new Date(almatyClock.startOfDay(today + toNextMonday)),
  };
}

/** 00:00 in Almaty of a local date (YYYY-MM-DD). */
export function startOfLocalDate(date: string): Date {
  if (!isValidDate(date)) throw new RangeError(`not a date: ${date}`);
  return new Date(almatyClock.startOfDay(Math.floor(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY)));
}
