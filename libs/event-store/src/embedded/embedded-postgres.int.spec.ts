import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE_NAME } from './data-dir-lock.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Generous: PGlite start-up and the held transaction take seconds on a loaded machine (jest's default is 5 s). */
const TIMEOUT_MS = 60_000;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => void | Promise<void>, patienceMs = 20_000): Promise<void> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await delay(25);
    }
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sped-embedded-'));
}

/** data-dir-lock.ts as plain JavaScript, so a child process can take the lock with our own code. */
function compiledLockModule(dir: string): string {
  const swc = createRequire(import.meta.url)('@swc/core') as {
    transformFileSync(file: string, options: object): { code: string };
  };
  const { code } = swc.transformFileSync(path.join(here, 'data-dir-lock.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    swcrc: false,
  });
  const file = path.join(dir, 'data-dir-lock.mjs');
  fs.writeFileSync(file, code);
  return file;
}

/** A child process that takes the lock on `dataDir`, says 'locked' and waits to be killed. */
async function childHoldingLock(moduleFile: string, dataDir: string): Promise<ChildProcess> {
  const script = `
    import { acquireDataDirLock } from ${JSON.stringify(moduleFile)};
    acquireDataDirLock(${JSON.stringify(dataDir)});
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock-holding child exited early (${code})`)));
  });
  return child;
}

describe('embedded PostgreSQL (PGlite)', () => {
  describe('when a data directory is opened', () => {
    let dir: string;
    let embedded: EmbeddedPostgres | null = null;

    beforeEach(() => {
      dir = path.join(tempDir(), 'data', 'nested');
    }, TIMEOUT_MS);

    afterEach(async () => {
      await embedded?.stop();
      embedded = null;
    }, TIMEOUT_MS);

    it('creates the directory and keeps the rows across a restart', async () => {
      embedded = await startEmbeddedPostgres({ dataDir: dir });
      expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(true);
      const first = new pg.Client({ connectionString: embedded.connectionString });
      await first.connect();
      await first.query('CREATE TABLE kept (note text)');
      await first.query(`INSERT INTO kept VALUES ('Құжаттар қабылданды')`);
      await first.end();
      await embedded.stop();
      expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);

      embedded = await startEmbeddedPostgres({ dataDir: dir });
      const second = new pg.Client({ connectionString: embedded.connectionString });
      await second.connect();
      expect((await second.query('SELECT note FROM kept')).rows).toEqual([{ note: 'Құжаттар қабылданды' }]);
      await second.end();
    }, TIMEOUT_MS);

    it('refuses a second opener in the same process, naming the directory and the holder', async () => {
      embedded = await startEmbeddedPostgres({ dataDir: dir });
      const second = startEmbeddedPostgres({ dataDir: dir });
      await expect(second).rejects.toThrow(DataDirLockedError);
      await expect(second).rejects.toThrow(`Embedded database directory ${dir} is already in use by process ${process.pid}`);
      expect(() => acquireDataDirLock(dir)).toThrow(/lose rows/);
    }, TIMEOUT_MS);

    it('refuses to open a directory another process holds, and takes it over once that process is gone', async () => {
      const scratch = tempDir();
      const child = await childHoldingLock(compiledLockModule(scratch), dir);
      try {
        const opening = startEmbeddedPostgres({ dataDir: dir });
        await expect(opening).rejects.toThrow(`Embedded database directory ${dir} is already in use by process ${child.pid} on host ${os.hostname()}`);
      } finally {
        child.kill('SIGKILL');
        await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      }
      const warnings: string[] = [];
      embedded = await startEmbeddedPostgres({ dataDir: dir, logger: { warn: (_obj, msg) => warnings.push(msg) } });
      expect(warnings).toEqual([expect.stringContaining(`taking over the lock of process ${child.pid}`)]);
      const holder = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number };
      expect(holder.pid).toBe(process.pid);
    }, TIMEOUT_MS);

    it('does not take over a lock held by another host', async () => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: 999999, hostname: 'other-host.example', startedAt: '2025-01-01T00:00:00.000Z' }));
      await expect(startEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(/in use by process 999999 on host other-host.example/);
    }, TIMEOUT_MS);
  });

  describe('when several clients use one embedded server', () => {
    let embedded: EmbeddedPostgres;
    const clients: pg.Client[] = [];

    async function client(): Promise<pg.Client> {
      const c = new pg.Client({ connectionString: embedded.connectionString });
      c.on('error', () => undefined);
      await c.connect();
      clients.push(c);
      return c;
    }

    beforeAll(async () => {
      embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
    }, TIMEOUT_MS);

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await embedded.stop();
    }, TIMEOUT_MS);

    it('answers every concurrent parameterized query with its own statement and values', async () => {
      const pool = new pg.Pool({ connectionString: embedded.connectionString, max: 8 });
      try {
        const big = 'x'.repeat(200_000);
        const results = await Promise.all(
          Array.from({ length: 64 }, (_, i) =>
            i % 2 === 0
              ? pool.query<{ even: number; len: number }>('SELECT $1::int AS even, length($2) AS len', [i, big])
              : pool.query<{ odd: number }>('SELECT $1::int + 0 AS odd', [i]),
          ),
        );
        results.forEach((r, i) => expect(r.rows[0]).toEqual(i % 2 === 0 ? { even: i, len: big.length } : { odd: i }));
      } finally {
        await pool.end();
      }
    }, TIMEOUT_MS);

    it("never lets another connection see a transaction's rows before it ends", async () => {
      const writer = await client();
      const reader = await client();
      await writer.query('CREATE TABLE IF NOT EXISTS isolation_probe (n int)');
      await writer.query('BEGIN');
      await writer.query('INSERT INTO isolation_probe VALUES (1)');
      // On a shared PGlite session a reader let in now would count the uncommitted row.
      const counting = reader.query<{ n: string }>('SELECT count(*) AS n FROM isolation_probe');
      await writer.query('ROLLBACK');
      expect((await counting).rows[0].n).toBe('0');
    }, TIMEOUT_MS);

    it('rolls back the open transaction of a connection that disappears', async () => {
      const leaving = await client();
      const staying = await client();
      await staying.query('CREATE TABLE IF NOT EXISTS abandoned (n int)');
      await leaving.query('BEGIN');
      await leaving.query('INSERT INTO abandoned VALUES (1)');
      const counting = staying.query<{ n: string }>('SELECT count(*) AS n FROM abandoned');
      (leaving as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      expect((await counting).rows[0].n).toBe('0');
    }, TIMEOUT_MS);

    it('delivers a notification to the connection that listens, not to the one that notified', async () => {
      const listener = await client();
      const notifier = await client();
      const heard: string[] = [];
      const misrouted: string[] = [];
      listener.on('notification', (n) => heard.push(n.payload ?? ''));
      notifier.on('notification', (n) => misrouted.push(n.payload ?? ''));
      await listener.query('LISTEN "probe_channel"');
      await notifier.query(`SELECT pg_notify('probe_channel', 'one')`);
      await notifier.query('BEGIN');
      await notifier.query(`NOTIFY probe_channel, 'two'`);
      await notifier.query('COMMIT');
      await eventually(() => expect(heard).toEqual(['one', 'two']));
      expect(misrouted).toEqual([]);

      const other = await client();
      const alsoHeard: string[] = [];
      other.on('notification', (n) => alsoHeard.push(n.payload ?? ''));
      await other.query('LISTEN probe_channel');
      await other.query('UNLISTEN probe_channel');
      await notifier.query(`SELECT pg_notify('probe_channel', 'three')`);
      await eventually(() => expect(heard).toEqual(['one', 'two', 'three']));
      expect(alsoHeard).toEqual([]);
    }, TIMEOUT_MS);
  });
});
