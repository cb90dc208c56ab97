// Child process of the lag benchmark: the projector as it runs in production, in a process of its own. A
// ProjectionRunner of ALL_PROJECTIONS, and beside it a bare subscriber (store.subscribe doing nothing: the
// delivery floor), each on its own store instance, so both learn of appends by NOTIFY as a projector process
// would. Prints JSON lines with wall-clock times (performance.timeOrigin + performance.now(), comparable across
// processes of one machine): {ready, head} once caught up, then {projected: position, t} whenever every projection
// has applied up to a new position, and {delivered: position, t} for every batch the bare subscriber receives.
import { PostgresEventStore } from '../../libs/event-store/dist/index.js';
import { loadProviderDirectory } from '../../libs/platform/dist/index.js';
import { ALL_PROJECTIONS, ProjectionRunner, openReadModels, setScheduleResolver } from '../../libs/read-models/dist/index.js';

const [url] = process.argv.slice(2);
const wall = () => performance.timeOrigin + performance.now();
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const quiet = { info() {}, warn() {}, error: (o, m) => process.stderr.write(`projector: ${m} ${JSON.stringify(o)}\n`), child: () => quiet };

const providers = loadProviderDirectory(process.env.PROVIDERS_FILE || undefined);
setScheduleResolver((providerId) => providers.scheduleOf(providerId));
const projectorStore = await PostgresEventStore.create({ connectionString: url });
const subscriberStore = await PostgresEventStore.create({ connectionString: url });
const readModels = await openReadModels({ url, poolSize: 10 });
const runner = new ProjectionRunner(projectorStore, readModels, ALL_PROJECTIONS, quiet);
const abort = new AbortController();
runner.start();
const head = await projectorStore.headPosition();
await runner.waitFor(head);
say({ ready: true, head });

const minPosition = () => runner.status().reduce((m, s) => (BigInt(s.position) < m ? BigInt(s.position) : m), 2n ** 62n);
const projected = (async () => {
  let at = minPosition();
  while (!abort.signal.aborted) {
    await runner.waitFor(String(at + 1n), abort.signal);
    if (abort.signal.aborted) break;
    at = minPosition();
    say({ projected: String(at), t: wall() });
  }
})();
const delivered = (async () => {
  for await (const batch of subscriberStore.subscribe({ after: head, signal: abort.signal })) say({ delivered: batch[batch.length - 1].position, t: wall() });
})();

const stop = async () => {
  abort.abort();
  await Promise.all([projected, delivered].map((p) => p.catch(() => undefined)));
  await runner.stop();
  await readModels.destroy();
  await projectorStore.close();
  await subscriberStore.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
