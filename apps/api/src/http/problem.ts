import type { Socket } from 'node:net';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@sped/platform';
import { unavailableReason } from '@sped/event-store';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/** An error that already knows its RFC 9457 problem document. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }
}

export const badRequest = (detail: string, errors?: FieldProblem[]) => new ProblemError(400, 'VALIDATION_FAILED', 'The request is not valid', detail, errors);
export const notFound = (what: string) => new ProblemError(404, 'NOT_FOUND', 'Not found', what);
export const forbidden = (code: string, detail: string) => new ProblemError(403, code, 'Forbidden', detail);

const DOMAIN_STATUS: Record<string, number> = {
  ROLE_NOT_ALLOWED: 403,
  PROVIDER_MISMATCH: 403,
  NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  COMPLAINT_NOT_FOUND: 404,
};

function titleFromCode(code: string): string {
  const s = code.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Maps anything thrown while serving a request to a problem document. Nothing leaks as a bare 500. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const e = error as { name?: string; code?: string; message?: string; field?: string; statusCode?: number; streamId?: string; expected?: unknown; actual?: unknown };
  if (e?.name === 'DomainError' && typeof e.code === 'string') {
    return new ProblemError(DOMAIN_STATUS[e.code] ?? 422, e.code, titleFromCode(e.code), e.message, e.field ? [{ field: e.field, message: e.message ?? e.code }] : undefined);
  }
  if (e?.name === 'IdempotencyKeyReusedError') {
    return new ProblemError(422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency key reused', e.message, [{ field: 'Idempotency-Key', message: 'already used with a different body' }]);
  }
  if (e?.name === 'PreconditionFailedError') {
    const actual = (e as { actual?: number | null }).actual;
    return new ProblemError(412, 'PRECONDITION_FAILED', 'The record has changed', e.message, [{ field: 'If-Match', message: actual == null ? 'stale' : `current version is ${actual}` }], actual == null ? {} : { currentVersion: actual });
  }
  if (e?.name === 'WrongExpectedVersionError') {
    return new ProblemError(409, 'CONCURRENCY_CONFLICT', 'The record was changed by someone else', `${e.message}. Reload and try again.`, undefined, {
      expectedVersion: e.expected,
      actualVersion: e.actual,
    });
  }
  if (e?.name === 'EventStoreUnavailableError' || isDatabaseDown(e)) {
    return new ProblemError(503, 'STORAGE_UNAVAILABLE', 'Storage is unavailable', 'The database is not reachable right now; nothing was recorded. Retry shortly.', undefined, {}, { 'retry-after': '5' });
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own errors (malformed JSON, body too large, content type) with the original as cause.
    const cause = (error as { cause?: { code?: string; statusCode?: number } }).cause;
    if (cause && typeof cause.statusCode === 'number' && cause.code?.startsWith('FST_')) return toProblem(cause);
    const status = error.getStatus();
    const code = status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : `HTTP_${status}`;
    return new ProblemError(status, code, titleFromCode(code), error.message);
  }
  // Fastify's own errors (body parsing, limits, content type) carry a statusCode and an FST_ code.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const map: Record<string, [string, string]> = {
      FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'The body is not valid JSON'],
      FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'The body is empty'],
      FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'The body is too large'],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Send application/json'],
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_CONTENT_LENGTH', 'The Content-Length does not match the body'],
      FST_ERR_BAD_URL: ['BAD_URL', 'The URL is not valid'],
      FST_ERR_MAX_PARAM_LENGTH: ['URL_TOO_LONG', 'A path segment is too long'],
    };
    const [code, title] = map[e.code ?? ''] ?? [e.code?.startsWith('FST_') ? 'BAD_REQUEST' : (e.code ?? 'BAD_REQUEST'), 'Bad request'];
    const jsonSyntax = e.name === 'SyntaxError' || /JSON/.test(e.message ?? '');
    return new ProblemError(e.statusCode, jsonSyntax && code === 'BAD_REQUEST' ? 'MALFORMED_JSON' : code, title, e.message, [{ field: 'body', message: e.message ?? title }]);
  }
  return new ProblemError(500, 'INTERNAL_ERROR', 'Internal error', 'Something went wrong on our side; nothing was recorded if the request was a command. The error was logged.');
}

function isDatabaseDown(e: { code?: string; message?: string } | undefined): boolean {
  if (!e) return false;
  // Also timeouts of a stalled server, server-side statement timeouts, too many connections, a closed pool.
  if (unavailableReason(e) !== null) return true;
  if (typeof e.code === 'string' && (/^08/.test(e.code) || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET'].includes(e.code))) return true;
  return /Connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|Connection refused/i.test(e.message ?? '');
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError) {
  const body: ProblemBody = {
    type: `https://sped.kz/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`,
    title: problem.title,
    status: problem.status,
    code: problem.code,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: request.url.split('?')[0],
    ...(problem.errors?.length ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
  for (const [k, v] of Object.entries(problem.headers)) reply.header(k, v);
  reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'Request Header Fields Too Large', 'The request line and headers are larger than the server takes (16 KiB); send long values in the body.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'Request Timeout', 'The request did not arrive in time.'],
};

/**
 * Fastify's clientErrorHandler: a request Node's HTTP parser refuses before any route sees it (headers or
 * URL too long, not HTTP at all) is answered as a problem document too, on the raw socket, which is then closed.
 */
export function sendClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, title, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'BAD_REQUEST', 'Bad Request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ type: `https://sped.kz/problems/${code.toLowerCase().replace(/_/g, '-')}`, title, status, code, detail });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = toProblem(error);
    if (problem.status >= 500) this.logger.error({ err: error, url: request.url, method: request.method }, 'request failed');
    sendProblem(reply, request, problem);
  }
}
