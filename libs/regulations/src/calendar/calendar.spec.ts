import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CalendarDataError, CalendarRangeError } from '../errors.js';
import { KzCalendar, configureDefaultCalendar, getDefaultCalendar } from './calendar.js';
import { dueAt } from '../terms.js';
import type { CalendarYearData, DayReason } from './calendar.types.js';
import { loadCalendarYearFiles } from './load-year-files.js';
import { validateCalendarYear } from './calendar-year.validate.js';
import { BUILT_IN_YEARS } from './years/index.js';
import { parseDate } from './days.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const calendar = getDefaultCalendar();

describe('Kazakhstan working calendar', () => {
  describe('the hard dates', () => {
    const HARD_DATES: Array<[string, boolean, DayReason, string?]> = [
      // Nauryz 2020: 21-22 on Sat/Sun, 23 Monday is Nauryz itself, so 24 and 25 carried.
      ['2020-03-20', true, 'weekday'],
      ['2020-03-21', false, 'holiday'],
      ['2020-03-22', false, 'holiday'],
      ['2020-03-23', false, 'holiday'],
      ['2020-03-24', false, 'carry-over', '2020-03-21'],
      ['2020-03-25', false, 'carry-over', '2020-03-22'],
      ['2020-03-26', true, 'weekday'],
      // Nauryz 2021: 21 Sunday, 22-23 Mon-Tue, one day carried after the block.
      ['2021-03-21', false, 'holiday'],
      ['2021-03-23', false, 'holiday'],
      ['2021-03-24', false, 'carry-over', '2021-03-21'],
      ['2021-03-25', true, 'weekday'],
      // Nauryz 2026: 21-22 Sat/Sun, 23 Monday, two days carried.
      ['2026-03-23', false, 'holiday'],
      ['2026-03-24', false, 'carry-over', '2026-03-21'],
      ['2026-03-25', false, 'carry-over', '2026-03-22'],
      ['2026-03-26', true, 'weekday'],
      // 2020: the Victory Day carry-over moved from Mon 11 May to Fri 8 May.
      ['2020-05-08', false, 'transfer-day-off', '2020-05-09'],
      ['2020-05-11', true, 'weekday'],
      // 2022: 7 May Saturday, 9 May a holiday, so the carried day moves past it to 10 May.
      ['2022-05-09', false, 'holiday'],
      ['2022-05-10', false, 'carry-over', '2022-05-07'],
      // First President's Day ended with 2021, the second day of Independence Day too.
      ['2021-12-01', false, 'holiday'],
      ['2022-12-01', true, 'weekday'],
      ['2022-12-19', true, 'weekday'],
      // Kurban Ait 2024 was Sunday 16 June (religious: not carried); 17 June stayed a working day.
      ['2024-06-16', false, 'holiday'],
      ['2024-06-17', true, 'weekday'],
      // 2026: 15 March is not yet Constitution Day (from 2027), 30 August no longer is.
      ['2026-03-16', true, 'weekday'],
      ['2026-08-30', false, 'weekend'],
      ['2026-08-31', true, 'weekday'],
      // New Year blocks.
      ['2022-01-03', false, 'carry-over', '2022-01-01'],
      ['2022-01-04', false, 'carry-over', '2022-01-02'],
      ['2023-01-03', false, 'carry-over', '2023-01-01'],
      ['2021-01-04', false, 'carry-over', '2021-01-02'],
      // Orthodox Christmas is never carried: 7 Jan 2018 was a Sunday, 8 Jan a working day.
      ['2018-01-07', false, 'holiday'],
      ['2018-01-08', true, 'weekday'],
      // Transfers.
      ['2018-03-03', true, 'transfer-working-day'],
      ['2018-03-09', false, 'transfer-day-off'],
      ['2020-01-05', true, 'transfer-working-day'],
      ['2020-01-03', false, 'transfer-day-off'],
      ['2024-05-04', true, 'transfer-working-day'],
      ['2024-05-08', false, 'transfer-day-off'],
      ['2025-01-03', false, 'transfer-day-off'],
      // Republic Day from 2022.
      ['2021-10-25', true, 'weekday'],
      ['2022-10-25', false, 'holiday'],
      ['2025-10-27', false, 'carry-over', '2025-10-25'],
    ];
    // Every row gets four cells: jest takes a missing last argument for the `done` callback.
    it.each(HARD_DATES.map(([d, w, r, c]) => [d, w, r, c ?? null] as const))('%s: working %s (%s)', (date, working, reason, carriedFrom) => {
      const info = calendar.dayInfo(date);
      expect({ working: info.working, reason: info.reason }).toEqual({ working, reason });
      if (carriedFrom) expect(info.carriedFrom).toBe(carriedFrom);
      expect(info.provisional).toBe(false);
      expect(calendar.isWorkingDay(parseDate(date))).toBe(working);
    });

    it('names the holiday in Kazakh, Russian and English and gives its source', () => {
      const nauryz = calendar.dayInfo('2024-03-21');
      expect(nauryz.name).toEqual({ kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' });
      expect(nauryz.source.document).toMatch(/On holidays/);
      expect(calendar.dayInfo('2020-03-24').source.document).toMatch(/Labour Code/);
      expect(calendar.dayInfo('2020-05-08').source.document).toMatch(/transfer of days off in 2020/);
    });

    it('counts 249 working days in 2024: 262 weekdays - 11 weekday holidays - 2 carry-overs - 8 May + Saturday 4 May', () => {
      const from = parseDate('2023-12-31');
      const to = parseDate('2024-12-31');
      expect(calendar.workingDaysBetween(from, to)).toBe(249);
    });
  });

  describe('for a year without published data', () => {
    it('applies the fixed holidays and the carry-over rule and says the answer is provisional', () => {
      const info = calendar.dayInfo('2027-03-15');
      expect(info).toMatchObject({ working: false, reason: 'holiday', provisional: true });
      expect(info.note).toMatch(/computed from the rules alone/);
      expect(calendar.dayInfo('2027-01-04')).toMatchObject({ working: false, reason: 'carry-over', carriedFrom: '2027-01-02', provisional: true });
      expect(calendar.dayInfo('2027-08-30')).toMatchObject({ working: true, reason: 'weekday', provisional: true });
    });

    it('refuses a year before the data starts rather than guessing its transfers', () => {
      expect(() => calendar.dayInfo('2017-12-29')).toThrow(CalendarRangeError);
      expect(() => calendar.dayInfo('2017-12-29')).toThrow(/starts in 2018/);
      expect(() => calendar.isWorkingDay(parseDate('2017-12-31'))).toThrow(CalendarRangeError);
    });
  });

  describe('an operator\'s year files (CALENDAR_DATA_DIR)', () => {
    it('adds a year from <year>.json, which is then exact, not provisional', () => {
      const extended = new KzCalendar({ extraYears: loadCalendarYearFiles(path.join(FIXTURES, 'operator-years')) });
      expect(extended.dayInfo('2027-01-08')).toMatchObject({ working: false, reason: 'transfer-day-off', provisional: false });
      expect(extended.dayInfo('2027-01-09')).toMatchObject({ working: true, reason: 'transfer-working-day' });
      expect(extended.dayInfo('2027-05-16')).toMatchObject({ working: false, reason: 'holiday', provisional: false });
      expect(extended.dayInfo('2028-01-03')).toMatchObject({ provisional: true });
      expect(calendar.dayInfo('2027-01-08')).toMatchObject({ working: true, provisional: true });
    });

    it('rejects a bad file, naming the file and every field at fault', () => {
      const files = loadCalendarYearFiles(path.join(FIXTURES, 'bad-years'));
      const build = () => new KzCalendar({ extraYears: files });
      expect(build).toThrow(CalendarDataError);
      expect(build).toThrow(/bad-years\/2028\.json: kurbanAit\.date: must be a date in 2028 \(got 2027-05-05\)/);
      expect(build).toThrow(/transfers\[0\]\.workingDay: must be a Saturday or Sunday \(2028-01-10 is not\)/);
      expect(build).toThrow(/transfers\[0\]\.dayOff: must be a weekday \(2028-01-08 is a weekend day\)/);
    });

    it('makes the terms use the added year once the default calendar is configured with it', () => {
      const before = dueAt('2027-01-07T10:00:00+05:00', 1, 'working-days');
      expect(before).toMatchObject({ lastDay: '2027-01-08', provisional: true });
      try {
        configureDefaultCalendar({ extraYears: loadCalendarYearFiles(path.join(FIXTURES, 'operator-years')) });
        // In the fixture 8 January 2027 is a transfer day off and Saturday 9 January is worked.
        expect(dueAt('2027-01-07T10:00:00+05:00', 1, 'working-days')).toMatchObject({ lastDay: '2027-01-09', provisional: false });
      } finally {
        configureDefaultCalendar({});
      }
      expect(dueAt('2027-01-07T10:00:00+05:00', 1, 'working-days')).toMatchObject({ lastDay: '2027-01-08', provisional: true });
    });

    it('rejects a directory that does not exist', () => {
      expect(() => loadCalendarYearFiles(path.join(FIXTURES, 'missing'))).toThrow(/cannot read the calendar data directory/);
    });
  });

  describe('validating a year', () => {
    const year2020 = (): CalendarYearData => {
      const data = BUILT_IN_YEARS.find((y) => y.year === 2020);
      if (!data) throw new Error('2020 is not built in');
      return structuredClone(data);
    };

    it('rejects a transfer to another year', () => {
      const data = year2020();
      data.transfers[0] = { ...data.transfers[0], kind: 'swap', workingDay: '2020-01-05', dayOff: '2021-01-08' } as never;
      expect(() => validateCalendarYear(data, 'years/2020.ts')).toThrow('years/2020.ts: transfers[0].dayOff: must be a date in 2020 (got 2021-01-08)');
    });

    it('rejects a day off that is already a holiday', () => {
      const data = year2020();
      data.transfers[0] = { kind: 'swap', workingDay: '2020-01-05', dayOff: '2020-01-07', source: data.source };
      expect(() => validateCalendarYear(data, 'years/2020.ts')).toThrow('transfers[0].dayOff: 2020-01-07 is already a public holiday');
    });

    it('rejects moving a carry-over that the rules do not produce', () => {
      const data = year2020();
      data.transfers[2] = { kind: 'carry-over-moved', from: '2020-05-12', to: '2020-05-08', source: data.source };
      const others = BUILT_IN_YEARS.filter((y) => y.year !== 2020).map((y) => ({ file: `${y.year}`, data: y }));
      expect(() => new KzCalendar({ builtInYears: [...others, { file: 'years/2020.ts', data }] })).toThrow(
        'years/2020.ts: transfers[2].from: 2020-05-12 is not a carry-over day under the rules, so it cannot be moved',
      );
    });

    it('rejects an invalid date and an unknown field', () => {
      const data = { ...year2020(), kurbanAit: { ...year2020().kurbanAit, date: '2020-02-30' }, extra: 1 };
      expect(() => validateCalendarYear(data, 'x.json')).toThrow(/kurbanAit\.date: must be a calendar date YYYY-MM-DD \(got "2020-02-30"\); extra: is not a field/);
    });

    it('has a complete, valid file for every year 2018-2026', () => {
      expect(BUILT_IN_YEARS.map((y) => y.year)).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
      for (const y of BUILT_IN_YEARS) expect(() => validateCalendarYear(y, `${y.year}`)).not.toThrow();
    });
  });

  describe('the working-day index', () => {
    it('finds the Nth working day after a day, across a year boundary and a transfer Sunday', () => {
      // 2019-12-30 Mon: 31 Dec, then 1-2 Jan holidays, 3 Jan transfer day off, Sun 5 Jan worked, Mon 6 Jan.
      const start = parseDate('2019-12-30');
      expect(calendar.dateString(calendar.nthWorkingDayAfter(start, 1))).toBe('2019-12-31');
      expect(calendar.dateString(calendar.nthWorkingDayAfter(start, 2))).toBe('2020-01-05');
      expect(calendar.dateString(calendar.nthWorkingDayAfter(start, 3))).toBe('2020-01-06');
    });

    it('agrees with a day-by-day count over 2018-2030', () => {
      let count = 0;
      const first = parseDate('2018-01-01');
      for (let d = first; d <= parseDate('2030-12-31'); d++) {
        expect(calendar.workingDaysBefore(d)).toBe(count);
        if (calendar.dayInfo(calendar.dateString(d)).working) count++;
      }
    });
  });
});
