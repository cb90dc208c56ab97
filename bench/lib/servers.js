// Servers under test run in child processes, so the load generator (autocannon, in the harness process) does
// not share their event loop.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { mintToken } from '../../apps/api/dist/auth/auth.js';

export const BENCH_JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

/** BENCH_CHILD_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) are passed to node in the server children. */
const childArgs = process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [];

function startChild(script, env) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], { env: { ...process.env, ...env }, execArgv: childArgs, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.once('message', (m) => {
      const exited = new Promise((r) => child.once('exit', r));
      resolve({
        url: m.url,
        pid: child.pid,
        close: async () => {
          if (child.exitCode === null) child.send('close');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${stderr.trim()}`)));
  });
}

/**
 * The real API on `databaseUrl` (server mode). The projector and the deadline sweeper are off unless asked for,
 * the rate limit is off (it would cap a load test at its own quota), logs at warn.
 */
export async function startApi(databaseUrl, env = {}) {
  const server = await startChild('./api-child.js', {
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_JWT_SECRET,
    RUN_PROJECTOR: 'false',
    DEADLINE_SWEEP_SECONDS: '86400',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const secret = new TextEncoder().encode(BENCH_JWT_SECRET);
  return { ...server, token: (role, providerId = null, sub) => mintToken(secret, { sub: sub ?? `${role}-${providerId ?? 'all'}`, role, providerId }) };
}

export function startBare(databaseUrl, eventTemplate) {
  return startChild('./bare-child.js', { DATABASE_URL: databaseUrl, BARE_EVENT_TEMPLATE: JSON.stringify(eventTemplate) });
}

/**
 * autocannon as a promise. Throws when any request failed or answered other than 2xx, unless `allowFailures`:
 * then `result.failures` says how many and with which status codes.
 */
export async function load({ allowFailures = false, ...options }) {
  const result = await autocannon({ ...options });
  const bad = result.errors + result.timeouts + result.non2xx;
  const codes = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, s]) => `${s.count} x ${code}`);
  const detail = `${bad} of ${result.requests.total} requests to ${options.url} failed (errors ${result.errors}, timeouts ${result.timeouts}${codes.length ? `, ${codes.join(', ')}` : ''})`;
  if (bad > 0 && !allowFailures) throw new Error(detail);
  result.failures = { count: bad, total: result.requests.total, detail };
  return result;
}
