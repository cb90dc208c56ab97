import { setTimeout as delay } from 'node:timers/promises';
import { mintToken } from '../auth/auth.js';
import { DEFAULT_CASES, planSeed, type PlannedChain, type PlannedRequest, type SeedActor, type SeedPlan } from './seed-plan.js';

/** Sends the demo plan (seed-plan.ts) to a running API through its command endpoints. */

export interface SeedOptions {
  /** The API's base address, e.g. http://127.0.0.1:3000. */
  url: string;
  /** The HS256 secret the API verifies tokens with (JWT_SECRET, or the development secret in DATA_DIR). */
  secret: Uint8Array | string;
  jwt?: { issuer?: string; audience?: string };
  cases?: number;
  seed?: string;
  /** The day "overdue now" is planned against (default: the current instant). */
  now?: Date;
  /** Chains (a case with its complaints, or a complaint) sent at the same time. */
  concurrency?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedProgress {
  chainsDone: number;
  chainsTotal: number;
  casesDone: number;
  casesTotal: number;
  requestsDone: number;
  requestsTotal: number;
  elapsedMs: number;
}

export interface SeedResult {
  plan: SeedPlan;
  requests: number;
  /** Answers that recorded new events. */
  recorded: number;
  /** Answers that repeated the first result of the same Idempotency-Key (recorded earlier). */
  replayed: number;
  /** The highest event-store position among the answers. */
  lastPosition: string | null;
  /** The ids the API gave each chain's case and complaints, by chain id. */
  ids: Map<string, Record<string, string>>;
  elapsedMs: number;
}

/** A request the API refused (4xx): the data is wrong, so the seed stops. */
export class SeedRequestError extends Error {
  constructor(
    readonly request: PlannedRequest,
    readonly path: string,
    readonly body: unknown,
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`${request.label} (${request.key}) was answered ${status}: ${typeof problem === 'object' && problem && 'detail' in problem ? String((problem as { detail: unknown }).detail) : JSON.stringify(problem)}`);
    this.name = 'SeedRequestError';
  }
}

export class SeedConnectionError extends Error {
  constructor(url: string, cause: unknown) {
    super(`Cannot reach the API at ${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'SeedConnectionError';
  }
}

const RETRIES = 4;

function maxPosition(a: string | null, b: unknown): string | null {
  if (typeof b !== 'string' || !/^\d+$/.test(b)) return a;
  return a === null || BigInt(b) > BigInt(a) ? b : a;
}

export async function runSeed(options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const base = options.url.replace(/\/+$/, '');
  const plan = planSeed({ seed: options.seed ?? 'demo', cases: options.cases ?? DEFAULT_CASES, now: options.now ?? new Date() });
  const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;

  try {
    const health = await fetch(`${base}/health`);
    await health.arrayBuffer();
  } catch (error) {
    throw new SeedConnectionError(base, error);
  }

  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (actor: SeedActor) => {
    const id = `${actor.role}|${actor.userId}|${actor.providerId ?? ''}`;
    let token = tokens.get(id);
    if (!token) {
      token = mintToken(secret, { sub: actor.userId, role: actor.role, providerId: actor.providerId, ttl: '12h' }, { jwtIssuer: options.jwt?.issuer, jwtAudience: options.jwt?.audience });
      tokens.set(id, token);
    }
    return token;
  };

  const totals = {
    chains: plan.chains.length,
    cases: plan.chains.filter((c) => c.case).length,
    requests: plan.chains.reduce((n, c) => n + c.requests.length, 0),
  };
  const done = { chains: 0, cases: 0, requests: 0, recorded: 0, replayed: 0 };
  let lastPosition: string | null = null;
  const ids = new Map<string, Record<string, string>>();
  /** The first error stops every chain before its next request. */
  let failure: unknown;

  async function send(request: PlannedRequest, path: string, body: unknown): Promise<{ id: string; events: Array<{ id: string }> }> {
    const token = await tokenFor(request.actor);
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(base + path, {
          method: request.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': request.key },
          body: JSON.stringify(body),
        });
      } catch (error) {
        if (attempt >= RETRIES) throw new SeedConnectionError(base, error);
        await delay(250 * 2 ** attempt);
        continue;
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON: reported as text.
      }
      // A retry with the same Idempotency-Key is safe: the API answers the first result and records nothing.
      if (res.status >= 500 && attempt < RETRIES) {
        await delay(250 * 2 ** attempt);
        continue;
      }
      if (res.status !== 200 && res.status !== 201) throw new SeedRequestError(request, path, body, res.status, parsed);
      const answer = parsed as { id: string; position?: string | null; events: Array<{ id: string }> };
      if (res.headers.get('idempotent-replayed') === 'true') done.replayed++;
      else if (answer.events.length > 0) done.recorded++;
      lastPosition = maxPosition(lastPosition, answer.position);
      return answer;
    }
  }

  async function runChain(chain: PlannedChain) {
    const bound: Record<string, string> = {};
    const firstEvent = new Map<string, string>();
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === 'object') {
        const name = (value as { $ref?: unknown }).$ref;
        if (typeof name === 'string') {
          const resolved = name.startsWith('event:') ? firstEvent.get(name.slice('event:'.length)) : bound[name];
          if (!resolved) throw new Error(`${chain.id}: nothing to fill ${name} with`);
          return resolved;
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      }
      return value;
    };
    for (const request of chain.requests) {
      if (failure !== undefined) return;
      const path = request.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const id = bound[name];
        if (!id) throw new Error(`${chain.id}: ${request.key} needs ${name}, not bound yet`);
        return id;
      });
      const answer = await send(request, path, resolve(request.body));
      if (request.bind) bound[request.bind] = answer.id;
      if (answer.events[0]) firstEvent.set(request.key, answer.events[0].id);
      done.requests++;
    }
    ids.set(chain.id, bound);
    done.chains++;
    if (chain.case) done.cases++;
    options.onProgress?.({
      chainsDone: done.chains,
      chainsTotal: totals.chains,
      casesDone: done.cases,
      casesTotal: totals.cases,
      requestsDone: done.requests,
      requestsTotal: totals.requests,
      elapsedMs: Date.now() - started,
    });
  }

  let next = 0;
  const worker = async () => {
    while (failure === undefined && next < plan.chains.length) {
      const chain = plan.chains[next++];
      try {
        await runChain(chain);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  if (failure !== undefined) throw failure;

  return { plan, requests: done.requests, recorded: done.recorded, replayed: done.replayed, lastPosition, ids, elapsedMs: Date.now() - started };
}
