import { createThrowawayPostgres, throwawayPostgresAvailability, type ThrowawayPostgres } from './testing/throwaway-postgres.js';
import type { TestResponse, TestServer } from '../testing/test-server.js';
import {
  duplicateIds,
  openRehabilitationCases,
  PROVIDER,
  readModelDisagreements,
  sessionBody,
  settledStore,
  sleep,
  startTestServerOn,
  streamGaps,
  until,
  type OpenedCase,
} from './testing/load.js';

/**
 * The API in server mode on a PostgreSQL cluster of the test's own, which goes away three times while
 * clients keep sending commands (each with an Idempotency-Key) and reading: stopped (`pg_ctl stop -m fast`),
 * killed (`-m immediate`, crash recovery on start) and frozen (SIGSTOP: connections are accepted and nothing
 * answers, as with a stalled disk or a network dropping packets). Meanwhile: 503 problem+json with
 * Retry-After, never a hang or a 500. Afterwards, with no one restarting anything in the API: commands
 * succeed again, every command answered 201 is in the store exactly once, a command answered 503 and
 * retried with its Idempotency-Key is recorded exactly once, and the projection catches up with the store.
 * DATABASE_QUERY_TIMEOUT_SECONDS is 2 here so that the frozen database's timeouts come quickly.
 */
const availability = throwawayPostgresAvailability();
/** A guard against a hang, not a performance target. */
const TIMEOUT_MS = 300_000;
const WRITERS = 4;
const CASES = 20;

type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'up again';

interface Exchange {
  kind: 'command' | 'read';
  path: string;
  key?: string;
  body?: unknown;
  sentIn: Phase;
  answeredIn: Phase;
  status: number;
  code?: string;
  contentType: string | null;
  retryAfter: string | null;
  eventIds: string[];
}

type Mode = 'fast' | 'immediate' | 'frozen';

const OUTAGES: Record<Mode, string> = {
  fast: 'stopped (pg_ctl stop -m fast: sessions terminated)',
  immediate: 'killed (pg_ctl stop -m immediate: crash recovery on start)',
  frozen: 'frozen (SIGSTOP: connections accepted, nothing answered)',
};

if (!availability.available) {
  describe('API on a PostgreSQL that goes down under load', () => {
    it(`was not run here: ${availability.reason}`, () => {
      console.warn(`[reliability] the database outage test did not run: ${availability.reason}`);
    });
  });
} else {
  let cluster: ThrowawayPostgres;
  let t: TestServer;
  let cases: OpenedCase[];
  let executor: string;
  let reader: string;

  beforeAll(async () => {
    cluster = await createThrowawayPostgres();
    t = await startTestServerOn({ kind: 'postgres', connectionString: cluster.url, drop: () => cluster.destroy() }, { RATE_LIMIT_PER_MINUTE: '0', DATABASE_QUERY_TIMEOUT_SECONDS: '2' });
    cases = await openRehabilitationCases(t, CASES, 4);
    executor = await t.token('executor', PROVIDER, 'executor-1');
    reader = await t.token('quality-control');
  }, TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
    await cluster?.destroy();
  }, TIMEOUT_MS);

  let sequence = 0;
  const everything: Exchange[] = [];

  async function outageUnderLoad(mode: Mode) {
    let phase: Phase = 'up';
    let stop = false;
    const exchanges: Exchange[] = [];
    const record = (kind: Exchange['kind'], path: string, sentIn: Phase, res: TestResponse, extra: Partial<Exchange> = {}) => {
      const e: Exchange = {
        kind,
        path,
        sentIn,
        answeredIn: phase,
        status: res.status,
        code: typeof res.body?.code === 'string' ? res.body.code : undefined,
        contentType: res.headers.get('content-type'),
        retryAfter: res.headers.get('retry-after'),
        eventIds: res.status === 201 ? res.body.events.map((x: { id: string }) => x.id) : [],
        ...extra,
      };
      exchanges.push(e);
      return e;
    };

    const writer = async (w: number) => {
      while (!stop) {
        const n = 100_000 + sequence++;
        const caseId = cases[n % cases.length].id;
        const key = `outage-${mode}-${w}-${n}`;
        const body = sessionBody(n);
        const sentIn = phase;
        const path = `/v1/cases/${caseId}/actions`;
        const res = await t.request('POST', path, { token: executor, body, headers: { 'idempotency-key': key } });
        // Pacing while refused, so the log stays small; it is not a wait for anything.
        if (record('command', path, sentIn, res, { key, body }).status !== 201) await sleep(20);
      }
    };
    const readerLoop = async () => {
      for (let i = 0; !stop; i++) {
        const path = i % 2 ? `/v1/cases/${cases[i % cases.length].id}` : '/v1/cases?limit=5';
        const sentIn = phase;
        const res = await t.request('GET', path, { token: reader });
        if (record('read', path, sentIn, res).status !== 200) await sleep(20);
      }
    };
    const successes = (after: Phase) => exchanges.filter((e) => e.kind === 'command' && e.sentIn === after && e.status === 201).length;
    const refusedWhileDown = () => exchanges.filter((e) => e.sentIn === 'down' && e.answeredIn === 'down');

    const back = async () => {
      phase = 'starting';
      if (mode === 'frozen') await cluster.thaw();
      else await cluster.start();
      phase = 'up again';
    };
    // Each answer while frozen waits for a timeout (DATABASE_QUERY_TIMEOUT_SECONDS, or the 5 s connect timeout).
    const enough = mode === 'frozen' ? { commands: 8, reads: 3 } : { commands: 20, reads: 6 };
    const load = [...Array.from({ length: WRITERS }, (_, w) => writer(w)), readerLoop()];
    try {
      await until('commands to succeed before the outage', () => successes('up') >= 20);
      phase = 'stopping';
      if (mode === 'frozen') await cluster.freeze();
      else await cluster.stop(mode);
      phase = 'down';
      await until('commands and reads to be answered while the database is down', () => {
        const down = refusedWhileDown();
        return down.filter((e) => e.kind === 'command').length >= enough.commands && down.filter((e) => e.kind === 'read').length >= enough.reads;
      });
      await back();
      await until('commands to succeed again by themselves', () => successes('up again') >= 20);
    } finally {
      // Whatever failed, the database comes back so that hanging requests end and the next test has one.
      if (phase === 'stopping' || phase === 'down') await back();
      stop = true;
      await Promise.all(load);
    }
    everything.push(...exchanges);
    return exchanges;
  }

  describe.each(Object.keys(OUTAGES) as Mode[])('API on a PostgreSQL that goes down under load (%s) and comes back', (mode) => {
    let exchanges: Exchange[];

    beforeAll(async () => {
      exchanges = await outageUnderLoad(mode);
      const count = (f: (e: Exchange) => boolean) => exchanges.filter(f).length;
      console.log(
        `[reliability] PostgreSQL ${OUTAGES[mode]}: ${count((e) => e.kind === 'command' && e.status === 201)} commands answered 201, ` +
          `${count((e) => e.status === 503)} requests 503, ${count((e) => e.kind === 'read' && e.status === 200)} reads 200`,
      );
    }, TIMEOUT_MS);

    it('answers every request while the database is down with 503 problem+json, STORAGE_UNAVAILABLE and Retry-After', () => {
      const down = exchanges.filter((e) => e.sentIn === 'down' && e.answeredIn === 'down');
      expect(down.length).toBeGreaterThan(0);
      const wrong = down.filter((e) => e.status !== 503 || e.code !== 'STORAGE_UNAVAILABLE' || !e.contentType?.startsWith('application/problem+json') || !/^\d+$/.test(e.retryAfter ?? ''));
      expect(wrong.map((e) => `${e.kind} ${e.path}: ${e.status} ${e.code ?? ''} retry-after=${e.retryAfter}`)).toEqual([]);
    });

    it('answers nothing but success or 503 around the outage: no 500, no hang', () => {
      const other = exchanges.filter((e) => !(e.status === 503 && e.code === 'STORAGE_UNAVAILABLE' && e.retryAfter) && !(e.kind === 'command' ? e.status === 201 : e.status === 200));
      expect(other.map((e) => `${e.kind} ${e.path} sent ${e.sentIn}, answered ${e.answeredIn}: ${e.status} ${e.code ?? ''}`)).toEqual([]);
    });

    it('serves commands and reads again by itself once the database is back', () => {
      const after = exchanges.filter((e) => e.sentIn === 'up again');
      expect(after.filter((e) => e.kind === 'command' && e.status === 201).length).toBeGreaterThan(0);
      expect(after.some((e) => e.kind === 'read' && e.status === 200)).toBe(true);
    });

    it('records a command answered 503 exactly once when the client retries it with its Idempotency-Key', async () => {
      const refused = exchanges.filter((e) => e.kind === 'command' && e.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      const retried = await Promise.all(refused.map((e) => t.request('POST', e.path, { token: executor, body: e.body, headers: { 'idempotency-key': e.key! } })));
      expect(retried.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text}`)).toEqual([]);
      retried.forEach((r, i) =>
        exchanges.push({ ...refused[i], sentIn: 'up again', answeredIn: 'up again', status: 201, code: undefined, retryAfter: null, eventIds: r.body.events.map((x: { id: string }) => x.id) }),
      );
      everything.push(...exchanges.slice(-retried.length));
    });
  });

  describe('After the outages', () => {
    it('holds every event of every command answered 201 exactly once, and nothing else, in contiguous streams', async () => {
      const stored = await settledStore(t.server.runtime.eventStore, cases.map((c) => `case-${c.id}`));
      expect(duplicateIds(stored)).toEqual([]);
      expect(streamGaps(stored)).toEqual([]);
      const accepted = new Set([...cases.flatMap((c) => c.eventIds), ...everything.flatMap((e) => e.eventIds)]);
      const storedIds = new Set(stored.map((e) => e.id));
      expect([...accepted].filter((id) => !storedIds.has(id))).toEqual([]);
      expect(stored.filter((e) => !accepted.has(e.id)).map((e) => `${e.type} ${e.id}`)).toEqual([]);
    }, TIMEOUT_MS);

    it('catches the projection up with the store: the read model agrees', async () => {
      expect(await readModelDisagreements(t, cases.map((c) => c.id))).toEqual([]);
    }, TIMEOUT_MS);

    it('reports itself healthy again', async () => {
      await until('the health check to pass', async () => (await t.request('GET', '/health')).status === 200);
      const health = await t.request('GET', '/health');
      expect(health.body).toMatchObject({ status: 'ok', checks: { eventStore: { ok: true }, readModels: { ok: true }, projector: { ok: true } } });
    });
  });
}
