import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadProviderDirectory, openStorage, PersonalDataVault, PinoNestLogger, resolveKeyEncryptionKey, type AppConfig, type Logger } from '@sped/platform';
import { ALL_PROJECTIONS, DeadlineSweeper, openReadModels, ProjectionRunner, setScheduleResolver } from '@sped/read-models';
import { MonitoringDeliveryWorker, type MonitoringDeliveryOptions } from '@sped/read-models';
import { AppModule } from './app.module.js';
import { ProblemError, ProblemFilter, sendClientError, sendProblem, toProblem } from './http/problem.js';
import type { Runtime } from './runtime.js';
import { HttpMetrics } from './metrics/metrics.js';
import { rateLimitHook, TokenBucketLimiter } from './http/rate-limit.js';
import { TokenVerifier } from './auth/auth.js';
import { StreamEventCache, StreamStateCache } from '@sped/event-store';

export interface RunningServer {
  app: NestFastifyApplication;
  runtime: Runtime;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Sends the monitoring feed to MONITORING_URL; present when that is set and this process runs the projector. */
  monitoringDelivery?: MonitoringDeliveryWorker;
  close(): Promise<void>;
}

/**
 * Opens storage and read models, starts the projector when this process runs it, and serves the API.
 * One function for `npm start`, the separate server processes and the e2e tests.
 */
export async function startServer(config: AppConfig, logger: Logger, options: { listen?: boolean; monitoringDelivery?: Omit<MonitoringDeliveryOptions, 'url'> } = {}): Promise<RunningServer> {
  const providers = loadProviderDirectory(config.providersFile);
  setScheduleResolver((providerId) => providers.scheduleOf(providerId));
  const storage = await openStorage(config, logger);
  let readModels;
  try {
    readModels = await openReadModels({ url: storage.readModelUrl, poolSize: storage.readModelPoolSize, queryTimeoutMs: config.databaseQueryTimeoutMs });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const projector = config.runProjector ? new ProjectionRunner(storage.eventStore, readModels, ALL_PROJECTIONS, logger.child({ part: 'projector' })) : undefined;
  const kek = resolveKeyEncryptionKey(config.personalDataKey, config.dataDir);
  if (kek.source === 'DATA_DIR' && config.mode !== 'embedded') {
    // Losing this file makes every person's data unreadable: a server deployment must pass PERSONAL_DATA_KEY.
    logger.warn({ dataDir: config.dataDir }, 'PERSONAL_DATA_KEY is not set: the key-encryption key was generated into DATA_DIR; back it up or set PERSONAL_DATA_KEY');
  }
  const vault = new PersonalDataVault(readModels, kek.key);
  const runtime: Runtime = { config, logger, storage, eventStore: storage.eventStore, readModels, vault, providers, projector, startedAt: new Date(), httpMetrics: new HttpMetrics(),
    commandCache: { cases: new StreamStateCache(config.commandCacheStreams), complaints: new StreamStateCache(config.commandCacheStreams) },
    historyCache: new StreamEventCache(storage.eventStore, config.historyCacheEvents),
  };

  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    routerOptions: { maxParamLength: 200 },
    // Refused before any route or filter sees them: a URL Node cannot parse or headers over its limit, a malformed
    // percent-encoding or an over-long path segment. They are problem documents too.
    clientErrorHandler: sendClientError,
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, request, toProblem(error)),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(runtime), adapter, {
    logger: new PinoNestLogger(logger.child({ part: 'nest' })),
  });
  app.useGlobalFilters(new ProblemFilter(logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids must not explode the number of series.
    const route = request.routeOptions?.url ?? 'unmatched';
    runtime.httpMetrics.observe(request.method, route, reply.statusCode, reply.elapsedTime);
  });
  // Before anything else reads the request: a throttled client costs a token check, not a body parse.
  if (config.rateLimitPerMinute > 0) {
    const verifier = app.get(TokenVerifier);
    fastify.addHook('onRequest', rateLimitHook(new TokenBucketLimiter(config.rateLimitPerMinute), async (request) => (await verifier.verifyRequest(request)).userId));
  }
  // Commands are JSON only: anything else (form bodies, which the adapter would parse) is a 415.
  fastify.addHook('onRequest', async (request, reply) => {
    if (!['POST', 'PUT', 'PATCH'].includes(request.method)) return;
    const type = request.headers['content-type'];
    if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      sendProblem(reply, request, new ProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json', `Content-Type ${type} is not accepted; send application/json.`, [{ field: 'Content-Type', message: 'must be application/json' }]));
      return reply;
    }
  });
  await app.init();
  projector?.start();
  // Terms expire with time: the process that projects also records DeadlinePassed.
  const sweeper = projector ? new DeadlineSweeper(storage.eventStore, readModels, logger.child({ part: 'sweeper' }), { intervalMs: config.deadlineSweepMs, clockSkewMs: config.clockSkewMs }) : undefined;
  sweeper?.start();
  const monitoringDelivery =
    projector && config.monitoringUrl ? new MonitoringDeliveryWorker(readModels, logger.child({ part: 'monitoring-delivery' }), { ...options.monitoringDelivery, url: config.monitoringUrl }) : undefined;
  monitoringDelivery?.start();

  let url = '';
  if (options.listen !== false) {
    await app.listen(config.port, config.host);
    const address = fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = `http://127.0.0.1:${port}`;
    logger.info({ url, mode: config.mode, storage: storage.describe, projector: !!projector }, 'api listening');
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await sweeper?.stop();
      await monitoringDelivery?.stop();
      await projector?.stop();
      await readModels.destroy();
      await storage.close();
      logger.info('stopped');
    })());
  return { app, runtime, url, monitoringDelivery, close };
}
