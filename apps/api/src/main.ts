import { ConfigError, createLogger, loadConfig } from '@sped/platform';
import { startServer } from './app.js';

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
  const logger = createLogger(config.logLevel, 'api');
  try {
    const server = await startServer(config, logger);
    const stop = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    if (config.mode === 'embedded') {
      process.stdout.write(
        `\nSpecial-education compliance monitor is running (embedded storage in ${config.dataDir}).\n  Dashboard: ${server.url}/  (demo sign-in; fill it with \`npm run seed\` in another terminal)\n  API:  ${server.url}/v1\n  Docs: ${server.url}/docs\n  Token: npm run token -- --role head --provider <providerId>\n\n`,
      );
    }
  } catch (error) {
    logger.fatal({ err: error }, `could not start: ${(error as Error).message}`);
    process.stderr.write(`\nCould not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

void main();
