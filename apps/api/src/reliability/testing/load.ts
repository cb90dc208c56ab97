import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { foldCase, type CaseEvent } from '@sped/domain';
import type { EventStore, RecordedEvent } from '@sped/event-store';
import type { TestDatabase } from '@sped/event-store/testing';
import { createLogger, loadConfig } from '@sped/platform';
import { CaseSummary, ProjectionCheckpoint } from '@sped/read-models';
import { startServer } from '../../app.js';
import { mintToken } from '../../auth/auth.js';
import { almaty, applicationBody, FLOWS, type Flow } from '../../testing/case-flows.js';
import { TEST_JWT_SECRET, type TestResponse, type TestServer } from '../../testing/test-server.js';

/** Rehabilitation under resolution No. 604 (2019): once the executor is appointed, sessions (HoldSession) repeat in any order. */
export const REHABILITATION: Flow = FLOWS.find((f) => f.service === 'rehabilitation')!;
export const PROVIDER = 'rehab-almaty-1';
/** The steps up to the executor's appointment (AcceptDocuments, SendToHead, ConcludeContract, AppointExecutor). */
const UP_TO_APPOINTMENT = REHABILITATION.steps.slice(0, 4);
/** 2019-09-03 00:00 Almaty, the day after the appointment: every session from here on is in order. */
const FIRST_SESSION_MS = Date.parse(almaty('2019-09-03', '00:00'));

/** A session body with a distinct time for each `n` (one minute apart), so no two are the same session. */
export function sessionBody(n: number) {
  const formats = ['individual', 'group', 'subgroup'] as const;
  const activities = ['lesson', 'consultation'] as const;
  return { type: 'HoldSession', format: formats[n % 3], activity: activities[n % 2], occurredAt: new Date(FIRST_SESSION_MS + n * 60_000).toISOString() };
}

/** A session dated before the executor was appointed: the domain refuses it (422 OCCURRED_BEFORE_PREVIOUS_STEP). */
export function sessionBeforeAppointment(n: number) {
  return { ...sessionBody(n), occurredAt: new Date(Date.parse(almaty('2019-09-02', '09:00')) + (n % 50) * 1000).toISOString() };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; gives up after `attempts` polls (counted, not timed). */
export async function until(what: string, condition: () => boolean | Promise<boolean>, attempts = 2000, everyMs = 25): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await sleep(everyMs);
  }
  throw new Error(`Gave up waiting for ${what} after ${attempts} polls`);
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same command mix. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The whole API, as startTestServer gives it, on a database the caller owns (a throwaway cluster):
 * `db.drop()` is the caller's to arrange.
 */
export async function startTestServerOn(db: TestDatabase, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sped-api-'));
  const config = loadConfig({ DATABASE_URL: db.connectionString, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEADLINE_SWEEP_SECONDS: '86400', ...env });
  const logger = createLogger((process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent');
  const server = await startServer(config, logger);
  const secret = new TextEncoder().encode(TEST_JWT_SECRET);
  return {
    url: server.url,
    db,
    server,
    token: (role, providerId = null, sub) => mintToken(secret, { sub: sub ?? `${role}-${providerId ?? 'all'}`, role, providerId }),
    request: (method, p, options = {}) => request(server.url, method, p, options),
    async projected(position) {
      if (position) await server.runtime.projector?.waitFor(position);
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function request<T = any>(
  base: string,
  method: string,
  p: string,
  options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + p, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export interface OpenedCase {
  id: string;
  /** The stream version after the executor's appointment. */
  version: number;
  /** Ids of the events the setup recorded. */
  eventIds: string[];
}

/** Opens `count` rehabilitation cases and takes each to the executor's appointment, `concurrency` at a time. */
export async function openRehabilitationCases(t: TestServer, count: number, concurrency = 8): Promise<OpenedCase[]> {
  const token = { clerk: await t.token('clerk', PROVIDER), head: await t.token('head', PROVIDER), executor: await t.token('executor', PROVIDER, 'executor-1'), applicant: '' };
  return inParallel(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const opened = await t.request('POST', '/v1/cases', { token: token.clerk, body: applicationBody(REHABILITATION, PROVIDER, 1000 + i) });
      if (opened.status !== 201) throw new Error(`opening case ${i} answered ${opened.status} ${opened.text}`);
      const eventIds: string[] = opened.body.events.map((e: { id: string }) => e.id);
      let version = opened.body.streamVersion as number;
      for (const [role, body] of UP_TO_APPOINTMENT) {
        const res = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: token[role], body });
        if (res.status !== 201) throw new Error(`${String(body.type)} on case ${i} answered ${res.status} ${res.text}`);
        eventIds.push(...res.body.events.map((e: { id: string }) => e.id));
        version = res.body.streamVersion;
      }
      return { id: opened.body.id as string, version, eventIds };
    },
  );
}

/** Every event in the store, in position order. */
export async function readWholeStore(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after = '0';
  for (;;) {
    const page = await store.readAll({ after, limit: 2000 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1].position;
  }
}

/**
 * Every event in the store once the appends to these streams are visible to global readers. The
 * store's gap-safe global read (readAll, headPosition) shows nothing newer than the oldest transaction
 * still open anywhere in the PostgreSQL cluster, so a shared test server's other work may hold it back
 * for a while; a stream read has no such horizon.
 */
export async function settledStore(store: EventStore, streamIds: string[]): Promise<RecordedEvent[]> {
  let last = 0n;
  for (const streamId of streamIds) {
    const events = await store.readStream(streamId);
    if (events.length) last = BigInt(events[events.length - 1].position) > last ? BigInt(events[events.length - 1].position) : last;
  }
  await until('the global read to reach the last append', async () => BigInt(await store.headPosition()) >= last, 6000, 50);
  return readWholeStore(store);
}

/** Streams whose versions do not run 1, 2, 3 ... in position order, and positions that repeat or go back. */
export function streamGaps(events: RecordedEvent[]): string[] {
  const problems: string[] = [];
  const last = new Map<string, number>();
  let previous = -1n;
  for (const e of events) {
    const position = BigInt(e.position);
    if (position <= previous) problems.push(`position ${e.position} after ${previous}`);
    previous = position;
    const expected = (last.get(e.streamId) ?? 0) + 1;
    if (e.streamVersion !== expected) problems.push(`${e.streamId}: version ${e.streamVersion} where ${expected} was due`);
    last.set(e.streamId, e.streamVersion);
  }
  return problems;
}

/** Event ids stored more than once. */
export function duplicateIds(events: RecordedEvent[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const e of events) (seen.has(e.id) ? twice : seen).add(e.id);
  return [...twice];
}

/**
 * Waits for every projection to reach the store's head, then compares each case as the API serves it
 * (GET /v1/cases/{id}) and as the case_summary row holds it with the domain's fold of its stream.
 * Returns the disagreements (empty when the read model agrees).
 */
export async function readModelDisagreements(t: TestServer, caseIds: string[]): Promise<string[]> {
  const { eventStore, readModels, projector } = t.server.runtime;
  const head = await eventStore.headPosition();
  await projector!.waitFor(head);
  const problems: string[] = [];
  for (const s of projector!.status()) if (s.state !== 'running' || BigInt(s.position) < BigInt(head)) problems.push(`projection ${s.name} is ${s.state} at ${s.position}, head ${head}${s.error ? `: ${s.error}` : ''}`);
  const checkpoints = await readModels.getRepository(ProjectionCheckpoint).find();
  for (const c of checkpoints) if (c.status !== 'running' || c.position !== head) problems.push(`checkpoint ${c.name}: ${c.status} at ${c.position}, head ${head}`);
  const reader = await t.token('quality-control');
  await inParallel(caseIds, 4, async (id) => {
    const events = await eventStore.readStream(`case-${id}`);
    const folded = foldCase(events as unknown as CaseEvent[]);
    if (folded.status === 'none') return void problems.push(`case ${id}: no events`);
    const row = await readModels.getRepository(CaseSummary).findOneBy({ caseId: id });
    if (!row) return void problems.push(`case ${id}: no case_summary row`);
    const expected = JSON.parse(JSON.stringify(folded));
    if (!isDeepStrictEqual(row.state, expected)) {
      problems.push(`case ${id}: case_summary.state (last position ${row.lastPosition}, version ${row.streamVersion}) differs from the fold of its stream (last ${events.at(-1)?.position}, version ${events.at(-1)?.streamVersion}): ${differences(row.state, expected).slice(0, 10).join('; ')}`);
    }
    const got = await t.request('GET', `/v1/cases/${id}`, { token: reader });
    const last = events[events.length - 1];
    if (got.status !== 200) return void problems.push(`case ${id}: GET answered ${got.status}`);
    if (got.body.streamVersion !== last.streamVersion || got.body.position !== last.position) {
      problems.push(`case ${id}: API shows version ${got.body.streamVersion} at ${got.body.position}, store has ${last.streamVersion} at ${last.position}`);
    }
    const shown = got.body.actions.map((a: { eventId: string }) => a.eventId).join(',');
    if (shown !== folded.actions.map((a) => a.eventId).join(',')) {
      const inStore = folded.actions.map((a) => `${a.type}@${a.eventId.slice(0, 8)}`);
      const inModel = (row.state.actions as Array<{ type: string; eventId: string }>).map((a) => `${a.type}@${a.eventId.slice(0, 8)}`);
      const positions = events.map((e) => `${e.streamVersion}:${e.position}:${e.type}`).join(' ');
      problems.push(`case ${id}: API actions differ from the store's (store ${inStore.length} actions, model ${inModel.length}; only in store: ${inStore.filter((x) => !inModel.includes(x)).join(' ')}; only in model: ${inModel.filter((x) => !inStore.includes(x)).join(' ')}; stream: ${positions})`);
    }
  });
  return problems;
}

/** Where two JSON values differ, as paths with both values (for a failure message). */
export function differences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (isDeepStrictEqual(actual, expected)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    const out: string[] = actual.length !== expected.length ? [`${path}.length: ${actual.length} vs ${expected.length}`] : [];
    for (let i = 0; i < Math.max(actual.length, expected.length); i++) out.push(...differences(actual[i], expected[i], `${path}[${i}]`));
    return out;
  }
  if (isObject(actual) && isObject(expected) && !Array.isArray(actual) && !Array.isArray(expected)) {
    return [...new Set([...Object.keys(actual), ...Object.keys(expected)])].flatMap((k) => differences(actual[k], expected[k], `${path}.${k}`));
  }
  const show = (v: unknown) => (JSON.stringify(v) ?? 'undefined').slice(0, 200);
  return [`${path}: model ${show(actual)} vs stream ${show(expected)}`];
}
