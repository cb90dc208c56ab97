// 6. Reads over the fixture's cases (full: the 1,000,000-event log, about 120,000 cases; quick: the 50,000-event
// log, about 6,000), read models built, 50 concurrent clients (autocannon) against the real API (child process,
// read-model pool of 10), p99 latency; beside each, the same SQL the endpoint runs issued with pg by 50
// concurrent callers over a pool of the same size (10), p99. Both sides send the same number of requests
// (about `seconds` worth at the API's warm-up rate). Rounds alternate; medians of the p99s.
// - GET /v1/cases/{id} (quality-control: no personal data to decrypt): a random case each request.
// - GET /v1/workload?providerId=...: a provider's open steps and open complaints, rotating over providers.
// - GET /v1/compliance/summary: the default report (by provider, service and step) over every case.
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { CASE_WITH_STEPS, WORKLOAD } from '../apps/api/dist/shared/read-statements.js';
import { fmtInt, interleaved, mark, median, now, percentile, round } from './lib/common.js';
import { eventsFixture, projectedFixture } from './lib/fixture.js';
import { load, startApi } from './lib/servers.js';
import { fixtureSize } from './rebuild.bench.js';

export const order = 6;
const CONNECTIONS = 50;
const POOL = 10;

// The statements the endpoints run, issued the same way (prepared, one round trip): CASE_WITH_STEPS and WORKLOAD
// of apps/api/src/shared/read-statements.ts, imported from the build. The summary's is the full aggregation over
// every step row, about what one computation of compliance-summary.service.ts runs (answers are then served from
// its cache, so a request runs it only when its cached answer is too old).
const SQL = {
  case: [(id) => [CASE_WITH_STEPS, [id], 'bench-case']],
  workload: [(p) => [WORKLOAD, [p], 'bench-workload']],
  summary: [
    () => [
      `SELECT provider_id AS "provider", service_code AS "service", step_id AS "step",
        count(DISTINCT case_id)::int AS cases,
        count(*)::int AS steps,
        count(*) FILTER (WHERE status = 'completed')::int AS completed,
        count(*) FILTER (WHERE verdict = 'on-time')::int AS "onTime",
        count(*) FILTER (WHERE verdict IN ('on-time', 'late', 'too-early', 'too-late'))::int AS judged,
        count(*) FILTER (WHERE verdict IN ('late', 'too-early', 'too-late'))::int AS "lateOrOutsideWindow",
        count(*) FILTER (WHERE status = 'open' AND due_at <= $1)::int AS "overdueNow",
        count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE verdict = 'not-judged' OR norm_kind = 'none')::int AS "notJudged",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN norm_unit IN ('working-days', 'calendar-days') THEN duration_days ELSE working_minutes END) FILTER (WHERE status = 'completed') AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY CASE WHEN norm_unit IN ('working-days', 'calendar-days') THEN duration_days ELSE working_minutes END) FILTER (WHERE status = 'completed') AS p90,
        min(CASE WHEN norm_unit IN ('working-days', 'calendar-days') THEN norm_unit ELSE 'working-minutes' END) AS "durationUnit", (array_agg(norm))[1] AS norm,
        max(started_at) AS "lastStartedAt"
      FROM case_step WHERE started_at IS NOT NULL
      GROUP BY provider_id, service_code, step_id
      ORDER BY provider_id, service_code, step_id`,
      [new Date()],
    ],
  ],
};

/** `amount` requests by `callers` concurrent loops, each running `statements` one after the other; latencies in ms. */
async function sqlLoad(pool, callers, amount, statements, nextArg) {
  const latencies = [];
  let issued = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (issued < amount) {
        issued++;
        const arg = nextArg();
        const t0 = now();
        for (const s of statements) {
          const [text, values, name] = s(arg);
          await pool.query(name ? { name, text, values } : { text, values });
        }
        latencies.push(now() - t0);
      }
    }),
  );
  return latencies;
}

export async function run({ quick = false, log = console.log } = {}) {
  const fixture = await eventsFixture({ maxEvents: fixtureSize(quick), log });
  const db = await projectedFixture(fixture, log);
  const rounds = quick ? 2 : 3;
  const seconds = quick ? 2 : 5;
  const pool = new pg.Pool({ connectionString: db.url, max: POOL });
  const api = await startApi(db.url, { PROVIDERS_FILE: fixture.providersFile });
  try {
    const [{ cases }] = (await pool.query('SELECT count(*)::int AS cases FROM case_summary')).rows;
    const ids = (await pool.query('SELECT case_id FROM case_summary ORDER BY random() LIMIT 2000')).rows.map((r) => r.case_id);
    const providers = (await pool.query(`SELECT DISTINCT provider_id FROM case_step WHERE status = 'open' ORDER BY 1`)).rows.map((r) => r.provider_id);
    const token = await api.token('quality-control', null, 'qc-bench');
    const headers = { authorization: `Bearer ${token}` };
    log(`${fmtInt(cases)} cases, ${providers.length} providers with open steps; API at ${api.url}`);
    let n = 0;
    const endpoints = [
      { key: 'case', label: 'GET /v1/cases/{id}', path: () => `/v1/cases/${ids[n++ % ids.length]}`, arg: () => ids[n++ % ids.length] },
      { key: 'workload', label: 'GET /v1/workload', path: () => `/v1/workload?providerId=${encodeURIComponent(providers[n++ % providers.length])}`, arg: () => providers[n++ % providers.length] },
      { key: 'summary', label: 'GET /v1/compliance/summary', path: () => '/v1/compliance/summary', arg: () => null },
    ];
    const rows = [];
    for (const e of endpoints) {
      const request = {
        method: 'GET',
        setupRequest(req) {
          req.path = e.path();
          req.headers = headers;
          return req;
        },
      };
      // A fixed number of requests on both sides (not a duration, which would leave the slowest requests, still
      // in flight at the end, out of the p99): about `seconds` worth at the rate a warm-up round reached.
      const warm = await load({ url: api.url, connections: CONNECTIONS, duration: 1, timeout: 120, requests: [request] });
      const amount = Math.max(2 * CONNECTIONS, Math.round(warm.requests.average * seconds));
      // Failures are counted, not fatal: under this load an endpoint may shed requests (503 when its pool wait runs out).
      const failures = [];
      const http = async () => {
        const result = await load({ url: api.url, connections: CONNECTIONS, amount, timeout: 120, requests: [request], allowFailures: true });
        if (result.failures.count) failures.push(result.failures.detail);
        return result.latency.p99;
      };
      const sql = async () => percentile(await sqlLoad(pool, CONNECTIONS, amount, SQL[e.key], e.arg), 99);
      await sql();
      const r = await interleaved(rounds, http, sql, (m) => log(`${e.label} p99 ms (${fmtInt(amount)} requests): ${m}`));
      const value = median(r.subject);
      const baseline = median(r.baseline);
      log(`${e.label}: p99 ${value.toFixed(1)} ms over HTTP, ${baseline.toFixed(1)} ms for its bare SQL${failures.length ? `; FAILED requests: ${failures.join('; ')}` : ''}`);
      const failed = failures.reduce((n, f) => n + Number(f.split(' ')[0]), 0);
      rows.push({
        name: `reads.${e.label} p99, ${CONNECTIONS} clients (${fmtInt(cases)} cases; bare SQL beside)${failed ? ` — ${failed} of ${rounds * amount} requests failed` : ''}`,
        value: round(value, 1),
        unit: 'ms',
        baseline: round(baseline, 1),
        ratio: round(value / baseline, 2),
        target: 25,
        stretch: 10,
        direction: 'max',
        targetOn: 'value',
        ...(failed ? { failures: failed } : {}),
      });
    }
    return mark(rows);
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
