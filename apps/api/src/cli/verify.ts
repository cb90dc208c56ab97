import { ChainVerifier, type BrokenLink } from '@sped/event-store';
import { ConfigError, createLogger, loadConfig, openStorage } from '@sped/platform';

/**
 * `npm run verify`: walks the whole event store in global order and checks every stream's hash chain.
 * Exit 0 when every chain holds, 1 when a link is broken (each broken stream is named with its first
 * broken event), 2 when the store cannot be opened.
 */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger('warn', 'verify');
  let storage;
  try {
    storage = await openStorage(config, logger);
  } catch (error) {
    const e = error as { code?: string; message: string };
    process.stderr.write(
      e.code === 'DATA_DIR_LOCKED'
        ? `${e.message}\nThe embedded store is open in a running server: stop it first, or verify single cases with GET /v1/cases/{id}/verify.\n`
        : `Could not open the event store: ${e.message}\n`,
    );
    process.exit(2);
  }
  const verifiers = new Map<string, ChainVerifier>();
  let after = '0';
  let events = 0;
  const head = await storage.eventStore.headPosition();
  const started = Date.now();
  for (;;) {
    const batch = await storage.eventStore.readAll({ after, limit: 5000 });
    if (batch.length === 0) break;
    for (const e of batch) {
      let v = verifiers.get(e.streamId);
      if (!v) verifiers.set(e.streamId, (v = new ChainVerifier(e.streamId)));
      v.push(e);
    }
    events += batch.length;
    after = batch[batch.length - 1].position;
    process.stderr.write(`\r[verify] ${events} events, ${verifiers.size} streams, position ${after} of ${head} (${Math.round(events / ((Date.now() - started) / 1000 || 1))} events/s)`);
  }
  process.stderr.write('\n');
  const broken: BrokenLink[] = [];
  for (const v of verifiers.values()) if (v.firstBroken) broken.push(v.firstBroken);
  await storage.close();
  if (broken.length === 0) {
    process.stdout.write(`OK: ${verifiers.size} streams, ${events} events, every hash chain holds.\n`);
    return;
  }
  broken.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  process.stdout.write(`BROKEN: ${broken.length} of ${verifiers.size} streams. First broken link of each, in global order:\n`);
  for (const b of broken) process.stdout.write(`  ${b.streamId} version ${b.streamVersion} (event ${b.eventId}, ${b.type}, position ${b.position}): ${b.reason}: ${b.detail}\n`);
  process.exit(1);
}

void main();
