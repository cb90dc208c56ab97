import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@sped/platform';
import { resolveSecret } from '../auth/auth.js';
import { DEFAULT_CASES } from './seed-plan.js';
import { runSeed, SeedConnectionError, SeedRequestError, type SeedProgress, type SeedResult } from './seed-runner.js';

/**
 * `npm run seed [-- --url http://127.0.0.1:3000 --cases 300 --seed demo]`: fills the running API with the
 * demo dataset through its command endpoints. Every command carries a deterministic Idempotency-Key, so
 * running it again the same day records nothing new.
 */

const USAGE = 'usage: npm run seed -- [--url http://127.0.0.1:3000] [--cases 300] [--seed demo] [--concurrency 4]';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function progressPrinter() {
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  let lastShare = -1;
  return (p: SeedProgress) => {
    const now = Date.now();
    const share = Math.floor((p.chainsDone / p.chainsTotal) * 10);
    const finished = p.chainsDone === p.chainsTotal;
    if (tty ? now - lastPrinted < 250 && !finished : share === lastShare && !finished) return;
    lastPrinted = now;
    lastShare = share;
    const rate = p.elapsedMs > 0 ? Math.round((p.requestsDone / p.elapsedMs) * 1000) : 0;
    const line = `[seed] cases ${p.casesDone}/${p.casesTotal} · requests ${p.requestsDone}/${p.requestsTotal} · ${rate} req/s`;
    process.stderr.write(tty ? `\r${line}${finished ? '\n' : ''}` : `${line}\n`);
  };
}

function count<T>(items: T[]): string {
  const m = new Map<string, number>();
  for (const x of items) m.set(String(x), (m.get(String(x)) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ${n}`).join(', ');
}

function summary(url: string, r: SeedResult): string {
  const { plan } = r;
  const cases = plan.chains.flatMap((c) => (c.case ? [c.case] : []));
  const complaints = plan.chains.flatMap((c) => c.complaints);
  const refusals = cases.flatMap((c) => (c.refusal ? [c.refusal.form] : []));
  const overdueCase = plan.chains.find((c) => c.case?.overdueNow);
  const overdueCaseId = overdueCase ? r.ids.get(overdueCase.id)?.case : undefined;
  const lines = [
    '',
    `Seeded ${url} (seed "${plan.seed}", ${plan.today}): ${cases.length} cases, ${complaints.length} complaints, ${r.requests} commands ` +
      `(${r.recorded} recorded now, ${r.replayed} already there) in ${(r.elapsedMs / 1000).toFixed(1)} s.`,
    `  services:   ${count(cases.map((c) => `${c.service}${c.channel === 'portal' ? ' (portal)' : ''}`))}`,
    `  outcomes:   ${count(cases.map((c) => c.outcome))}; refusals ${count(refusals)}`,
    `  steps:      ${cases.reduce((n, c) => n + c.lateSteps.length, 0)} planned late in ${cases.filter((c) => c.lateSteps.length).length} cases; ${cases.reduce((n, c) => n + c.corrections.length, 0)} corrections`,
    `  complaints: ${count(complaints.map((c) => `${c.addressee}${c.forwarded ? ' (forwarded)' : ''}`))}; ${count(complaints.map((c) => c.outcome))}`,
    `  overdue now: ${cases.filter((c) => c.overdueNow).length} portal applications past 2 working days, ${complaints.filter((c) => c.overdueNow).length} complaints past their review term`,
    '',
    'Look at it (tokens from `npm run -s token -- --role ...`):',
    `  QC=$(npm run -s token -- --role quality-control)`,
    `  curl -s -H "authorization: Bearer $QC" '${url}/v1/complaints?status=overdue'`,
    `  curl -s -H "authorization: Bearer $QC" '${url}/v1/compliance/summary'`,
    `  DIR=$(npm run -s token -- --role director --provider school-esik-5)`,
    `  curl -s -H "authorization: Bearer $DIR" '${url}/v1/workload'`,
    ...(overdueCaseId && overdueCase?.case
      ? [
          `  HEAD=$(npm run -s token -- --role head --provider ${overdueCase.case.providerId})`,
          `  curl -s -H "authorization: Bearer $HEAD" '${url}/v1/cases/${overdueCaseId}'   # a portal application overdue now`,
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        cases: { type: 'string', default: String(DEFAULT_CASES) },
        seed: { type: 'string', default: 'demo' },
        concurrency: { type: 'string', default: '4' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) fail(USAGE, 0);
  const cases = Number(values.cases);
  if (!Number.isInteger(cases) || cases < 1 || cases > 100_000) fail(`--cases must be a whole number from 1 to 100000 (got ${values.cases})\n${USAGE}`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) fail(`--concurrency must be 1-64 (got ${values.concurrency})`);
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(values.seed)) fail('--seed must be 1-40 letters, digits, dots, dashes or underscores');

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (config.jwtJwksUrl) fail('JWT_JWKS_URL is set: the API takes tokens from your identity provider, so the seed cannot sign its own. Seed a development instance instead.');
  const url = values.url ?? `http://127.0.0.1:${process.env.PORT || 3000}`;
  const { secret } = resolveSecret(config);

  process.stderr.write(`[seed] sending the demo data (seed "${values.seed}", ${cases} cases) to ${url}\n`);
  try {
    const result = await runSeed({ url, secret, jwt: { issuer: config.jwtIssuer, audience: config.jwtAudience }, cases, seed: values.seed, concurrency, onProgress: progressPrinter() });
    process.stdout.write(summary(url, result));
  } catch (error) {
    if (error instanceof SeedConnectionError) fail(`\n${error.message}\nStart the API first (npm start) or pass --url.`, 1);
    if (error instanceof SeedRequestError) {
      const { request } = error;
      const hint =
        error.status === 401
          ? '\nThe API does not accept the seed\'s tokens: run the seed with the same DATA_DIR (or JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE) as the API.'
          : '';
      fail(
        `\n[seed] stopped: the API refused a command (${error.status}).\n` +
          `  ${request.method} ${error.path}\n` +
          `  as ${request.actor.role} ${request.actor.userId}${request.actor.providerId ? ` of ${request.actor.providerId}` : ''}, Idempotency-Key ${request.key}\n` +
          `  body: ${JSON.stringify(error.body)}\n` +
          `  problem: ${JSON.stringify(error.problem, null, 2).replace(/\n/g, '\n  ')}${hint}`,
        1,
      );
    }
    throw error;
  }
}

void main();
