// 2. A command over HTTP against a bare Fastify route doing the same INSERT, 16 concurrent clients (autocannon).
//
// Subject: the real API (startServer, server mode on its own database, projector and sweeper off, rate limit
// off), POST /v1/cases/{id}/actions {type: HoldSession} with a fresh Idempotency-Key per request, spread over
// 400 rehabilitation cases of resolution No. 604 that have reached their sessions (a repeatable action), each as
// the case's executor: JWT check, zod validation, read + fold + decide + hash chain + append, problem+json.
// Baseline: a bare Fastify server (same Fastify, pg pool of 10) whose route does one single-row INSERT of an
// event of the same size into the same events table. Both run in child processes; autocannon runs here.
// Rounds alternate; the medians of requests/s are compared.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createDatabase, fmtInt, interleaved, mark, median, round, track } from './lib/common.js';
import { migrate } from './lib/fixture.js';
import { appendRows, sessionReadyCases } from './lib/sessions.js';
import { load, startApi, startBare } from './lib/servers.js';
import { PostgresEventStore } from '../libs/event-store/dist/index.js';

export const order = 2;
const CONNECTIONS = 16;
const CASES = 400;

export async function run({ quick = false, log = console.log } = {}) {
  const rounds = quick ? 3 : 5;
  const seconds = quick ? 2 : 5;
  const db = track(await createDatabase('command'));
  await migrate(db.url);
  const cases = sessionReadyCases(CASES);
  const store = await PostgresEventStore.create({ connectionString: db.url, listen: false });
  try {
    await appendRows(store, cases.flatMap((c) => c.rows));
  } finally {
    await store.close();
  }
  log(`${CASES} rehabilitation cases at their sessions appended; starting the API and the bare server`);
  const sample = cases[0].rows[cases[0].rows.length - 1];
  const api = await startApi(db.url);
  const bare = await startBare(db.url, { type: 'SessionHeld', data: { ...sample.data, stepId: 'rehab-sessions' }, metadata: sample.metadata });
  try {
    const tokens = new Map();
    for (const c of cases) if (!tokens.has(c.actor.userId)) tokens.set(c.actor.userId, await api.token(c.actor.role, c.actor.providerId, c.actor.userId));
    const body = JSON.stringify({ type: 'HoldSession', format: 'individual', activity: 'lesson' });
    let n = 0;
    const apiRequest = {
      method: 'POST',
      setupRequest(req) {
        const c = cases[n++ % cases.length];
        req.path = `/v1/cases/${c.caseId}/actions`;
        req.headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(c.actor.userId)}`, 'idempotency-key': randomUUID() };
        req.body = body;
        return req;
      },
    };
    const bareRequest = {
      method: 'POST',
      setupRequest(req) {
        const c = cases[n++ % cases.length];
        req.path = `/bare/${c.caseId}`;
        req.headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(c.actor.userId)}`, 'idempotency-key': randomUUID() };
        req.body = body;
        return req;
      },
    };
    const p99 = { api: [], bare: [] };
    const measure = (url, request, key, duration) => async () => {
      const r = await load({ url, connections: CONNECTIONS, duration, requests: [request] });
      p99[key].push(r.latency.p99);
      return r.requests.average;
    };
    await measure(api.url, apiRequest, 'api', 1)();
    await measure(bare.url, bareRequest, 'bare', 1)();
    p99.api.length = 0;
    p99.bare.length = 0;
    const r = await interleaved(rounds, measure(api.url, apiRequest, 'api', seconds), measure(bare.url, bareRequest, 'bare', seconds), log);
    const s = median(r.subject);
    const b = median(r.baseline);
    log(`command over HTTP: API ${fmtInt(s)} req/s (p99 ${median(p99.api)} ms), bare Fastify INSERT ${fmtInt(b)} req/s (p99 ${median(p99.bare)} ms)`);
    return mark([
      { name: `command.http.HoldSession.${CONNECTIONS}-clients (API vs bare Fastify INSERT)`, value: Math.round(s), unit: 'req/s', baseline: Math.round(b), ratio: round(s / b), target: 0.5 },
      { name: `command.http.HoldSession.${CONNECTIONS}-clients p99 (API; bare beside)`, value: median(p99.api), unit: 'ms', baseline: median(p99.bare), ratio: round(median(p99.api) / median(p99.bare), 2), target: null, direction: 'max' },
    ]);
  } finally {
    await api.close();
    await bare.close();
    await db.drop();
  }
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick'), log: console.log }), null, 1));
}
