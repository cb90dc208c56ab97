import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import { createLogger, loadConfig } from '@sped/platform';
import { startServer, type RunningServer } from '../app.js';
import { mintToken, type Role } from '../auth/auth.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestServer {
  url: string;
  db: TestDatabase;
  server: RunningServer;
  token(role: Role, providerId?: string | null, sub?: string): Promise<string>;
  request<T = any>(method: string, path: string, options?: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> }): Promise<TestResponse<T>>;
  /** Waits until the projector has applied `position` (read-your-writes in tests; never a sleep). */
  projected(position: string | null | undefined): Promise<void>;
  close(): Promise<void>;
}

/** The whole API on a fresh database of its own (PostgreSQL or PGlite), listening on a free port. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const db = await createTestDatabase('api');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sped-api-'));
  const config = loadConfig({ DATABASE_URL: db.connectionString, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEADLINE_SWEEP_SECONDS: '86400', ...env });
  const logger = createLogger((process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent');
  const server = await startServer(config, logger);
  const secret = new TextEncoder().encode(TEST_JWT_SECRET);
  return {
    url: server.url,
    db,
    server,
    token: (role, providerId = null, sub) => mintToken(secret, { sub: sub ?? `${role}-${providerId ?? 'all'}`, role, providerId }),
    async request(method, p, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(server.url + p, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed as any, text };
    },
    async projected(position) {
      if (position) await server.runtime.projector?.waitFor(position);
    },
    async close() {
      await server.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
