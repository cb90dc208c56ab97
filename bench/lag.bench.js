// 5. Projection lag at half the sustained append rate.
//
// On the fixture with its read models built: first the sustained rate of single-command appends (8 writers
// appending the seed's realistic commands as fast as they can, the projector running), then commands are issued
// open-loop at half that rate while a ProjectionRunner of ALL_PROJECTIONS projects. Lag of a command = from the
// moment its append returned to the moment every projection has applied it (runner.waitFor). The runner and a
// bare subscriber (the baseline: store.subscribe doing nothing, the delivery floor) use a store instance of their
// own, so they learn of appends by NOTIFY as a projector process would, not by this process's in-memory wake-up.
import { pathToFileURL } from 'node:url';
import { fmtInt, mark, now, percentile, round, sleep } from './lib/common.js';
import { eventsFixture, projectedFixture } from './lib/fixture.js';
import { generateHistory } from './lib/generate.js';
import { fixtureSize } from './rebuild.bench.js';
import { PostgresEventStore } from '../libs/event-store/dist/index.js';
import { loadProviderDirectory } from '../libs/platform/dist/index.js';
import { ALL_PROJECTIONS, ProjectionRunner, openReadModels, setScheduleResolver } from '../libs/read-models/dist/index.js';

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
  const providers = loadProviderDirectory(fixture.providersFile);
  setScheduleResolver((providerId) => providers.scheduleOf(providerId));
  const quiet = { info() {}, warn() {}, error: (o, m) => log(`projector: ${m} ${JSON.stringify(o)}`), child: () => quiet };
  const writer = await PostgresEventStore.create({ connectionString: db.url });
  const reader = await PostgresEventStore.create({ connectionString: db.url });
  const readModels = await openReadModels({ url: db.url, poolSize: 10 });
  const runner = new ProjectionRunner(reader, readModels, ALL_PROJECTIONS, quiet);
  const abort = new AbortController();
  try {
    runner.start();
    await runner.waitFor(await writer.headPosition());
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
        return { position: result.position, events: a.events.length, at: now() };
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
    await runner.waitFor(await writer.headPosition());

    // Bare subscriber: when does the store deliver each position to a reader of another instance?
    const delivered = new Map();
    const head = await reader.headPosition();
    const subscription = (async () => {
      for await (const batch of reader.subscribe({ after: head, signal: abort.signal })) {
        const t = now();
        for (const e of batch) delivered.set(e.position, t);
      }
    })();

    // Half rate, open loop.
    const rate = sustained / 2;
    const lags = [];
    const deliveries = [];
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
            async (r) => {
              await runner.waitFor(r.position);
              lags.push(now() - r.at);
              const d = delivered.get(r.position);
              if (d !== undefined) deliveries.push(Math.max(0, d - r.at));
            },
            () => failures++,
          ),
        );
      }
      await sleep(1);
    }
    await Promise.all(pending);
    // Deliveries that came after the projection are picked up here.
    await runner.waitFor(await writer.headPosition());
    const achieved = issued / ((now() - start) / 1000);
    if (failures) throw new Error(`${failures} appends failed during the lag run`);
    const p99 = percentile(lags, 99);
    const p50 = percentile(lags, 50);
    const subP99 = percentile(deliveries, 99);
    log(
      `at ${fmtInt(rate)} commands/s (achieved ${fmtInt(achieved)}): projection lag p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms over ${fmtInt(lags.length)} commands; bare subscriber p99 ${subP99.toFixed(1)} ms`,
    );
    abort.abort();
    await subscription.catch(() => undefined);
    return mark([
      { name: `lag.projection.p99 at half the sustained rate (${fmtInt(rate)} commands/s; bare subscriber beside)`, value: round(p99, 1), unit: 'ms', baseline: round(subP99, 1), ratio: round(p99 / subP99, 2), target: 100, stretch: 25, direction: 'max', targetOn: 'value' },
      { name: `lag.sustained-append-rate (${WRITERS} writers, projector running)`, value: Math.round(sustained), unit: 'commands/s', baseline: null, ratio: null, target: null },
    ]);
  } finally {
    abort.abort();
    await runner.stop();
    await readModels.destroy();
    await writer.close();
    await reader.close();
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
