import type { EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '@sped/event-store';
import { ALL_PROJECTIONS, ProjectionRunner, type Projection } from '@sped/read-models';
import { appendAll, interleave, randomHistory, seededPick } from '@sped/read-models/testing';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { FLOWS, runFlow, tokens, type Tokens } from '../testing/case-flows.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The server starts without a projector (RUN_PROJECTOR=false); the test then gives it one whose event store
 * it can hold back, so a rebuild stays mid-way exactly as long as the test needs, on PostgreSQL and PGlite
 * alike. The projector also runs a projection of the test's own that breaks on events it is told to.
 */
let t: TestServer;
let tok: Tokens;
let runner: ProjectionRunner | undefined;
const hold: { gate: Promise<void> | null } = { gate: null };
const fault: { type: string | null } = { type: null };

const breakable: Projection = {
  name: 'admin-test-log',
  tables: ['admin_test_log'],
  async apply(m: EntityManager, events: RecordedEvent[]) {
    for (const e of events) {
      if (e.type === fault.type) throw new Error(`${e.type} is not understood yet`);
      await m.query('INSERT INTO admin_test_log (event_id, position) VALUES ($1, $2) ON CONFLICT DO NOTHING', [e.id, e.position]);
    }
  },
};

function heldBack(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'readAll') {
        return async (options: Parameters<EventStore['readAll']>[0]) => {
          if (hold.gate) await hold.gate;
          return target.readAll(options);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function until<T>(what: () => Promise<T | undefined>, describe: string): Promise<T> {
  for (let i = 0; i < 3000; i++) {
    const v = await what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${describe}`);
}

const projections = async () => {
  const res = await t.request('GET', '/v1/admin/projections', { token: tok.admin });
  expect(res.status).toBe(200);
  return res.body as { inProcess: boolean; head: string; projections: Array<{ name: string; state: string; position: string; lag: number; error: string | null; rebuild: null | { status: string; progress: { phase: string; position: string; head: string; events: number }; error: string | null } }> };
};
const projection = async (name: string) => (await projections()).projections.find((p) => p.name === name)!;

beforeAll(async () => {
  // The test polls the admin endpoint for progress; throttling is not what it is about.
  t = await startTestServer({ RUN_PROJECTOR: 'false', RATE_LIMIT_PER_MINUTE: '0' });
  tok = await tokens(t, 'school-1');
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

describe('Admin: read-model projections', () => {
  describe('when this process runs no projector', () => {
    it('shows the stored checkpoints and answers a rebuild with 503', async () => {
      const list = await projections();
      expect(list.inProcess).toBe(false);
      expect(list.projections.map((p) => p.name)).toEqual(ALL_PROJECTIONS.map((p) => p.name));
      const res = await t.request('POST', '/v1/admin/projections/case-summary/rebuild', { token: tok.admin });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'PROJECTOR_NOT_IN_PROCESS' });
    });
  });

  describe('with a projector in this process', () => {
    let caseId: string;

    beforeAll(async () => {
      const { readModels, eventStore } = t.server.runtime;
      await readModels.query('CREATE TABLE admin_test_log (event_id uuid PRIMARY KEY, position bigint NOT NULL)');
      runner = new ProjectionRunner(heldBack(eventStore), readModels, [...ALL_PROJECTIONS, breakable], silent, { batchSize: 100, failedPollMs: 50 });
      runner.start();
      t.server.runtime.projector = runner;
      const opened = await runFlow(t, tok, FLOWS[0], 'school-1');
      caseId = opened.id;
      const pick = seededPick(11);
      const last = await appendAll(eventStore, interleave(pick, randomHistory(pick, { cases: 40, complaints: 10, maxCommands: 10 })));
      await t.projected(last);
    });

    it('refuses everyone but admins, names unknown projections 404 and bad names 400', async () => {
      expect((await t.request('GET', '/v1/admin/projections', { token: tok.qualityControl })).status).toBe(403);
      expect((await t.request('POST', '/v1/admin/projections/case-summary/rebuild', { token: tok.head })).status).toBe(403);
      expect((await t.request('POST', '/v1/admin/projections/case-summary/rebuild')).status).toBe(401);
      const unknown = await t.request('POST', '/v1/admin/projections/no-such-model/rebuild', { token: tok.admin });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toContain('case-summary');
      expect((await t.request('POST', '/v1/admin/projections/Case%20Summary/rebuild', { token: tok.admin })).status).toBe(400);
      expect((await t.request('POST', '/v1/admin/projections/case-summary/rebuild', { token: tok.admin, body: { force: true } })).status).toBe(400);
    });

    it('rebuilds in the background: 202, progress while it runs, 409 for a second one, and the rebuilt model answers queries', async () => {
      const before = await t.request('GET', `/v1/cases/${caseId}`, { token: tok.head });
      expect(before.status).toBe(200);
      let release!: () => void;
      hold.gate = new Promise<void>((resolve) => (release = resolve));
      try {
        const started = await t.request('POST', '/v1/admin/projections/case-summary/rebuild', { token: tok.admin });
        expect(started.status).toBe(202);
        expect(started.body).toEqual({ name: 'case-summary', status: 'running' });

        const again = await t.request('POST', '/v1/admin/projections/case-summary/rebuild', { token: tok.admin });
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'REBUILD_RUNNING' });

        // Held back at its first read of the log, the rebuild shows where it is.
        const during = await until(async () => {
          const p = await projection('case-summary');
          return p.rebuild?.progress.phase === 'building' ? p : undefined;
        }, 'the rebuild to start building');
        expect(during.state).toBe('running');
        expect(during.rebuild).toMatchObject({ status: 'running', progress: { phase: 'building', position: '0', events: 0 } });
        expect(BigInt(during.rebuild!.progress.head)).toBeGreaterThan(100n);
        // Readers keep the live model meanwhile.
        expect((await t.request('GET', `/v1/cases/${caseId}`, { token: tok.head })).body).toEqual(before.body);
      } finally {
        hold.gate = null;
        release();
      }
      const done = await until(async () => {
        const p = await projection('case-summary');
        return p.rebuild?.status === 'running' ? undefined : p;
      }, 'the rebuild to finish');
      const { head } = await projections();
      expect(done).toMatchObject({ state: 'running', lag: 0, error: null, rebuild: { status: 'succeeded', error: null, progress: { phase: 'done', position: head } } });
      expect(done.rebuild!.progress.events).toBeGreaterThan(100);
      expect((await t.request('GET', `/v1/cases/${caseId}`, { token: tok.head })).body).toEqual(before.body);
      const list = await t.request('GET', '/v1/cases?limit=500', { token: tok.qualityControl });
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThan(1);
    });

    it('recovers a projection stopped by an event it could not apply, once the cause is fixed', async () => {
      fault.type = 'ComplaintFiled';
      const pick = seededPick(12);
      const last = await appendAll(t.server.runtime.eventStore, interleave(pick, randomHistory(pick, { cases: 2, complaints: 2, maxCommands: 4 })));
      await t.projected(last);
      const stopped = await projection('admin-test-log');
      expect(stopped.state).toBe('failed');
      expect(stopped.error).toMatch(/ComplaintFiled is not understood yet \(event [0-9a-f-]{36} ComplaintFiled at position \d+/);
      expect(stopped.lag).toBeGreaterThan(0);
      expect((await t.request('GET', '/health')).status).toBe(503);

      fault.type = null;
      const res = await t.request('POST', '/v1/admin/projections/admin-test-log/rebuild', { token: tok.admin });
      expect(res.status).toBe(202);
      const recovered = await until(async () => {
        const p = await projection('admin-test-log');
        return p.rebuild?.status !== 'running' && p.state === 'running' ? p : undefined;
      }, 'the projection to run again');
      expect(recovered).toMatchObject({ error: null, lag: 0, rebuild: { status: 'succeeded' } });
      // Every event of the log has its row, the one that stopped it included.
      await until(async () => {
        const [{ n }] = await t.server.runtime.readModels.query('SELECT count(*)::int AS n FROM admin_test_log');
        return n === (await t.server.runtime.eventStore.readAll({})).length ? true : undefined;
      }, 'a row for every event');
      expect((await t.request('GET', '/health')).status).toBe(200);
    });
  });
});
