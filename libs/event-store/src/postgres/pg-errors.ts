import { EventStoreUnavailableError } from '../event-store.js';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the database running?)',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed, try again',
  EPIPE: 'connection closed by the server',
};

const SQLSTATE_REASONS: Record<string, string> = {
  '57P01': 'the server is shutting down',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up or cannot accept connections now',
  '53300': 'too many connections',
  '57014': 'a statement timed out',
  '55P03': 'a lock could not be taken in time',
};

const MESSAGE_REASONS: Array<[RegExp, string]> = [
  [/timeout exceeded when trying to connect/i, 'no connection within the connection timeout'],
  [/Query read timeout/i, 'no answer within the query timeout'],
  [/Connection terminated/i, 'the connection was closed'],
  [/Client has encountered a connection error/i, 'the connection failed'],
  [/Cannot use a pool after calling end/i, 'the store is closed'],
  [/too many connections/i, 'too many connections'],
];

function codeOf(error: unknown): string | undefined {
  const e = error as ErrorLike | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = codeOf(inner);
      if (code) return code;
    }
  }
  return undefined;
}

function messageOf(error: unknown): string {
  const e = error as ErrorLike | null;
  if (e && typeof e.message === 'string' && e.message) return e.message;
  if (e && Array.isArray(e.errors)) return e.errors.map(messageOf).join('; ');
  return String(error);
}

/** Why the database cannot serve us, or null when the error is about the request itself. */
export function unavailableReason(error: unknown): string | null {
  const code = codeOf(error);
  if (code && NETWORK_CODES[code]) return NETWORK_CODES[code];
  if (code && SQLSTATE_REASONS[code]) return SQLSTATE_REASONS[code];
  if (code && /^08/.test(code)) return 'connection failure';
  const message = messageOf(error);
  for (const [pattern, reason] of MESSAGE_REASONS) if (pattern.test(message)) return reason;
  return null;
}

/** Connection-level failures become EventStoreUnavailableError naming the database; others pass through. */
export function toStoreError(error: unknown, target: string): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  const reason = unavailableReason(error);
  if (reason === null) return error;
  return new EventStoreUnavailableError(`Event store database ${target} is unavailable: ${reason} (${messageOf(error)})`, { cause: error });
}

/** An error about the statement itself (constraint, data, raised by our function, SQL), after which the connection is still good. */
export function isStatementError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && /^(22|23|42|P0)/.test(code);
}

export function isUniqueViolation(error: unknown): boolean {
  return codeOf(error) === '23505';
}

/** host:port/database of a connection string, without credentials, for messages. */
export function describeTarget(config: { connectionString?: string; host?: string; port?: number; database?: string }): string {
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString);
      const host = url.hostname || url.searchParams.get('host') || 'localhost';
      return `${host}:${url.port || 5432}${url.pathname || '/'}`;
    } catch {
      return 'at the configured connection string';
    }
  }
  return `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}
