import fc from 'fast-check';
import { getDefaultCalendar } from './calendar/calendar.js';
import { addDaysToDate } from './calendar/days.js';
import { dueAt, localDateOf, toLocalIso, workingTimeBetween } from './terms.js';

const calendar = getDefaultCalendar();
const FROM = Date.UTC(2018, 0, 1, 12);
const TO = Date.UTC(2030, 11, 31);

const instant = fc.integer({ min: FROM, max: TO });
const dayUnit = fc.constantFrom<'working-days' | 'calendar-days'>('working-days', 'calendar-days');
const anyUnit = fc.constantFrom<'minutes' | 'hours' | 'working-days' | 'calendar-days'>('minutes', 'hours', 'working-days', 'calendar-days');

function lastDayOf(start: number, n: number, unit: 'working-days' | 'calendar-days'): string {
  const { lastDay } = dueAt(start, n, unit);
  if (lastDay === null) throw new Error('a day term has a last day');
  return lastDay;
}

/** Working days in (from, to], counted one day at a time through dayInfo: an oracle independent of the index. */
function countWorkingDays(from: string, to: string): number {
  let n = 0;
  for (let d = addDaysToDate(from, 1); d <= to; d = addDaysToDate(d, 1)) if (calendar.dayInfo(d).working) n++;
  return n;
}

describe('Term arithmetic, for any start and amount', () => {
  it('never moves dueAt earlier when the start moves later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 * 86_400_000 }), anyUnit, fc.integer({ min: 1, max: 400 }), (a, delta, unit, amount) => {
        expect(dueAt(a + delta, amount, unit).dueAt.getTime()).toBeGreaterThanOrEqual(dueAt(a, amount, unit).dueAt.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('never moves dueAt earlier when the amount grows', () => {
    fc.assert(
      fc.property(instant, anyUnit, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 100 }), (start, unit, amount, more) => {
        expect(dueAt(start, amount + more, unit).dueAt.getTime()).toBeGreaterThanOrEqual(dueAt(start, amount, unit).dueAt.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('ends a working-day term on a working day with exactly N working days after the starting day up to it', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const lastDay = lastDayOf(start, n, 'working-days');
        expect(calendar.dayInfo(lastDay).working).toBe(true);
        expect(countWorkingDays(localDateOf(start), lastDay)).toBe(n);
        expect(dueAt(start, n, 'working-days').dueAtLocal.startsWith(`${addDaysToDate(lastDay, 1)}T00:00:00+0`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ends a calendar-day term on the first working day on or after starting day + N', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 }), (start, n) => {
        const lastDay = lastDayOf(start, n, 'calendar-days');
        const nominal = addDaysToDate(localDateOf(start), n);
        expect(lastDay >= nominal).toBe(true);
        expect(calendar.dayInfo(lastDay).working).toBe(true);
        for (let d = nominal; d < lastDay; d = addDaysToDate(d, 1)) expect(calendar.dayInfo(d).working).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('puts exactly N minutes of working time between the start and dueAt of an N-minute term', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 3000 }), (start, n) => {
        const due = dueAt(start, n, 'minutes');
        expect(workingTimeBetween(start, due.dueAt)).toBe(n);
        expect(due.dueAtLocal).toBe(toLocalIso(due.dueAt));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps day terms in the local calendar: a day term from any instant of a local day ends the same', () => {
    fc.assert(
      fc.property(instant, dayUnit, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 86_399_999 }), (start, unit, n, ms) => {
        const midnight = Date.parse(`${localDateOf(start)}T00:00:00${toLocalIso(start).slice(-6)}`);
        const sameDay = localDateOf(midnight + ms) === localDateOf(start) ? midnight + ms : start;
        expect(dueAt(sameDay, n, unit).lastDay).toBe(dueAt(start, n, unit).lastDay);
      }),
      { numRuns: 200 },
    );
  });
});
