import type { RecordedEvent } from '@sped/event-store';
import { startTestServer, type TestResponse, type TestServer } from '../testing/test-server.js';
import {
  duplicateIds,
  openRehabilitationCases,
  PROVIDER,
  random,
  readModelDisagreements,
  settledStore,
  sessionBeforeAppointment,
  sessionBody,
  streamGaps,
  type OpenedCase,
} from './testing/load.js';

/**
 * Eight clients at once, each sending its share of commands to 100 rehabilitation cases (resolution No. 604,
 * 2019) whose executor is appointed, so a session (HoldSession) is valid at any time. The mix: plain
 * commands (retried by the server on a version race, 409 when it keeps losing), commands pinned to the
 * version the client last saw (If-Match, 412 when stale), commands with an Idempotency-Key retried after
 * the answer or sent twice at once, and a few deliberately invalid ones (a session dated before the
 * appointment, 422), counted apart.
 */
const CLIENTS = 8;
/** Embedded PGlite serves every connection through one session: there a quarter of the load keeps the suite near a minute. */
const ON_PGLITE = process.env.TEST_DB_KIND === 'pglite';
const COMMANDS_PER_CLIENT = Number(process.env.RELIABILITY_COMMANDS_PER_CLIENT ?? (ON_PGLITE ? 250 : 1000));
const CASES = 100;
/** A guard against a hang, not a performance target: the load takes about a minute on two idle cores. */
const LOAD_TIMEOUT_MS = 600_000;

type Kind = 'plain' | 'if-match' | 'idempotent-retry' | 'idempotent-twin' | 'invalid';

interface Answer {
  status: number;
  code?: string;
  contentType: string | null;
  events: Array<Pick<RecordedEvent, 'id' | 'streamId' | 'streamVersion' | 'position'>>;
  replayed: boolean;
}

interface Sent {
  client: number;
  seq: number;
  caseId: string;
  kind: Kind;
  answers: Answer[];
}

const ALLOWED: Record<Kind, number[]> = {
  plain: [201, 409],
  'if-match': [201, 412],
  'idempotent-retry': [201, 409],
  'idempotent-twin': [201, 409],
  invalid: [422],
};

function answer(res: TestResponse): Answer {
  const events = res.status === 201 && Array.isArray(res.body?.events) ? res.body.events : [];
  return {
    status: res.status,
    code: typeof res.body?.code === 'string' ? res.body.code : undefined,
    contentType: res.headers.get('content-type'),
    events: events.map((e: RecordedEvent) => ({ id: e.id, streamId: e.streamId, streamVersion: e.streamVersion, position: e.position })),
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}

let t: TestServer;
let cases: OpenedCase[];
let sent: Sent[];
let stored: RecordedEvent[];

beforeAll(async () => {
  if (ON_PGLITE && !process.env.RELIABILITY_COMMANDS_PER_CLIENT) {
    console.log(`[reliability] on embedded PGlite each client sends ${COMMANDS_PER_CLIENT} commands, not 1000 (one database session serialises everything); RELIABILITY_COMMANDS_PER_CLIENT=1000 for the full load`);
  }
  // The point here is concurrency, not throttling (tested in bad-input.e2e.spec.ts).
  t = await startTestServer({ RATE_LIMIT_PER_MINUTE: '0' });
  cases = await openRehabilitationCases(t, CASES);
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => t.token('executor', PROVIDER, `executor-${c + 1}`)));

  const perClient = await Promise.all(
    tokens.map(async (token, client) => {
      const next = random(4242 + client);
      const seen = new Map(cases.map((c) => [c.id, c.version]));
      const log: Sent[] = [];
      const post = async (caseId: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await t.request('POST', `/v1/cases/${caseId}/actions`, { token, body, headers });
        if (res.status === 201) seen.set(caseId, Math.max(seen.get(caseId) ?? 0, res.body.streamVersion));
        if (res.status === 412 && typeof res.body?.currentVersion === 'number') seen.set(caseId, res.body.currentVersion);
        return answer(res);
      };
      for (let seq = 0; seq < COMMANDS_PER_CLIENT; seq++) {
        const n = client * COMMANDS_PER_CLIENT + seq;
        const caseId = cases[Math.floor(next() * cases.length)].id;
        const r = next();
        const kind: Kind = r < 0.05 ? 'idempotent-twin' : r < 0.15 ? 'idempotent-retry' : r < 0.35 ? 'if-match' : r < 0.38 ? 'invalid' : 'plain';
        const key = { 'idempotency-key': `client-${client}-command-${seq}` };
        let answers: Answer[];
        switch (kind) {
          case 'plain':
            answers = [await post(caseId, sessionBody(n))];
            break;
          case 'if-match':
            answers = [await post(caseId, sessionBody(n), { 'if-match': `"${seen.get(caseId)}"` })];
            break;
          case 'idempotent-retry':
            answers = [await post(caseId, sessionBody(n), key)];
            answers.push(await post(caseId, sessionBody(n), key));
            break;
          case 'idempotent-twin':
            answers = await Promise.all([post(caseId, sessionBody(n), key), post(caseId, sessionBody(n), key)]);
            break;
          case 'invalid':
            answers = [await post(caseId, sessionBeforeAppointment(n))];
            break;
        }
        log.push({ client, seq, caseId, kind, answers });
      }
      return log;
    }),
  );
  sent = perClient.flat();
  stored = await settledStore(t.server.runtime.eventStore, cases.map((c) => `case-${c.id}`));
  const count = (status: number) => sent.reduce((sum, s) => sum + s.answers.filter((a) => a.status === status).length, 0);
  console.log(
    `[reliability] ${CLIENTS} clients x ${COMMANDS_PER_CLIENT} commands over ${CASES} cases on ${t.db.kind}: ` +
      `${count(201)} answered 201, ${count(409)} 409, ${count(412)} 412, ${count(422)} 422 (deliberately invalid); ${stored.length} events stored`,
  );
}, LOAD_TIMEOUT_MS);

afterAll(async () => {
  await t?.close();
});

const accepted = () => sent.flatMap((s) => s.answers.filter((a) => a.status === 201));

describe(`${CLIENTS} clients sending ${COMMANDS_PER_CLIENT} commands each to ${CASES} cases at once`, () => {
  it('answers each command 201, or 409/412 when it lost a race, and only the deliberately invalid ones 422', () => {
    const unexpected = sent.flatMap((s) => s.answers.filter((a) => !ALLOWED[s.kind].includes(a.status)).map((a) => `${s.kind} #${s.client}/${s.seq}: ${a.status} ${a.code ?? ''}`));
    expect(unexpected).toEqual([]);
    const refusals = sent.flatMap((s) => s.answers).filter((a) => a.status !== 201);
    const badProblems = refusals.filter((a) => !a.contentType?.startsWith('application/problem+json') || !a.code);
    expect(badProblems).toEqual([]);
    const codes = new Set(refusals.map((a) => `${a.status} ${a.code}`));
    expect([...codes].filter((c) => !['409 CONCURRENCY_CONFLICT', '412 PRECONDITION_FAILED', '422 OCCURRED_BEFORE_PREVIOUS_STEP'].includes(c))).toEqual([]);
    // The load did race: clients pinned to a version they saw found it moved on.
    expect(refusals.some((a) => a.status === 412)).toBe(true);
    expect(sent.filter((s) => s.kind === 'invalid').length).toBeGreaterThan(0);
  });

  it('stores the events of every accepted command exactly once, where and as the answer said', () => {
    const byId = new Map(stored.map((e) => [e.id, e]));
    expect(duplicateIds(stored)).toEqual([]);
    const wrong: string[] = [];
    for (const s of sent) {
      for (const a of s.answers.filter((x) => x.status === 201)) {
        expect(a.events.length).toBeGreaterThan(0);
        for (const e of a.events) {
          const found = byId.get(e.id);
          if (!found) wrong.push(`${e.id}: missing`);
          else if (found.streamId !== `case-${s.caseId}` || found.streamVersion !== e.streamVersion || found.position !== e.position) wrong.push(`${e.id}: stored elsewhere`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('records nothing for a refused command: the store holds the setup and the accepted events, no more', () => {
    const expected = new Set([...cases.flatMap((c) => c.eventIds), ...accepted().flatMap((a) => a.events.map((e) => e.id))]);
    expect(stored.length).toBe(expected.size);
    expect(stored.filter((e) => !expected.has(e.id)).map((e) => `${e.type} ${e.id}`)).toEqual([]);
  });

  it('answers a retried or doubled Idempotency-Key with the first result, and records the command once', () => {
    const pairs = sent.filter((s) => s.kind === 'idempotent-retry' || s.kind === 'idempotent-twin');
    expect(pairs.length).toBeGreaterThan(0);
    const mismatched = pairs.filter((s) => {
      const [a, b] = s.answers;
      return a.status === 201 && b.status === 201 && a.events.map((e) => e.id).join() !== b.events.map((e) => e.id).join();
    });
    expect(mismatched.map((s) => `${s.kind} #${s.client}/${s.seq}`)).toEqual([]);
    // A retry after the answer says it repeats it (twins may both have raced to the append, which stored one).
    const retries = pairs.filter((s) => s.kind === 'idempotent-retry' && s.answers[0].status === 201);
    expect(retries.filter((s) => !s.answers[1].replayed).map((s) => `#${s.client}/${s.seq}`)).toEqual([]);
  });

  it("keeps every stream's versions contiguous and the positions increasing", () => {
    expect(streamGaps(stored)).toEqual([]);
  });

  it('serves the same cases from the read model as the store holds, once projected', async () => {
    expect(await readModelDisagreements(t, cases.map((c) => c.id))).toEqual([]);
  }, LOAD_TIMEOUT_MS);
});
