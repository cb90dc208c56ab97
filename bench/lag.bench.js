// 5. Projection lag at half the sustained append rate.
//
// On the fixture with its read models built: first the sustained rate of single-command appends (8 writers
// appending the seed's realistic commands as fast as they can, the projector running), then commands are issued
// open-loop at half that rate while a ProjectionRunner of ALL_PROJECTIONS projects. Lag of a command = from the
// moment its append returned to the moment every projection has applied it. The runner and a bare subscriber (the
// baseline: store.subscribe doing nothing, the delivery floor) run in a child process (lib/lag-child.js), the
// projector process of a deployment, learning of appends by NOTIFY; it reports when each position was projected
// and delivered, on the wall clock both processes share. (In this process, the writers and the load generator
// competed with the runner for one event loop, which measured the harness more than the projector.)
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { fmtInt, mark, now, percentile, round, sleep } from './lib/common.js';
import { eventsFixture, projectedFixture } from './lib/fixture.js';
import { generateHistory } from './lib/generate.js';
import { fixtureSize } from './rebuild.bench.js';
import { PostgresEventStore } from '../libs/event-store/dist/index.js';

const wall = () => performance.timeOrigin + performance.now();

/** The projector child: resolves once it has caught up; `firstAt(kind, position)` = when it reported reaching it. */
function startProjectorChild(url, providersFile, log) {
  const child = spawn(process.execPath, [...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []), new URL('./lib/lag-child.js', import.meta.url).pathname, url], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...(providersFile ? { PROVIDERS_FILE: providersFile } : {}) },
  });
  const reports = { projected: [], delivered: [] };
  let buffer = '';
  let onReady;
  const ready = new Promise((resolve, reject) => {
    onReady = resolve;
    child.once('exit', (code) => reject(new Error(`projector child exited with ${code}`)));
  });
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const msg = JSON.parse(line);
      if (msg.ready) onReady(msg.head);
      else if (msg.projected) reports.projected.push({ position: BigInt(msg.projected), t: msg.t });
      else if (msg.delivered) reports.delivered.push({ position: BigInt(msg.delivered), t: msg.t });
    }
  });
  const reached = (kind, position) => {
    const list = reports[kind];
    const p = BigInt(position);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].position >= p) hi = mid;
      else lo = mid + 1;
    }
    return lo < list.length ? list[lo].t : undefined;
  };
  return {
    ready,
    reached,
    async until(kind, position) {
      while (reached(kind, position) === undefined) await sleep(5);
    },
    async stop() {
      child.stdin.end();
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

export const order = 5;
const WRITERS = 8;

/** The generated history as chains of appends (one per command), each chain to be appended in order. */
function commandChains(maxEvents, seed) {
  const chains = [];
  for (const rows of generateHistory({ seed, maxEvents })) {
    const appends = [];
    for (const r of rows) {
      const last = appends[appends.length - 1];
      const event = { id: r.id, type: r.type, data: r.data, metadata: r.metadata };
      if (last && last.streamId === r.streamId && last.recordedAt === r.recordedAt) last.events.push(event);
      else appends.push({ streamId: r.streamId, expectedVersion: r.streamVersion - 1, recordedAt: r.recordedAt, events: [event] });
    }
    chains.push({ appends, next: 0, busy: false });
  }
  return chains;
}

export async function run({ quick = false, log = console.log } = {}) {
  const fixture = await eventsFixture({ maxEvents: fixtureSize(quick), log });
  const db = await projectedFixture(fixture, log);
  const rateSeconds = quick ? 3 : 10;
  const lagSeconds = quick ? 8 : 30;
  const chains = commandChains(quick ? 12_000 : 60_000, `lag-${Date.now()}`);
  const writer = await PostgresEventStore.create({ connectionString: db.url });
  const projector = startProjectorChild(db.url, fixture.providersFile, log);
  try {
    await projector.ready;
    let cursor = 0;
    const nextChain = () => {
      for (let k = 0; k < chains.length; k++) {
        const c = chains[(cursor + k) % chains.length];
        if (!c.busy && c.next < c.appends.length) {
          cursor = (cursor + k + 1) % chains.length;
          return c;
        }
      }
      throw new Error('ran out of generated commands; generate more');
    };
    const appendNext = async () => {
      const c = nextChain();
      c.busy = true;
      const a = c.appends[c.next++];
      try {
        const result = await writer.append(a.streamId, a.events, { expectedVersion: a.expectedVersion });
        return { position: result.position, events: a.events.length, at: wall() };
      } finally {
        c.busy = false;
      }
    };

    // Sustained rate, projector running.
    let commands = 0;
    let events = 0;
    const until = now() + rateSeconds * 1000;
    const t0 = now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (now() < until) {
          const r = await appendNext();
          commands++;
          events += r.events;
        }
      }),
    );
    const elapsed = (now() - t0) / 1000;
    const sustained = commands / elapsed;
    log(`sustained append rate (${WRITERS} writers, projector running): ${fmtInt(sustained)} commands/s (${fmtInt(events / elapsed)} events/s)`);
    await projector.until('projected', await writer.headPosition());

    // Half rate, open loop.
    const rate = sustained / 2;
    const appended = [];
    const pending = [];
    const start = now();
    let issued = 0;
    let failures = 0;
    while (now() - start < lagSeconds * 1000) {
      const due = Math.floor(((now() - start) / 1000) * rate);
      while (issued < due) {
        issued++;
        pending.push(
          appendNext().then(
            (r) => void appended.push(r),
            () => failures++,
          ),
        );
      }
      await sleep(1);
    }
    await Promise.all(pending);
    const last = await writer.headPosition();
    await projector.until('projected', last);
    await projector.until('delivered', last);
    const lags = appended.map((r) => projector.reached('projected', r.position) - r.at);
    const deliveries = appended.map((r) => Math.max(0, projector.reached('delivered', r.position) - r.at));
    const achieved = issued / ((now() - start) / 1000);
    if (failures) throw new Error(`${failures} appends failed during the lag run`);
    const p99 = percentile(lags, 99);
    const p50 = percentile(lags, 50);
    const subP99 = percentile(deliveries, 99);
    log(
      `at ${fmtInt(rate)} commands/s (achieved ${fmtInt(achieved)}): projection lag p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms over ${fmtInt(lags.length)} commands; bare subscriber p99 ${subP99.toFixed(1)} ms`,
    );
    return mark([
      { name: `lag.projection.p99 at half the sustained rate (${fmtInt(rate)} commands/s; bare subscriber beside)`, value: round(p99, 1), unit: 'ms', baseline: round(subP99, 1), ratio: round(p99 / subP99, 2), target: 100, stretch: 25, direction: 'max', targetOn: 'value' },
      { name: `lag.sustained-append-rate (${WRITERS} writers, projector running)`, value: Math.round(sustained), unit: 'commands/s', baseline: null, ratio: null, target: null },
    ]);
  } finally {
    await projector.stop();
    await writer.close();
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
