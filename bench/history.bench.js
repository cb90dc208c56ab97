// 7. History replay of a case with 1,000 events: GET /v1/cases/{id}/history (the real API in a child process:
// readStream, replay and judging of every step, JSON) by one client at a time, p99 latency. The case is a
// rehabilitation case of resolution No. 604 recorded through the deciders (application, acceptance, ..., then
// sessions until it has 1,000 events), appended into the fixture's log. Beside it: the bare SQL of the
// store's readStream for the same 1,000 rows through pg, one at a time, p99. Rounds alternate; medians of the p99s.
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { fmtInt, interleaved, mark, median, now, percentile, round } from './lib/common.js';
import { eventsFixture, projectedFixture } from './lib/fixture.js';
import { recordChain } from './lib/generate.js';
import { appendRows } from './lib/sessions.js';
import { load, startApi } from './lib/servers.js';
import { fixtureSize } from './rebuild.bench.js';
import { PostgresEventStore } from '../libs/event-store/dist/index.js';
import { planSeed } from '../apps/api/dist/cli/seed-plan.js';

export const order = 7;
const EVENTS = 1000;
const READ_STREAM = `SELECT e.position::text AS position, e.stream_id, e.stream_version, e.id::text AS id, e.type, e.data, e.metadata,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at
  FROM event_store.events e WHERE e.stream_id = $1 AND e.stream_version >= 1 ORDER BY e.stream_version`;

/** A planned rehabilitation chain up to its first session, then sessions every working morning until `EVENTS` events. */
function longCase() {
  for (let chunk = 0; chunk < 50; chunk++) {
    for (const chain of planSeed({ seed: `history-${chunk}`, cases: 200, now: new Date() }).chains) {
      const first = chain.requests.findIndex((r) => r.body?.type === 'HoldSession');
      if (!chain.case || first < 0) continue;
      const prefix = chain.requests.slice(0, first);
      const template = chain.requests[first];
      const sessions = [];
      for (let i = 0; prefix.length + sessions.length < EVENTS; i++) {
        const at = template.at + i * 3_600_000;
        sessions.push({ ...template, key: `${template.key}-s${i}`, at, body: { type: 'HoldSession', format: i % 3 ? 'individual' : 'group', activity: i % 5 ? 'lesson' : 'consultation', occurredAt: new Date(at).toISOString() } });
      }
      const rows = recordChain({ ...chain, requests: [...prefix, ...sessions] }).filter((r) => r.streamId.startsWith('case-'));
      if (rows.length === EVENTS) return { caseId: rows[0].streamId.slice('case-'.length), streamId: rows[0].streamId, rows };
    }
  }
  throw new Error(`could not record a case with ${EVENTS} events`);
}

export async function run({ quick = false, log = console.log } = {}) {
  const fixture = await eventsFixture({ maxEvents: fixtureSize(quick), log });
  const db = await projectedFixture(fixture, log);
  const rounds = quick ? 3 : 5;
  const seconds = quick ? 2 : 4;
  const theCase = longCase();
  const store = await PostgresEventStore.create({ connectionString: db.url, listen: false });
  try {
    await appendRows(store, theCase.rows);
  } finally {
    await store.close();
  }
  log(`case ${theCase.caseId} with ${fmtInt(theCase.rows.length)} events appended to the ${fmtInt(fixture.events)}-event log`);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const api = await startApi(db.url, { PROVIDERS_FILE: fixture.providersFile });
  try {
    const token = await api.token('quality-control', null, 'qc-bench');
    const path = `/v1/cases/${theCase.caseId}/history`;
    const check = await fetch(api.url + path, { headers: { authorization: `Bearer ${token}` } });
    const body = await check.json();
    if (check.status !== 200 || body.events?.length !== EVENTS) throw new Error(`GET ${path} answered ${check.status} with ${body.events?.length} events: ${JSON.stringify(body).slice(0, 300)}`);
    const http = async (duration) => (await load({ url: api.url, connections: 1, duration, requests: [{ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }] })).latency.p99;
    const sql = async (duration) => {
      const latencies = [];
      const until = now() + duration * 1000;
      while (now() < until) {
        const t0 = now();
        const { rows } = await pool.query(READ_STREAM, [theCase.streamId]);
        if (rows.length !== EVENTS) throw new Error(`readStream SQL returned ${rows.length} rows`);
        latencies.push(now() - t0);
      }
      return percentile(latencies, 99);
    };
    await http(1);
    await sql(1);
    const r = await interleaved(rounds, () => http(seconds), () => sql(seconds), (m) => log(`history p99 ms: ${m}`));
    const value = median(r.subject);
    const baseline = median(r.baseline);
    log(`history of a ${EVENTS}-event case: p99 ${value.toFixed(1)} ms over HTTP, bare readStream SQL ${baseline.toFixed(1)} ms`);
    // The same without the history cache (HISTORY_CACHE_EVENTS=0): every request reads and parses the whole stream,
    // as the first replay of a case does. Shown beside, no target.
    const cold = await startApi(db.url, { PROVIDERS_FILE: fixture.providersFile, HISTORY_CACHE_EVENTS: '0' });
    let uncached;
    try {
      const httpCold = async (duration) => (await load({ url: cold.url, connections: 1, duration, requests: [{ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }] })).latency.p99;
      await httpCold(1);
      const u = await interleaved(rounds, () => httpCold(seconds), () => sql(seconds), (m) => log(`history without the cache p99 ms: ${m}`));
      uncached = { value: median(u.subject), baseline: median(u.baseline) };
    } finally {
      await cold.close();
    }
    log(`without the history cache: p99 ${uncached.value.toFixed(1)} ms, bare readStream SQL ${uncached.baseline.toFixed(1)} ms`);
    return mark([
      { name: `history.GET /v1/cases/{id}/history p99, ${EVENTS}-event case, 1 client (bare readStream SQL beside)`, value: round(value, 1), unit: 'ms', baseline: round(baseline, 1), ratio: round(value / baseline, 2), target: 20, direction: 'max', targetOn: 'value' },
      { name: `history.uncached p99 (HISTORY_CACHE_EVENTS=0: the whole stream read each time; SQL beside)`, value: round(uncached.value, 1), unit: 'ms', baseline: round(uncached.baseline, 1), ratio: round(uncached.value / uncached.baseline, 2), target: null, direction: 'max' },
    ]);
  } finally {
    await api.close();
    await pool.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { dropAll } = await import('./lib/common.js');
  try {
    console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick'), log: console.log }), null, 1));
  } finally {
    await dropAll();
  }
}
