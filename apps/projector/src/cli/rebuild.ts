import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadConfig, loadProviderDirectory, openStorage, type AppConfig } from '@sped/platform';
import { ALL_PROJECTIONS, openReadModels, ProjectionRebuilder, setScheduleResolver, type RebuildProgress, type RebuildResult } from '@sped/read-models';

/**
 * `npm run rebuild -- <projection>|--all` (server and scale-out modes): rebuilds read models into new tables and
 * swaps them in when caught up; the projector and the api keep serving the old tables meanwhile.
 * Exit codes: 0 rebuilt, 1 a rebuild failed (that model is unchanged), 2 usage, configuration or embedded mode.
 */
const names = ALL_PROJECTIONS.map((p) => p.name);
const usage = `usage: npm run rebuild -- <projection>|--all [--together]\n  projections: ${names.join(', ')}\n`;

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

function describe(p: RebuildProgress): string {
  const head = BigInt(p.head);
  const percent = head > 0n ? Math.min(100, Number((BigInt(p.position) * 1000n) / head) / 10) : 100;
  return `${p.projection}: ${p.phase} at position ${p.position} of ${p.head} (${percent.toFixed(1)}%), ${p.events} events, ${p.eventsPerSecond} events/s`;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { all: { type: 'boolean' }, together: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) fail(usage, 0);
  if (values.all ? positionals.length > 0 : positionals.length !== 1) fail(usage, 2);
  const selected = values.all ? names : positionals;
  const together = values.together === true;
  const unknown = selected.filter((n) => !names.includes(n));
  if (unknown.length) fail(`There is no projection ${unknown.join(', ')}.\n${usage}`, 2);

  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  if (config.mode === 'embedded') {
    fail(
      'In embedded mode (no DATABASE_URL) the running server holds the data directory, so this tool cannot open it.\n' +
        'Rebuild through the running server instead (npm start), with an admin token (npm run token -- --role admin):\n' +
        `  curl -X POST -H "Authorization: Bearer $TOKEN" http://localhost:${config.port}/v1/admin/projections/<projection>/rebuild\n` +
        `  curl -H "Authorization: Bearer $TOKEN" http://localhost:${config.port}/v1/admin/projections   (progress)\n`,
      2,
    );
  }

  const logger = createLogger(config.logLevel, 'rebuild');
  // The rebuilt model must judge terms by the same working schedules as the live projector.
  const providers = loadProviderDirectory(config.providersFile);
  setScheduleResolver((providerId) => providers.scheduleOf(providerId));
  const storage = await openStorage(config, logger);
  // A transaction per projection side by side when several are rebuilt together, and the lock connection.
  const readModels = await openReadModels({ url: storage.readModelUrl, poolSize: selected.length + 2 });
  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('Interrupted: abandoning the rebuild; the live model stays as it is.\n');
    abort.abort();
  });
  process.once('SIGTERM', () => abort.abort());

  const rebuilder = new ProjectionRebuilder(storage.eventStore, readModels, ALL_PROJECTIONS, logger);
  let failed = 0;
  let shown = 0;
  let phase = '';
  const onProgress = (p: RebuildProgress) => {
    if (p.phase === phase && Date.now() - shown < 1000) return;
    shown = Date.now();
    phase = p.phase;
    process.stderr.write(`${describe(p)}\n`);
  };
  const say = (result: RebuildResult) =>
    process.stderr.write(`${result.projection}: rebuilt from ${result.events} events up to position ${result.position} in ${(result.elapsedMs / 1000).toFixed(1)} s, and swapped in\n`);
  let alone = selected;
  // --together: all from one read of the log, in lockstep (less reading, but each batch waits for the slowest
  // projection: at a million events slower than one after the other; see docs/performance.md).
  if (together && selected.length > 1) {
    // Together first: one read of the log for all of them.
    try {
      for (const result of await rebuilder.rebuildMany(selected, { signal: abort.signal, onProgress })) say(result);
      alone = [];
    } catch (error) {
      process.stderr.write(`rebuilding ${selected.join(', ')} together failed, no model was swapped: ${(error as Error).message}\n`);
      if (!abort.signal.aborted) process.stderr.write('rebuilding them one at a time, so the others are still rebuilt\n');
    }
  }
  for (const name of alone) {
    if (abort.signal.aborted) break;
    try {
      say(await rebuilder.rebuild(name, { signal: abort.signal, onProgress }));
    } catch (error) {
      failed++;
      process.stderr.write(`${name}: rebuild failed, the live model is unchanged: ${(error as Error).message}\n`);
    }
  }
  await readModels.destroy();
  await storage.close();
  process.exit(failed > 0 || abort.signal.aborted ? 1 : 0);
}

void main();
