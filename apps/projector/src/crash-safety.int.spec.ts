import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, type EventStore } from '@sped/event-store';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import { ALL_PROJECTIONS, openReadModels } from '@sped/read-models';
import { appendAll, checkpoints, interleave, projectionTables, randomHistory, seededPick } from '@sped/read-models/testing';

const root = path.resolve(import.meta.dirname, '../../..');
const KILLS = 5;

type Proc = ChildProcess & { output: string[]; exited: Promise<number | null> };

function start(script: string, env: Record<string, string>, args: string[] = []): Proc {
  const child = spawn(process.execPath, [path.join(root, script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }) as Proc;
  child.output = [];
  child.stdout?.on('data', (d) => child.output.push(String(d)));
  child.stderr?.on('data', (d) => child.output.push(String(d)));
  child.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return child;
}

async function until<T>(what: () => Promise<T | undefined>, describe: string, proc?: Proc): Promise<T> {
  for (let i = 0; i < 12_000; i++) {
    const v = await what().catch(() => undefined);
    if (v !== undefined) return v;
    if (proc && proc.exitCode !== null) throw new Error(`the process ended (${proc.exitCode}) before ${describe}\n${proc.output.join('')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${describe}\n${proc?.output.join('') ?? ''}`);
}

describe('Projector process killed during catch-up', () => {
  let db: TestDatabase;
  let store: EventStore;
  let rm: DataSource;
  let dataDir: string;
  const running: Proc[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('crash_safety');
    store = await PostgresEventStore.create({ connectionString: db.connectionString, poolSize: 2 });
    rm = await openReadModels({ url: db.connectionString, poolSize: 2 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'sped-crash-'));
  });
  afterAll(async () => {
    for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await rm?.destroy();
    await store?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends, after SIGKILLs at random points and restarts, with exactly the rows of a clean rebuild', async () => {
    // On PGlite the test's own embedded server serves the child processes over TCP, as PostgreSQL would.
    process.stdout.write(`[crash-safety] projector processes run against ${db.kind === 'postgres' ? 'PostgreSQL' : 'the embedded PGlite server of the test process'}\n`);
    const pick = seededPick(Number(process.env.CRASH_SEED ?? Date.now() % 100_000));
    const plan = interleave(pick, randomHistory(pick, { cases: 420, complaints: 60, maxCommands: 12 }));
    expect(plan.reduce((n, a) => n + a.events.length, 0)).toBeGreaterThan(2500);
    await appendAll(store, plan);
    // The projector's deadline sweeper records DeadlinePassed events when it starts (and then once a day):
    // the log grows a little with each restart, as it would in production.
    const env = { DATABASE_URL: db.connectionString, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEADLINE_SWEEP_SECONDS: '86400' };
    const names = ALL_PROJECTIONS.map((p) => p.name);
    const progress = async () => {
      const c = await checkpoints(rm);
      return names.map((n) => c[n]?.position ?? '0');
    };

    const kills: Array<{ after: number; positions: string[]; head: string }> = [];
    for (let k = 0; k < KILLS; k++) {
      const projector = start('apps/projector/dist/main.js', env);
      running.push(projector);
      // Kill once the checkpoints have moved a random number of times since this start (one batch of one
      // projection is one move), so the kill lands wherever the projector happens to be then.
      const moves = 1 + pick(4);
      let seen = 0;
      let last = (await progress()).join();
      await until(
        async () => {
          const now = (await progress()).join();
          if (now !== last) {
            seen++;
            last = now;
          }
          return seen >= moves ? true : undefined;
        },
        `${moves} checkpoint moves`,
        projector,
      );
      projector.kill('SIGKILL');
      await projector.exited;
      kills.push({ after: moves, positions: await progress(), head: await store.headPosition() });
    }
    process.stdout.write(`[crash-safety] ${names.join(', ')} killed at ${kills.map((k) => `[${k.positions.join(', ')}] of ${k.head}`).join('; ')}\n`);
    // Every kill came before the projector had caught up: it was killed during catch-up.
    expect(kills.filter((k) => k.positions.every((p) => p === k.head))).toEqual([]);
    expect(kills.some((k) => k.positions.some((p) => p !== '0'))).toBe(true);

    // Restart until the log has stopped growing: a sweep that started with the projector may still append
    // after the checkpoints first reach the head.
    let head = '0';
    for (let round = 1; ; round++) {
      const last = start('apps/projector/dist/main.js', env);
      running.push(last);
      await until(
        async () => {
          const now = await store.headPosition();
          return (await progress()).every((p) => p === now) ? true : undefined;
        },
        'the projector to catch up after the restarts',
        last,
      );
      last.kill('SIGTERM');
      expect(await last.exited).toBe(0);
      head = await store.headPosition();
      if ((await progress()).every((p) => p === head)) break;
      if (round === 5) throw new Error(`the log kept growing through ${round} restarts`);
    }
    expect(Object.values(await checkpoints(rm)).filter((c) => c.status !== 'running' || c.position !== head)).toEqual([]);
    const total = (await store.readAll({})).length;
    const afterCrashes = await projectionTables(rm, ALL_PROJECTIONS);

    // A clean rebuild by the rebuild tool, with the projector's own configuration.
    const rebuild = start('apps/projector/dist/cli/rebuild.js', env, ['--all']);
    running.push(rebuild);
    expect({ code: await rebuild.exited, output: rebuild.output.join('').includes('failed') ? rebuild.output.join('') : '' }).toEqual({ code: 0, output: '' });
    for (const name of names) expect(rebuild.output.join('')).toContain(`${name}: rebuilt from ${total} events up to position ${head}`);
    const rebuilt = await projectionTables(rm, ALL_PROJECTIONS);
    expect(Object.keys(rebuilt).sort()).toEqual(Object.keys(afterCrashes).sort());
    for (const table of Object.keys(rebuilt)) expect({ table, rows: afterCrashes[table] }).toEqual({ table, rows: rebuilt[table] });
  });
});
