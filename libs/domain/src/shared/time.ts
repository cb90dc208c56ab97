import { DomainError } from './domain-error.js';
import type { CommandMetadata } from './messages.js';

/** An ISO-8601 instant with an explicit offset or Z: a bare local time would be ambiguous. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: unknown, field: string): number {
  if (typeof value !== 'string' || !INSTANT_RE.test(value)) {
    throw new DomainError('INVALID_INPUT', `${field} must be an ISO-8601 instant with an offset`, field);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new DomainError('INVALID_INPUT', `${field} is not a valid instant`, field);
  return ms;
}

export function toUtc(ms: number): string {
  return new Date(ms).toISOString();
}

// The legal clock is Asia/Almaty from the tz database (UTC+6 until 2024-03-01, UTC+5 since): Intl reads
// the tz data Node ships, so the 2024 change needs no code here.
const almatyDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Almaty',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Almaty local date (YYYY-MM-DD) of an instant. */
export function almatyDate(ms: number): string {
  const parts = almatyDateFormat.formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export interface CommandTimes {
  nowMs: number;
  occurredMs: number;
  /** UTC ISO of the recording instant. */
  recordedAt: string;
  /** UTC ISO of when it happened. */
  occurredAt: string;
}

/**
 * Reads the command's instants. An action may be recorded late (occurredAt before now), never ahead of
 * the recording clock beyond the allowed skew between the caller's clock and ours.
 */
export function commandTimes(metadata: CommandMetadata, clockSkewMs: number): CommandTimes {
  const nowMs = parseInstant(metadata.now, 'now');
  const occurredMs = metadata.occurredAt === undefined ? nowMs : parseInstant(metadata.occurredAt, 'occurredAt');
  if (occurredMs > nowMs + clockSkewMs) {
    throw new DomainError(
      'OCCURRED_IN_FUTURE',
      `occurredAt ${metadata.occurredAt} is later than the recording instant ${metadata.now}`,
      'occurredAt',
    );
  }
  return { nowMs, occurredMs, recordedAt: toUtc(nowMs), occurredAt: toUtc(occurredMs) };
}
