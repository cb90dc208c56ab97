/**
 * Dates and numbers as people in Kazakhstan read them: every instant in Almaty local time (Asia/Almaty,
 * UTC+6 until 1 March 2024, UTC+5 since), whatever the browser's own time zone is.
 */
import { intlLocale, type Locale } from './i18n/index.js';

export const TIME_ZONE = 'Asia/Almaty';

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: Locale, kind: 'datetime' | 'date' | 'month' | 'time' | 'parts'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'datetime'
        ? { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : kind === 'date'
          ? { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }
          : kind === 'time'
            ? { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
            : kind === 'month'
              ? { timeZone: 'UTC', year: 'numeric', month: 'short' }
              : { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(kind === 'parts' ? 'en-US' : intlLocale(locale), options);
    cache.set(key, f);
  }
  return f;
}

const instant = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

/** 21.01.2019, 16:02 (Almaty). Empty values read as an em dash. */
export function formatDateTime(value: string | number | Date | null | undefined, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  const d = instant(value);
  return Number.isNaN(d.getTime()) ? String(value) : dtf(locale, 'datetime').format(d);
}

export function formatDate(value: string | number | Date | null | undefined, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  const d = instant(value);
  return Number.isNaN(d.getTime()) ? String(value) : dtf(locale, 'date').format(d);
}

export function formatTime(value: string | number | Date, locale: Locale): string {
  return dtf(locale, 'time').format(instant(value));
}

/** '2019-06' -> 'Jun 2019' in the chosen language. */
export function formatMonth(month: string, locale: Locale): string {
  return dtf(locale, 'month').format(new Date(`${month}-01T00:00:00Z`));
}

export function formatPercent(share: number | null | undefined, locale: Locale): string {
  if (share === null || share === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

function almatyParts(d: Date) {
  const parts = Object.fromEntries(dtf('en', 'parts').formatToParts(d).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), h: Number(parts.hour) % 24, mi: Number(parts.minute), s: Number(parts.second) };
}

/** Almaty's offset from UTC at an instant, in minutes (360 before 1 March 2024, 300 since). */
export function almatyOffsetMinutes(at: Date): number {
  const p = almatyParts(at);
  return Math.round((Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant shifted so that its UTC fields read Almaty wall-clock time. Charts that format axes in UTC
 * then show Almaty time without depending on the browser's zone.
 */
export function almatyWallClockMs(value: string | number | Date): number {
  const d = instant(value);
  return d.getTime() + almatyOffsetMinutes(d) * 60000;
}

/** Today's date in Almaty, YYYY-MM-DD. */
export function almatyToday(now = new Date()): string {
  const p = almatyParts(now);
  return `${p.y}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An <input type="datetime-local"> value read as Almaty time -> ISO-8601 with Almaty's offset then. */
export function almatyLocalToIso(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offset at the instant itself; one correction step settles it, as Almaty's offset changes rarely and never by more than an hour.
  let offset = almatyOffsetMinutes(new Date(wall - 360 * 60000));
  offset = almatyOffsetMinutes(new Date(wall - offset * 60000));
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as an <input type="datetime-local"> value in Almaty time. */
export function isoToAlmatyLocal(value: string): string {
  const p = almatyParts(new Date(value));
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/** First day of the month `months` before today's month in Almaty, YYYY-MM-DD. */
export function monthsAgo(months: number, now = new Date()): string {
  const p = almatyParts(now);
  const d = new Date(Date.UTC(p.y, p.mo - 1 - months, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-01`;
}
