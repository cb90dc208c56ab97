import type { FastifyRequest } from 'fastify';
import { badRequest } from '../http/problem.js';
import type { Actor } from '../auth/auth.js';
import { canonicalJson, sha256 } from './ids.js';
import type { Idempotency } from '@sped/event-store';

/** Reads `Idempotency-Key` and `If-Match` (a stream version, bare or as an ETag "3" / W/"3"). */
export function commandHeaders(request: FastifyRequest, actor: Actor, body: unknown): { idempotency?: Idempotency; ifMatch?: number } {
  const keyHeader = request.headers['idempotency-key'];
  const matchHeader = request.headers['if-match'];
  let idempotency: Idempotency | undefined;
  if (keyHeader !== undefined) {
    const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
    if (!/^[\x21-\x7E]{1,200}$/.test(key)) {
      throw badRequest('The Idempotency-Key header is not valid.', [{ field: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' }]);
    }
    idempotency = { key, userId: actor.userId, requestHash: sha256(canonicalJson({ method: request.method, path: request.url.split('?')[0], body })) };
  }
  let ifMatch: number | undefined;
  if (matchHeader !== undefined) {
    const raw = (Array.isArray(matchHeader) ? matchHeader[0] : matchHeader).trim();
    const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw);
    if (!m) throw badRequest('The If-Match header is not valid.', [{ field: 'If-Match', message: 'must be the stream version you last saw, e.g. 3 or "3"' }]);
    ifMatch = Number(m[1]);
  }
  return { idempotency, ifMatch };
}
