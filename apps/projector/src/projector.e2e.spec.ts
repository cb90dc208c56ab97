import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { SignJWT } from 'jose';
import { makeIin } from '@sped/domain';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';

const root = path.resolve(import.meta.dirname, '../../..');
const secret = 'projector-e2e-secret-long-enough-for-hs256-000000';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function start(script: string, env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [path.join(root, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (d) => child.output.push(String(d)));
  child.stderr?.on('data', (d) => child.output.push(String(d)));
  return child;
}

async function until<T>(what: () => Promise<T | undefined>, describe: string, procs: Array<{ output: string[] }>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await what().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${describe}\n${procs.map((p) => p.output.join('')).join('\n---\n')}`);
}

const stop = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null ? resolve() : (p.once('exit', () => resolve()), p.kill('SIGTERM'))));

describe('api and projector as two processes (server mode)', () => {
  let db: TestDatabase;
  let api: ChildProcess & { output: string[] };
  let projector: ChildProcess & { output: string[] };
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase('two_processes');
    dataDir = mkdtempSync(path.join(tmpdir(), 'sped-proc-'));
  });
  afterAll(async () => {
    await Promise.all([api && stop(api), projector && stop(projector)]);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a case recorded by the api process once the projector process has projected it', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: db.connectionString, JWT_SECRET: secret, DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
    api = start('apps/api/dist/main.js', { ...env, PORT: String(port), RUN_PROJECTOR: 'false' });
    const base = `http://127.0.0.1:${port}`;
    await until(async () => ((await fetch(`${base}/health`)).status ? true : undefined), 'the api to listen', [api]);

    const token = await new SignJWT({ role: 'clerk', providerId: 'school-7' }).setProtectedHeader({ alg: 'HS256' }).setSubject('clerk-7').setExpirationTime('1h').sign(new TextEncoder().encode(secret));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const body = {
      service: 'home-education',
      providerId: 'school-7',
      occurredAt: '2022-02-01T10:00:00+06:00',
      applicant: { iin: makeIin('1985-01-01', 'male', 5), fullName: 'Ерлан Тестов' },
      child: { iin: makeIin('2013-03-03', 'male', 6), fullName: 'Нұрлан Тестов', birthDate: '2013-03-03' },
      documents: [{ kind: 'application' }],
    };
    const created = await fetch(`${base}/v1/cases`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // Nothing projects it yet: the api process runs no projector.
    expect((await fetch(`${base}/v1/cases/${id}`, { headers })).status).toBe(404);

    projector = start('apps/projector/dist/main.js', env);
    const got = await until(async () => {
      const r = await fetch(`${base}/v1/cases/${id}`, { headers });
      return r.status === 200 ? ((await r.json()) as { stage: string }) : undefined;
    }, 'the projector to project the case', [api, projector]);
    expect(got.stage).toBe('submitted');

    const health = (await (await fetch(`${base}/health`)).json()) as { checks: { projector: { inProcess: boolean; lag: number } } };
    expect(health.checks.projector).toMatchObject({ inProcess: false, lag: 0 });
  });
});
