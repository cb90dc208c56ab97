import { almatyLocalToIso, almatyOffsetMinutes, almatyToday, almatyWallClockMs, formatDateTime, formatMonth, isoToAlmatyLocal, monthsAgo } from './format.js';

describe('Times shown in Almaty', () => {
  it('shows an instant in Almaty local time whatever zone it was written in', () => {
    expect(formatDateTime('2019-01-21T10:02:00.000Z', 'en')).toBe('21/01/2019, 16:02');
    expect(formatDateTime('2019-01-21T16:02:00+06:00', 'ru')).toBe('21.01.2019, 16:02');
  });

  it('follows the change of Almaty from UTC+6 to UTC+5 on 1 March 2024', () => {
    expect(almatyOffsetMinutes(new Date('2024-02-28T12:00:00Z'))).toBe(360);
    expect(almatyOffsetMinutes(new Date('2024-03-02T12:00:00Z'))).toBe(300);
    expect(formatDateTime('2026-11-06T05:31:00Z', 'en')).toBe('06/11/2026, 10:31');
  });

  it('reads a date-time typed by the user as Almaty time, with the offset in force then', () => {
    expect(almatyLocalToIso('2019-06-10T12:00')).toBe('2019-06-10T12:00:00+06:00');
    expect(almatyLocalToIso('2025-06-10T12:00')).toBe('2025-06-10T12:00:00+05:00');
    expect(almatyLocalToIso('not a date')).toBeNull();
    expect(isoToAlmatyLocal('2019-06-10T06:00:00Z')).toBe('2019-06-10T12:00');
  });

  it('shifts instants so charts drawn in UTC show Almaty wall-clock time', () => {
    expect(new Date(almatyWallClockMs('2019-01-21T10:02:00Z')).toISOString()).toBe('2019-01-21T16:02:00.000Z');
  });

  it("knows Almaty's date when it is still yesterday in UTC", () => {
    expect(almatyToday(new Date('2026-11-21T20:30:00Z'))).toBe('2026-11-22');
    expect(monthsAgo(11, new Date('2026-11-21T20:30:00Z'))).toBe('2025-12-01');
  });

  it('names months in the chosen language', () => {
    expect(formatMonth('2019-06', 'en')).toBe('Jun 2019');
    expect(formatMonth('2019-06', 'ru')).toMatch(/июн/i);
  });
});
