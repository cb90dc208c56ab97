import type { Norm, NormUnit } from './regulation.types.js';
import { ZoneClock, almatyClock } from './calendar/zone.js';
import type { WorkingSchedule } from './calendar/schedule.js';
import {
  dueAt,
  effectiveStart,
  isWorkingTime,
  judgeNorm,
  lastDayOfTerm,
  listDays,
  localDateOf,
  nextWorkingPeriodStart,
  toLocalIso,
  workingDaysBetween,
  workingTimeBetween,
} from './terms.js';

const SOURCE = { issuer: 'test', document: 'test' };
const limit = (amount: number, unit: NormUnit): Norm => ({ kind: 'limit', amount, unit, source: SOURCE });

describe('The legal clock (Asia/Almaty from the tz database)', () => {
  it('is UTC+6 until 2024-03-01 and UTC+5 from then, the change found in the tz data, not hard-coded', () => {
    const clock = new ZoneClock('Asia/Almaty');
    expect(clock.offsetAt(Date.parse('2024-02-29T17:59:59Z'))).toBe(360);
    expect(clock.offsetAt(Date.parse('2024-02-29T18:00:00Z'))).toBe(300);
    expect(clock.offsetAt(Date.parse('2019-06-01T00:00:00Z'))).toBe(360);
    expect(clock.offsetAt(Date.parse('2030-06-01T00:00:00Z'))).toBe(300);
  });

  it('finds offsets when asked for years in any order', () => {
    const clock = new ZoneClock('Asia/Almaty');
    expect(clock.offsetAt(Date.parse('2026-01-01T00:00:00Z'))).toBe(300);
    expect(clock.offsetAt(Date.parse('2018-01-01T00:00:00Z'))).toBe(360);
    expect(clock.offsetAt(Date.parse('2024-02-29T18:00:00Z'))).toBe(300);
    expect(clock.offsetAt(Date.parse('2024-02-29T17:00:00Z'))).toBe(360);
  });

  it('writes instants with the local offset of the moment', () => {
    expect(toLocalIso('2024-02-29T17:59:00Z')).toBe('2024-02-29T23:59:00+06:00');
    expect(toLocalIso('2024-02-29T18:00:00Z')).toBe('2024-02-29T23:00:00+05:00');
    expect(toLocalIso(new Date('2024-04-01T19:00:00.250Z'))).toBe('2024-04-02T00:00:00.250+05:00');
    expect(localDateOf('2019-12-31T18:30:00Z')).toBe('2020-01-01');
  });

  it('reads 1 March 2024 00:00 as the first instant the clocks showed that date', () => {
    expect(almatyClock.startOfDay(Date.UTC(2024, 2, 1) / 86_400_000)).toBe(Date.parse('2024-02-29T19:00:00Z'));
    expect(toLocalIso('2024-03-01')).toBe('2024-03-01T00:00:00+05:00');
  });

  it('refuses a date-time without an offset, which would be read in the machine\'s zone', () => {
    expect(() => toLocalIso('2024-03-01T09:00:00')).toThrow(/not an instant/);
  });
});

describe('Day terms', () => {
  it.each<[string, string, number, 'working-days' | 'calendar-days', string, string]>([
    // Nauryz 2020: 21-25 March off (two carried days), so Friday 20 + 2 working days ends Friday 27.
    ['Nauryz 2020', '2020-03-20T10:00:00+06:00', 2, 'working-days', '2020-03-27', '2020-03-28T00:00:00+06:00'],
    ['Nauryz 2021', '2021-03-19T10:00:00+06:00', 1, 'working-days', '2021-03-25', '2021-03-26T00:00:00+06:00'],
    ['Nauryz 2026', '2026-03-20T10:00:00+05:00', 1, 'working-days', '2026-03-26', '2026-03-27T00:00:00+05:00'],
    // 8 May 2020 off (the moved carry-over), 11 May a working day.
    ['Victory Day 2020', '2020-05-06T10:00:00+06:00', 2, 'working-days', '2020-05-12', '2020-05-13T00:00:00+06:00'],
    ['Victory Day 2020, one day', '2020-05-06T10:00:00+06:00', 1, 'working-days', '2020-05-11', '2020-05-12T00:00:00+06:00'],
    ['10 May 2022 off', '2022-05-06T10:00:00+06:00', 1, 'working-days', '2022-05-11', '2022-05-12T00:00:00+06:00'],
    ['1 Dec 2022 working', '2022-11-30T10:00:00+06:00', 1, 'working-days', '2022-12-01', '2022-12-02T00:00:00+06:00'],
    ['19 Dec 2022 working', '2022-12-15T10:00:00+06:00', 1, 'working-days', '2022-12-19', '2022-12-20T00:00:00+06:00'],
    ['17 Jun 2024 working', '2024-06-14T10:00:00+05:00', 1, 'working-days', '2024-06-17', '2024-06-18T00:00:00+05:00'],
    ['16 Mar 2026 working', '2026-03-13T10:00:00+05:00', 1, 'working-days', '2026-03-16', '2026-03-17T00:00:00+05:00'],
    ['31 Aug 2026 working', '2026-08-28T10:00:00+05:00', 1, 'working-days', '2026-08-31', '2026-09-01T00:00:00+05:00'],
    // New Year 2025: 1-2 Jan holidays, 3 Jan off by transfer, Sunday 5 Jan worked.
    ['New Year 2025', '2024-12-31T10:00:00+05:00', 2, 'working-days', '2025-01-06', '2025-01-07T00:00:00+05:00'],
    ['New Year 2023', '2022-12-30T10:00:00+06:00', 1, 'working-days', '2023-01-04', '2023-01-05T00:00:00+06:00'],
    ['New Year 2020 (transfer Sunday)', '2019-12-30T10:00:00+06:00', 2, 'working-days', '2020-01-05', '2020-01-06T00:00:00+06:00'],
    ['calendar days into New Year', '2025-12-31T10:00:00+05:00', 1, 'calendar-days', '2026-01-05', '2026-01-06T00:00:00+05:00'],
    // 29 calendar days landing on the Nauryz carry-over 24 March 2020 move to the next working day.
    ['29 calendar days onto Nauryz', '2020-02-24T10:00:00+06:00', 29, 'calendar-days', '2020-03-26', '2020-03-27T00:00:00+06:00'],
    // Across the 2024 offset change; the last day (Sat 30 March) moves to Monday 1 April.
    ['29 calendar days across 1 March 2024', '2024-03-01T10:00:00+05:00', 29, 'calendar-days', '2024-04-01', '2024-04-02T00:00:00+05:00'],
    ['a last day of 29 Feb 2024 ends at the first 00:00 of 1 March (+05)', '2024-02-27T10:00:00+06:00', 2, 'calendar-days', '2024-02-29', '2024-03-01T00:00:00+05:00'],
    ['an event just after local midnight counts on its local day, not the UTC one', '2024-03-04T19:30:00Z', 1, 'working-days', '2024-03-06', '2024-03-07T00:00:00+05:00'],
  ])('%s: %s + %d %s -> last day %s, due %s', (_, start, amount, unit, lastDay, due) => {
    const result = dueAt(start, amount, unit);
    expect(result).toMatchObject({ lastDay, dueAtLocal: due, provisional: false });
    expect(result.dueAt.getTime()).toBe(Date.parse(due));
  });

  it('marks a term that reaches a year without data as provisional', () => {
    expect(dueAt('2026-12-30T10:00:00+05:00', 3, 'working-days')).toMatchObject({ lastDay: '2027-01-06', provisional: true });
    expect(dueAt('2026-12-10T10:00:00+05:00', 3, 'working-days')).toMatchObject({ provisional: false });
  });

  it('gives the last day of a term from a local date', () => {
    expect(lastDayOfTerm('2020-03-20', 2, 'working-days')).toBe('2020-03-27');
    expect(lastDayOfTerm('2020-02-24', 29, 'calendar-days')).toBe('2020-03-26');
  });

  it('counts working days between two dates the way the term does', () => {
    expect(workingDaysBetween('2020-03-20', '2020-03-27')).toBe(2);
    expect(workingDaysBetween('2020-03-27', '2020-03-20')).toBe(-2);
    expect(workingDaysBetween('2024-12-31', '2025-01-06')).toBe(2);
  });

  it('lists the days of a range with why each is or is not a working day', () => {
    expect(listDays('2020-03-20', '2020-03-26').map((d) => [d.date, d.working, d.reason])).toEqual([
      ['2020-03-20', true, 'weekday'],
      ['2020-03-21', false, 'holiday'],
      ['2020-03-22', false, 'holiday'],
      ['2020-03-23', false, 'holiday'],
      ['2020-03-24', false, 'carry-over'],
      ['2020-03-25', false, 'carry-over'],
      ['2020-03-26', true, 'weekday'],
    ]);
    expect(() => listDays('2020-03-26', '2020-03-20')).toThrow(RangeError);
    expect(() => listDays('2018-01-01', '2030-01-01')).toThrow(/at most 3660 days/);
  });

  it('refuses a fractional or zero number of days', () => {
    expect(() => dueAt('2024-03-04T10:00:00+05:00', 1.5, 'working-days')).toThrow(RangeError);
    expect(() => dueAt('2024-03-04T10:00:00+05:00', 0, 'calendar-days')).toThrow(RangeError);
  });
});

describe('Minute and hour terms (working time)', () => {
  it.each<[string, string, number, NormUnit, string]>([
    ['inside a period', '2024-03-04T10:00:00+05:00', 15, 'minutes', '2024-03-04T10:15:00+05:00'],
    ['ending exactly at the lunch break', '2024-03-04T12:45:00+05:00', 15, 'minutes', '2024-03-04T13:00:00+05:00'],
    ['across the lunch break', '2024-02-29T12:50:00+06:00', 30, 'minutes', '2024-02-29T14:20:00+06:00'],
    ['starting at the lunch break', '2024-03-04T13:00:00+05:00', 15, 'minutes', '2024-03-04T14:15:00+05:00'],
    ['starting before opening', '2024-03-04T07:30:00+05:00', 60, 'minutes', '2024-03-04T10:00:00+05:00'],
    ['starting on a Saturday', '2024-03-02T10:00:00+05:00', 15, 'minutes', '2024-03-04T09:15:00+05:00'],
    ['across the 1 March 2024 offset change', '2024-02-29T17:50:00+06:00', 30, 'minutes', '2024-03-01T09:20:00+05:00'],
    ['hours across Nauryz 2020', '2020-03-20T16:00:00+06:00', 4, 'hours', '2020-03-26T11:00:00+06:00'],
    ['into a transfer working Sunday', '2020-01-04T12:00:00+06:00', 60, 'minutes', '2020-01-05T10:00:00+06:00'],
    ['hours across New Year 2020', '2019-12-31T17:00:00+06:00', 3, 'hours', '2020-01-05T11:00:00+06:00'],
    ['1 hour = 60 minutes', '2024-03-04T17:30:00+05:00', 1, 'hours', '2024-03-05T09:30:00+05:00'],
  ])('%s: %s + %d %s -> %s', (_, start, amount, unit, due) => {
    const result = dueAt(start, amount, unit);
    expect(result).toMatchObject({ dueAtLocal: due, lastDay: null, provisional: false });
    expect(result.dueAt.getTime()).toBe(Date.parse(due));
    const minutes = unit === 'hours' ? amount * 60 : amount;
    expect(workingTimeBetween(start, result.dueAt)).toBe(minutes);
  });

  it('follows a provider\'s own schedule', () => {
    const shortDay: WorkingSchedule = { periods: [{ start: '08:00', end: '12:00' }] };
    expect(dueAt('2024-03-04T11:00:00+05:00', 2, 'hours', shortDay).dueAtLocal).toBe('2024-03-05T09:00:00+05:00');
    expect(() => dueAt('2024-03-04T11:00:00+05:00', 2, 'hours', { periods: [{ start: '14:00', end: '13:00' }] })).toThrow(/ends/);
  });

  it('counts working time between two instants, in minutes, on working days only', () => {
    expect(workingTimeBetween('2024-03-04T08:00:00+05:00', '2024-03-04T19:00:00+05:00')).toBe(480);
    expect(workingTimeBetween('2024-03-07T17:00:00+05:00', '2024-03-11T10:00:00+05:00')).toBe(60 + 60);
    expect(workingTimeBetween('2024-03-04T10:30:00+05:00', '2024-03-04T10:00:00+05:00')).toBe(-30);
  });

  it('tells working time from breaks, weekends and holidays', () => {
    expect(isWorkingTime('2024-03-04T09:00:00+05:00')).toBe(true);
    expect(isWorkingTime('2024-03-04T13:00:00+05:00')).toBe(false);
    expect(isWorkingTime('2024-03-04T17:59:00+05:00')).toBe(true);
    expect(isWorkingTime('2024-03-04T18:00:00+05:00')).toBe(false);
    expect(isWorkingTime('2024-03-08T10:00:00+05:00')).toBe(false);
    expect(isWorkingTime('2020-01-05T10:00:00+06:00')).toBe(true);
  });

  it('finds where working time next counts from', () => {
    expect(toLocalIso(nextWorkingPeriodStart('2024-03-04T13:20:00+05:00'))).toBe('2024-03-04T14:00:00+05:00');
    expect(toLocalIso(nextWorkingPeriodStart('2024-03-04T10:20:00+05:00'))).toBe('2024-03-04T10:20:00+05:00');
    expect(toLocalIso(nextWorkingPeriodStart('2020-03-20T18:00:00+06:00'))).toBe('2020-03-26T09:00:00+06:00');
  });

  it('counts a portal request made outside working time from the next working period, an office one as it happened', () => {
    expect(toLocalIso(effectiveStart('2024-03-09T11:00:00+05:00', 'portal'))).toBe('2024-03-11T09:00:00+05:00');
    expect(toLocalIso(effectiveStart('2024-03-09T11:00:00+05:00', 'office'))).toBe('2024-03-09T11:00:00+05:00');
    const due = dueAt(effectiveStart('2024-03-09T11:00:00+05:00', 'portal'), 2, 'working-days');
    expect(due.lastDay).toBe('2024-03-13');
  });
});

describe('Judging a step against its norm', () => {
  const start = '2024-03-04T10:00:00+05:00';

  it('does not judge a step whose source states no norm', () => {
    const verdict = judgeNorm({ kind: 'none', note: 'The rules state no term for this step.', source: SOURCE }, start, null, '2025-01-01T00:00:00Z');
    expect(verdict).toMatchObject({ status: 'not-judged', dueAt: null, note: 'The rules state no term for this step.' });
  });

  describe('a 15-minute limit', () => {
    it.each<[string, string | null, string, string, { amount: number; unit: string } | null]>([
      ['done in time', '2024-03-04T10:10:00+05:00', '2024-03-04T11:00:00+05:00', 'on-time', null],
      ['done at the due instant', '2024-03-04T10:15:00+05:00', '2024-03-04T11:00:00+05:00', 'on-time', null],
      ['done late', '2024-03-04T10:20:00+05:00', '2024-03-04T11:00:00+05:00', 'late', { amount: 5, unit: 'minutes' }],
      ['open with time left', null, '2024-03-04T10:05:00+05:00', 'open', null],
      ['open with under 20% left', null, '2024-03-04T10:13:00+05:00', 'at-risk', null],
      ['open past due', null, '2024-03-04T10:30:00+05:00', 'overdue', { amount: 15, unit: 'minutes' }],
    ])('%s', (_, done, now, status, excess) => {
      const verdict = judgeNorm(limit(15, 'minutes'), start, done, now);
      expect(verdict.status).toBe(status);
      expect(verdict.dueAtLocal).toBe('2024-03-04T10:15:00+05:00');
      expect(verdict.excess).toEqual(excess);
    });

    it('is late after the due instant even in the lunch break, with no working minutes of excess', () => {
      const verdict = judgeNorm(limit(15, 'minutes'), '2024-03-04T12:45:00+05:00', '2024-03-04T13:30:00+05:00', '2024-03-04T15:00:00+05:00');
      expect(verdict).toMatchObject({ status: 'late', excess: { amount: 0, unit: 'minutes' }, overByMs: 30 * 60_000 });
    });
  });

  describe('a 2-working-day limit', () => {
    it.each<[string, string, string, number | null]>([
      ['two working days left', '2024-03-05T12:00:00+05:00', 'open', 2],
      ['the last day', '2024-03-06T09:00:00+05:00', 'at-risk', 1],
      ['the day after the last day', '2024-03-07T00:00:01+05:00', 'overdue', null],
    ])('%s', (_, now, status, remaining) => {
      const verdict = judgeNorm(limit(2, 'working-days'), start, null, now);
      expect(verdict.status).toBe(status);
      expect(verdict.lastDay).toBe('2024-03-06');
      if (remaining !== null) expect(verdict.remaining).toEqual({ amount: remaining, unit: 'working-days' });
      else expect(verdict.excess).toEqual({ amount: 1, unit: 'working-days' });
    });

    it('counts the excess of a late action in working days, skipping the days off', () => {
      // Last day Wed 6 March 2024; Friday 8 March is a holiday, so Monday 11 March is 2 working days late.
      const verdict = judgeNorm(limit(2, 'working-days'), start, '2024-03-11T10:00:00+05:00', '2024-03-12T00:00:00Z');
      expect(verdict).toMatchObject({ status: 'late', excess: { amount: 2, unit: 'working-days' } });
    });
  });

  describe('the rehabilitation window of 89 to 364 calendar days', () => {
    const window: Norm = { kind: 'window', min: 89, max: 364, unit: 'calendar-days', source: SOURCE };
    const appointed = '2019-03-01T10:00:00+06:00';

    it('opens on day 89 and closes at the end of day 364 (or the next working day)', () => {
      const verdict = judgeNorm(window, appointed, null, '2019-04-01T10:00:00+06:00');
      expect(verdict).toMatchObject({
        status: 'open',
        earliestAtLocal: '2019-05-29T00:00:00+06:00',
        lastDay: '2020-02-28',
        dueAtLocal: '2020-02-29T00:00:00+06:00',
      });
    });

    it.each<[string, string, string, { amount: number; unit: string } | null]>([
      ['finished before day 89', '2019-05-20T10:00:00+06:00', 'too-early', { amount: 9, unit: 'calendar-days' }],
      ['finished on day 89', '2019-05-29T09:00:00+06:00', 'on-time', null],
      ['finished on day 364', '2020-02-28T17:00:00+06:00', 'on-time', null],
      ['finished after day 364', '2020-03-02T10:00:00+06:00', 'too-late', { amount: 3, unit: 'calendar-days' }],
    ])('%s is %s', (_, done, status, excess) => {
      const verdict = judgeNorm(window, appointed, done, '2020-06-01T00:00:00Z');
      expect(verdict.status).toBe(status);
      expect(verdict.excess).toEqual(excess);
    });

    it('is overdue when still open after its last day', () => {
      expect(judgeNorm(window, appointed, null, '2020-03-01T12:00:00+06:00')).toMatchObject({ status: 'overdue', excess: { amount: 2, unit: 'calendar-days' } });
    });
  });
});
