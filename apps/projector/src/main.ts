import { ConfigError, createLogger, loadConfig, loadProviderDirectory, openStorage } from '@sped/platform';
import { ALL_PROJECTIONS, DeadlineSweeper, MonitoringDeliveryWorker, openReadModels, ProjectionRunner, setScheduleResolver } from '@sped/read-models';

/** The projector as its own process (server and scale-out modes): `node apps/projector/dist/main.js`. */
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
  if (config.mode === 'embedded') {
    process.stderr.write('The projector runs as its own process only with DATABASE_URL set; in embedded mode `npm start` runs it inside the api process.\n');
    process.exit(2);
  }
  const logger = createLogger(config.logLevel, 'projector');
  const providers = loadProviderDirectory(config.providersFile);
  setScheduleResolver((providerId) => providers.scheduleOf(providerId));
  const storage = await openStorage(config, logger);
  const readModels = await openReadModels({ url: storage.readModelUrl, poolSize: storage.readModelPoolSize });
  const runner = new ProjectionRunner(storage.eventStore, readModels, ALL_PROJECTIONS, logger);
  runner.start();
  const sweeper = new DeadlineSweeper(storage.eventStore, readModels, logger.child({ part: 'sweeper' }), { intervalMs: config.deadlineSweepMs, clockSkewMs: config.clockSkewMs });
  sweeper.start();
  // The process that projects also delivers the monitoring feed (one sender at a time: the worker holds a lease).
  const delivery = config.monitoringUrl ? new MonitoringDeliveryWorker(readModels, logger.child({ part: 'monitoring-delivery' }), { url: config.monitoringUrl }) : undefined;
  delivery?.start();
  logger.info({ projections: ALL_PROJECTIONS.map((p) => p.name), storage: storage.describe }, 'projector started');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'projector shutting down');
    await delivery?.stop();
    await sweeper.stop();
    await runner.stop();
    await readModels.destroy();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

void main();
