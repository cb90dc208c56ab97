import type { LegalSource, Localized } from '../regulation.types.js';

/** A public holiday that is a day off, with the years it applies (KZ-CALENDAR.md, "Holidays"). */
export interface HolidayRule {
  id: string;
  /** MM-DD. */
  date: string;
  name: Localized;
  /** First year the holiday is a day off (inclusive); absent = every year the calendar covers. */
  fromYear?: number;
  /** Last year the holiday is a day off (inclusive); absent = still observed. */
  toYear?: number;
  /** Religious holidays are never carried over when they fall on a weekend. */
  religious: boolean;
  source: LegalSource;
}

/**
 * One year's published facts that the rules cannot produce: the government's (from 2024 the labour
 * ministry's) transfers of days off and the date of Kurban Ait. One file per year under `years/`, or an
 * operator's `<year>.json` in `CALENDAR_DATA_DIR`.
 */
export interface CalendarYearData {
  year: number;
  /** First day of Kurban Ait (YYYY-MM-DD, in `year`). */
  kurbanAit: { date: string; note?: string; source: LegalSource };
  transfers: CalendarTransfer[];
  source: LegalSource;
  note?: string;
}

export type CalendarTransfer =
  /** A weekend day becomes a working day and a weekday of the same year becomes a day off. */
  | { kind: 'swap'; workingDay: string; dayOff: string; source: LegalSource }
  /** The carry-over day the rule gives (`from`) is moved to another weekday (`to`), e.g. 2020: 11 May -> 8 May. */
  | { kind: 'carry-over-moved'; from: string; to: string; source: LegalSource };

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'carry-over' | 'transfer-day-off' | 'transfer-working-day';

export interface DayInfo {
  date: string;
  working: boolean;
  reason: DayReason;
  /** The holiday's name (also for a carried-over or moved day off). */
  name?: Localized;
  /** For a carry-over day: the holiday (weekend) date it was carried from. */
  carriedFrom?: string;
  /** For a transfer day off: the weekend day worked instead; for a transfer working day: the day off it bought. */
  transferredWith?: string;
  /** True when the year has no published data (transfers, Kurban Ait) and only the rules were applied. */
  provisional: boolean;
  source: LegalSource;
  note?: string;
}
