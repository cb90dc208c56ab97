import { MS_PER_DAY, MS_PER_MINUTE, yearOfDay } from './days.js';

/** The legal clock (DESIGN.md, Time): local time in Asia/Almaty, read from the tz database through Intl. */
export const LEGAL_TIME_ZONE = 'Asia/Almaty';

interface Transition {
  /** First UTC instant (ms) at which `offset` applies. */
  at: number;
  /** Offset from UTC in minutes. */
  offset: number;
}

const OFFSET_RE = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/;

/**
 * Offsets of one time zone as a table of transitions, filled lazily a year at a time from Intl, so that
 * the offset of an instant is a table look-up rather than a call into ICU. Nothing is hard-coded: the
 * 2024-03-01 change of Asia/Almaty (UTC+6 -> UTC+5) is found in the tz data Node ships.
 */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly transitions: Transition[] = [];
  private fromYear = 0;
  private toYear = -1;
  /** The UTC instants [coveredFrom, coveredTo) the table is known to cover. */
  private coveredFrom = Infinity;
  private coveredTo = -Infinity;

  constructor(readonly timeZone: string = LEGAL_TIME_ZONE) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset', year: 'numeric' });
  }

  /** Offset from UTC in minutes at the instant. */
  offsetAt(ms: number): number {
    if (!(ms >= this.coveredFrom && ms < this.coveredTo)) {
      const year = new Date(ms).getUTCFullYear();
      if (year < this.fromYear || year > this.toYear) this.cover(year);
      this.coveredFrom = Date.UTC(this.fromYear, 0, 1);
      this.coveredTo = Date.UTC(this.toYear + 1, 0, 1);
    }
    const t = this.transitions;
    if (t.length === 1 || ms >= t[t.length - 1].at) return t[t.length - 1].offset;
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid].at <= ms) lo = mid;
      else hi = mid - 1;
    }
    return t[lo].offset;
  }

  /** Local day number of the instant. */
  localDay(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms) * MS_PER_MINUTE) / MS_PER_DAY);
  }

  /** Milliseconds since local midnight. */
  localTimeOfDay(ms: number): number {
    const local = ms + this.offsetAt(ms) * MS_PER_MINUTE;
    return local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  }

  /**
   * The UTC instant of a local wall-clock time given as ms since 1970-01-01 local. A time that occurs twice
   * (clocks turned back) resolves to its first occurrence; a time skipped by clocks turned forward resolves
   * to the instant the clocks jumped past it.
   */
  localToUtc(localMs: number): number {
    const before = this.offsetAt(localMs - 15 * 60 * MS_PER_MINUTE);
    const after = this.offsetAt(localMs + 15 * 60 * MS_PER_MINUTE);
    const a = localMs - before * MS_PER_MINUTE;
    const b = localMs - after * MS_PER_MINUTE;
    const aValid = this.offsetAt(a) === before;
    const bValid = this.offsetAt(b) === after;
    if (aValid && bValid) return Math.min(a, b);
    if (aValid) return a;
    if (bValid) return b;
    return localMs - before * MS_PER_MINUTE;
  }

  /** UTC instant of 00:00 local on the day. */
  startOfDay(day: number): number {
    return this.localToUtc(day * MS_PER_DAY);
  }

  private intlOffset(ms: number): number {
    const parts = this.format.formatToParts(new Date(ms));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = OFFSET_RE.exec(name);
    if (!m) throw new Error(`cannot read the UTC offset of ${this.timeZone} from ${JSON.stringify(name)}`);
    if (!m[1]) return 0;
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === '-' ? -minutes : minutes;
  }

  private cover(year: number): void {
    if (this.toYear < this.fromYear) {
      this.fromYear = year;
      this.toYear = year - 1;
      this.transitions.push({ at: -Infinity, offset: this.intlOffset(Date.UTC(year, 0, 1)) });
      this.extendForward(year);
      return;
    }
    if (year > this.toYear) this.extendForward(year);
    else this.extendBackward(year);
  }

  private extendForward(year: number): void {
    for (let y = this.toYear + 1; y <= year; y++) {
      const start = Date.UTC(y, 0, 1);
      const end = Date.UTC(y + 1, 0, 1);
      let prevMs = start;
      let prev = this.intlOffset(start);
      // The last known offset may differ from this year's first: the change happened at the year boundary.
      if (prev !== this.transitions[this.transitions.length - 1].offset) {
        this.transitions.push({ at: this.findChange(start - MS_PER_DAY, start), offset: prev });
      }
      for (let ms = start + MS_PER_DAY; ms <= end; ms += MS_PER_DAY) {
        const off = this.intlOffset(ms);
        if (off !== prev) {
          this.transitions.push({ at: this.findChange(prevMs, ms), offset: off });
          prev = off;
        }
        prevMs = ms;
      }
      this.toYear = y;
    }
  }

  private extendBackward(year: number): void {
    for (let y = this.fromYear - 1; y >= year; y--) {
      const start = Date.UTC(y, 0, 1);
      const end = Date.UTC(y + 1, 0, 1);
      const found: Transition[] = [];
      let prevMs = start;
      let prev = this.intlOffset(start);
      const first = prev;
      for (let ms = start + MS_PER_DAY; ms < end; ms += MS_PER_DAY) {
        const off = this.intlOffset(ms);
        if (off !== prev) {
          found.push({ at: this.findChange(prevMs, ms), offset: off });
          prev = off;
        }
        prevMs = ms;
      }
      const nextFirst = this.transitions[0].offset;
      const boundary: Transition[] = prev !== nextFirst ? [{ at: this.findChange(prevMs, end), offset: nextFirst }] : [];
      const rest = this.transitions.slice(1);
      this.transitions.length = 0;
      this.transitions.push({ at: -Infinity, offset: first }, ...found, ...boundary, ...rest);
      this.fromYear = y;
    }
  }

  /** First minute in (lo, hi] whose offset differs from the offset at lo. */
  private findChange(lo: number, hi: number): number {
    const base = this.intlOffset(lo);
    while (hi - lo > MS_PER_MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
      if (mid <= lo) break;
      if (this.intlOffset(mid) === base) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

export const almatyClock = new ZoneClock(LEGAL_TIME_ZONE);

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO-8601 with the local offset, e.g. `2024-04-02T00:00:00+05:00`; milliseconds only when not zero. */
export function formatLocalIso(ms: number, clock: ZoneClock = almatyClock): string {
  const offset = clock.offsetAt(ms);
  const d = new Date(ms + offset * MS_PER_MINUTE);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const millis = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    (millis ? `.${pad(millis, 3)}` : '') +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function localYearOf(ms: number, clock: ZoneClock = almatyClock): number {
  return yearOfDay(clock.localDay(ms));
}
