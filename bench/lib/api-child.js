// Child process: the real API (startServer from apps/api/dist/app.js) on the database in DATABASE_URL, with the
// environment the parent passes. Sends {url} over IPC when listening; closes on 'close' or SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, loadConfig } from '../../libs/platform/dist/index.js';
import { startServer } from '../../apps/api/dist/app.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'sped-bench-api-'));
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...process.env });
const server = await startServer(config, createLogger(config.logLevel));
let closing;
const close = () =>
  (closing ??= server
    .close()
    .catch(() => undefined)
    .finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }));
process.on('message', (m) => m === 'close' && close());
process.on('SIGTERM', close);
process.send({ url: server.url });
