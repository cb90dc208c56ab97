import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, sendProblem } from './problem.js';

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per client: it holds up to `perMinute` tokens (the burst), refills at `perMinute` a
 * minute, and each request takes one. Buckets that have refilled completely carry no information and
 * are dropped when the map grows; past `maxClients` the oldest go too, so a flood of new addresses
 * cannot exhaust memory.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 100_000,
  ) {
    if (!(Number.isInteger(perMinute) && perMinute > 0)) throw new RangeError(`perMinute must be a whole number > 0, got ${perMinute}`);
    this.perMs = perMinute / 60_000;
  }

  take(key: string): RateDecision {
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, t - bucket.at) * this.perMs);
      bucket.at = t;
    } else {
      if (this.buckets.size >= this.maxClients) this.prune(t);
      bucket = { tokens: this.perMinute, at: t };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** Clients currently tracked. */
  get size(): number {
    return this.buckets.size;
  }

  private prune(t: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (t - b.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    // Insertion order: the oldest clients first.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(key);
    }
  }
}

/** Probes of the load balancer and the orchestrator are never throttled. */
const UNLIMITED = new Set(['/health']);

/**
 * A Fastify onRequest hook: 429 problem+json with Retry-After once a client has used up its bucket,
 * before the body is read. The client is the verified token's subject (so people behind one NAT do not
 * share a budget); without a valid token, the IP address (a forged token counts against its address).
 */
export function rateLimitHook(limiter: TokenBucketLimiter, subjectOf: (request: FastifyRequest) => Promise<string>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (UNLIMITED.has(request.url.split('?')[0])) return;
    let key = `ip:${request.ip}`;
    if (request.headers.authorization) {
      try {
        key = `sub:${await subjectOf(request)}`;
      } catch {
        // Not a valid token: the guard answers 401 for it; the address pays for the attempt.
      }
    }
    const decision = limiter.take(key);
    if (decision.allowed) return;
    sendProblem(
      reply,
      request,
      new ProblemError(
        429,
        'RATE_LIMITED',
        'Too many requests',
        `This client sent more than ${limiter.perMinute} requests a minute. Retry in ${decision.retryAfterSeconds} s.`,
        undefined,
        { limitPerMinute: limiter.perMinute },
        { 'retry-after': String(decision.retryAfterSeconds) },
      ),
    );
    return reply;
  };
}
