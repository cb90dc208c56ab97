import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { openStorage, PersonalDataVault, PinoNestLogger, resolveKeyEncryptionKey, type AppConfig, type Logger } from '@sped/platform';
import { ALL_PROJECTIONS, openReadModels, ProjectionRunner } from '@sped/read-models';
import { AppModule } from './app.module.js';
import { ProblemFilter, sendProblem, toProblem } from './http/problem.js';
import type { Runtime } from './runtime.js';

export interface RunningServer {
  app: NestFastifyApplication;
  runtime: Runtime;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/**
 * Opens storage and read models, starts the projector when this process runs it, and serves the API.
 * One function for `npm start`, the separate server processes and the e2e tests.
 */
export async function startServer(config: AppConfig, logger: Logger, options: { listen?: boolean } = {}): Promise<RunningServer> {
  const storage = await openStorage(config, logger);
  let readModels;
  try {
    readModels = await openReadModels({ url: storage.readModelUrl, poolSize: storage.readModelPoolSize });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const projector = config.runProjector ? new ProjectionRunner(storage.eventStore, readModels, ALL_PROJECTIONS, logger.child({ part: 'projector' })) : undefined;
  const vault = new PersonalDataVault(readModels, resolveKeyEncryptionKey(config.personalDataKey, config.dataDir).key);
  const runtime: Runtime = { config, logger, storage, eventStore: storage.eventStore, readModels, vault, projector, startedAt: new Date() };

  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: true, routerOptions: { maxParamLength: 200 } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(runtime), adapter, {
    logger: new PinoNestLogger(logger.child({ part: 'nest' })),
  });
  app.useGlobalFilters(new ProblemFilter(logger));
  const fastify = app.getHttpAdapter().getInstance();
  // Errors raised by Fastify before a route runs (malformed JSON, body too large, bad content type).
  fastify.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) logger.error({ err: error, url: request.url }, 'request failed');
    sendProblem(reply, request, problem);
  });
  await app.init();
  projector?.start();

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
      await projector?.stop();
      await readModels.destroy();
      await storage.close();
      logger.info('stopped');
    })());
  return { app, runtime, url, close };
}
