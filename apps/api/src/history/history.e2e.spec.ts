import { startTestServer, type TestServer } from '../testing/test-server.js';
import { almaty, applicant, applicationBody, FLOWS, runFlow, tokens, type Flow, type Tokens } from '../testing/case-flows.js';

let t: TestServer;
let tok: Tokens;
const provider = 'pmpc-almaty-1';
const pmpcFlow = FLOWS.find((f) => f.service === 'pmpc-examination')!;
const portalFlow = FLOWS.find((f) => f.name === 'home education through the portal (later rules)')!;

beforeAll(async () => {
  t = await startTestServer();
  tok = await tokens(t, provider);
});
afterAll(async () => {
  await t?.close();
});

interface Recorded {
  id: string;
  type: string;
  position: string;
  recordedAt: string;
}

/** Runs a flow through HTTP like runFlow, keeping every recorded event (its position and recordedAt). */
async function recordFlow(flow: Flow, serial: number, live = false) {
  const body = applicationBody(flow, provider, serial) as Record<string, unknown>;
  if (live) delete body.occurredAt;
  const opened = await t.request('POST', '/v1/cases', { token: tok[flow.submittedBy], body });
  if (opened.status !== 201) throw new Error(`opening answered ${opened.status} ${opened.text}`);
  const events: Recorded[] = [...opened.body.events];
  for (const [role, step] of flow.steps) {
    const { occurredAt: _stated, ...rest } = step;
    const res = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok[role], body: live ? rest : step });
    if (res.status !== 201) throw new Error(`${String(step.type)} answered ${res.status} ${res.text}`);
    events.push(...res.body.events);
  }
  return { id: opened.body.id as string, events };
}

const history = (kind: 'cases' | 'complaints', id: string, query: Record<string, string> = {}, token = tok.investigator) => {
  const qs = new URLSearchParams(query).toString();
  return t.request('GET', `/v1/${kind}/${id}/history${qs ? `?${qs}` : ''}`, { token });
};
const step = (body: { steps: Array<{ stepId: string }> }, stepId: string) => body.steps.find((s) => s.stepId === stepId) as any;
const withoutCut = (body: Record<string, unknown>) => ({ ...body, cut: null });

describe('Case history (time travel)', () => {
  describe('a PMPC case of 2019 recorded in one sitting now, from its paper file', () => {
    let c: { id: string; events: Recorded[] };
    let appointed: Recorded;
    beforeAll(async () => {
      c = await recordFlow(pmpcFlow, 1);
      appointed = c.events.find((e) => e.type === 'ExecutorAppointed')!;
    });

    describe('at the instant the appointment of the executor was recorded', () => {
      it('shows the events recorded by then in order, and the case with the executor', async () => {
        const res = await history('cases', c.id, { at: appointed.recordedAt });
        expect(res.status).toBe(200);
        expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['ApplicationSubmitted', 'DocumentsAccepted', 'SentToHead', 'InitialExaminationHeld', 'ExecutorAppointed']);
        expect(res.body.events[4]).toMatchObject({ eventId: appointed.id, position: appointed.position, streamVersion: 5, actor: { role: 'head', providerId: provider }, stepId: 'pmpc-2', occurredAt: '2019-06-03T04:05:00.000Z', recordedAt: appointed.recordedAt });
        expect(res.body).toMatchObject({ caseId: c.id, basis: 'recorded', cut: { at: appointed.recordedAt }, asOf: appointed.recordedAt, state: { status: 'open', stage: 'with-executor', executorId: 'executor-1' } });
      });

      it('judges step 3 open and, as known then, already overdue: its 29 days ran out in July 2019', async () => {
        const res = await history('cases', c.id, { at: appointed.recordedAt });
        expect(step(res.body, 'pmpc-3')).toMatchObject({ status: 'open', norm: { amount: 29, unit: 'calendar-days', regulationId: 'almaty-region-604-2018', source: expect.any(Object) }, verdict: { status: 'overdue', dueAt: '2019-07-03T00:00:00+06:00' } });
        expect(step(res.body, 'pmpc-4')).toMatchObject({ status: 'not-started', verdict: null });
      });

      it('lists the actions that happened before but were recorded afterwards', async () => {
        const res = await history('cases', c.id, { at: appointed.recordedAt });
        expect(res.body.recordedLater.map((e: { type: string }) => e.type)).toEqual(['ExaminationHeld', 'ResultDrawnUp', 'ResultSigned', 'ResultSentToExecutor', 'ResultIssued']);
      });

      it('gives the same answer by the global position of that event', async () => {
        const byInstant = await history('cases', c.id, { at: appointed.recordedAt });
        const byPosition = await history('cases', c.id, { position: appointed.position });
        expect(byPosition.status).toBe(200);
        expect(byPosition.body.cut).toEqual({ position: appointed.position });
        expect(withoutCut(byPosition.body)).toEqual(withoutCut(byInstant.body));
      });
    });

    describe('at the end', () => {
      it('shows the case issued, every step completed with the verdict the case view gives', async () => {
        const last = c.events.at(-1)!;
        const res = await history('cases', c.id, { at: last.recordedAt });
        expect(res.body.state).toMatchObject({ status: 'issued', stage: 'issued' });
        expect(res.body.recordedLater).toEqual([]);
        expect(step(res.body, 'pmpc-3')).toMatchObject({ status: 'completed', verdict: { status: 'on-time' } });
        await t.projected(last.position);
        const current = await t.request('GET', `/v1/cases/${c.id}`, { token: tok.investigator });
        // The case view's verdict is a status, or an object carrying one.
        const verdicts = (steps: Array<{ stepId: string; status: string; verdict: string | { status: string } | null }>) =>
          steps.map((s) => [s.stepId, s.status, typeof s.verdict === 'string' ? s.verdict : s.verdict?.status]);
        expect(verdicts(res.body.steps)).toEqual(verdicts(current.body.steps));
        expect(res.body.steps.every((s: { status: string }) => s.status === 'completed')).toBe(true);
      });

      it('flags every event as recorded late: each was recorded years after it happened', async () => {
        const res = await history('cases', c.id);
        expect(res.body.cut).toBeNull();
        expect(res.body.events).toHaveLength(c.events.length);
        expect(res.body.events.every((e: { recordedLate: boolean }) => e.recordedLate)).toBe(true);
        expect(res.body.lateRecordingThreshold).toEqual({ amount: 1, unit: 'working-days' });
      });

      it('never lets personal data out: the application\'s persons read "sealed"', async () => {
        const res = await history('cases', c.id);
        expect(res.body.events[0].data).toMatchObject({ applicant: 'sealed', child: 'sealed', providerId: provider });
        expect(res.text).not.toContain(applicant(1).fullName);
        expect(res.text).not.toMatch(/"sealed":"v\d/);
      });
    });
  });

  describe('a home-education request through the portal recorded as it happens', () => {
    let id: string;
    const events: Recorded[] = [];
    const act = async (token: string, body: Record<string, unknown>) => {
      const res = await t.request('POST', `/v1/cases/${id}/actions`, { token, body });
      expect(res.status).toBe(201);
      events.push(res.body.events[0]);
      return res.body.events[0] as Recorded;
    };
    let submitted: Recorded;
    let notified: Recorded;
    let classSet: Recorded;
    beforeAll(async () => {
      const body = applicationBody(portalFlow, provider, 2) as Record<string, unknown>;
      delete body.occurredAt;
      const opened = await t.request('POST', '/v1/cases', { token: tok.applicant, body });
      expect(opened.status).toBe(201);
      id = opened.body.id;
      submitted = opened.body.events[0];
      notified = await act(tok.clerk, { type: 'SendAcceptanceNotification' });
      // Stated as having happened at the very instant the notification was recorded, but recorded after it.
      classSet = await act(tok.head, { type: 'SetClassAndLanguage', grade: 2, language: 'ru', occurredAt: notified.recordedAt });
      await act(tok.executor, { type: 'DrawUpResult' });
      await act(tok.head, { type: 'SignResult' });
      await act(tok.executor, { type: 'IssueResult' });
    });

    it('right after the application: the acceptance step is open and not overdue, nothing else started', async () => {
      const res = await history('cases', id, { at: submitted.recordedAt });
      expect(res.body.state).toMatchObject({ status: 'open', stage: 'submitted', channel: 'portal' });
      expect(step(res.body, 'home-b-portal-1')).toMatchObject({ status: 'open', norm: { amount: 2, unit: 'working-days' }, verdict: { status: 'open', remaining: { unit: 'working-days' } } });
      expect(res.body.steps.filter((s: { status: string }) => s.status === 'not-started').map((s: { stepId: string }) => s.stepId)).toEqual(['home-b-portal-2', 'home-b-3']);
    });

    it('at the notification: the late-recorded class setting is not in the state, but is listed as recorded later', async () => {
      const res = await history('cases', id, { at: notified.recordedAt });
      expect(res.body.events.map((e: { eventId: string }) => e.eventId)).toEqual([submitted.id, notified.id]);
      expect(step(res.body, 'home-b-portal-1')).toMatchObject({ status: 'completed', verdict: { status: 'on-time' } });
      expect(step(res.body, 'home-b-portal-2')).toMatchObject({ status: 'open', verdict: { status: 'not-judged' } });
      expect(res.body.recordedLater).toEqual([expect.objectContaining({ eventId: classSet.id, type: 'ClassAndLanguageSet', position: classSet.position, stepId: 'home-b-portal-2' })]);
      const byPosition = await history('cases', id, { position: notified.position });
      expect(withoutCut(byPosition.body)).toEqual(withoutCut(res.body));
    });

    it('once it was recorded: in its place among the events, not flagged (recorded within the working day)', async () => {
      const res = await history('cases', id, { at: classSet.recordedAt });
      expect(res.body.events.map((e: { eventId: string }) => e.eventId)).toEqual([submitted.id, notified.id, classSet.id]);
      expect(res.body.events[2]).toMatchObject({ recordedLate: false, data: { grade: 2, language: 'ru' } });
      expect(res.body.state).toMatchObject({ stage: 'with-executor' });
      expect(res.body.recordedLater).toEqual([]);
    });

    it('at the end: issued, every step completed', async () => {
      const res = await history('cases', id);
      expect(res.body.state).toMatchObject({ status: 'issued', stage: 'issued' });
      expect(res.body.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'completed', 'completed']);
      expect(res.body.events).toHaveLength(events.length + 1);
    });

    it('before the application was recorded: no case on record yet', async () => {
      const before = new Date(Date.parse(submitted.recordedAt) - 1000).toISOString();
      const res = await history('cases', id, { at: before });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ events: [], state: null, steps: [], recordedLater: [] });
    });
  });

  describe('corrections', () => {
    it('name the event they correct, and change the verdict from the instant they were recorded', async () => {
      const opened = await t.request('POST', '/v1/cases', { token: tok.clerk, body: applicationBody(pmpcFlow, provider, 3) });
      const accepted = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok.clerk, body: { type: 'AcceptDocuments', journalNumber: 'P-77', occurredAt: almaty('2019-06-03', '09:05') } });
      // Sent to the head 40 minutes after the application (the norm is 15 minutes), then corrected to 09:10.
      const sent = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, { token: tok.clerk, body: { type: 'SendToHead', occurredAt: almaty('2019-06-03', '09:40') } });
      const corrected = await t.request('POST', `/v1/cases/${opened.body.id}/actions`, {
        token: tok.clerk,
        body: { type: 'CorrectAction', correctedEventId: sent.body.events[0].id, reason: 'Typed 09:40 instead of 09:10', corrected: { occurredAt: almaty('2019-06-03', '09:10') } },
      });
      expect([accepted.status, sent.status, corrected.status]).toEqual([201, 201, 201]);
      const before = await history('cases', opened.body.id, { position: sent.body.position });
      expect(step(before.body, 'pmpc-1').verdict).toMatchObject({ status: 'late', excess: { amount: 25, unit: 'minutes' } });
      const after = await history('cases', opened.body.id, { position: corrected.body.position });
      expect(step(after.body, 'pmpc-1').verdict.status).toBe('on-time');
      expect(after.body.events.at(-1)).toMatchObject({ type: 'ActionCorrected', corrects: { eventId: sent.body.events[0].id, type: 'SentToHead' }, data: { reason: 'Typed 09:40 instead of 09:10' } });
    });
  });
});

describe('Complaint history (time travel)', () => {
  const file = (serial: number, occurredAt?: string) =>
    t.request('POST', '/v1/complaints', {
      token: tok.clerk,
      body: { providerId: provider, subject: 'inaction', addressee: 'provider', complainant: applicant(serial), text: 'Заключение ПМПК не выдано в срок.', ...(occurredAt ? { occurredAt } : {}) },
    });
  const act = (id: string, body: Record<string, unknown>, token: string) => t.request('POST', `/v1/complaints/${id}/actions`, { token, body });

  it('shows the review term running at registration and answered on time at the end', async () => {
    const filed = await file(40);
    const registered = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'Ж-40' }, tok.clerk);
    const answered = await act(filed.body.id, { type: 'AnswerComplaint', outcome: 'satisfied', answer: 'Заключение выдано.' }, tok.head);
    expect([filed.status, registered.status, answered.status]).toEqual([201, 201, 201]);
    const then = await history('complaints', filed.body.id, { at: registered.body.events[0].recordedAt });
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ complaintId: filed.body.id, state: { status: 'registered', answer: null }, reviewTerm: { registrationNumber: 'Ж-40', term: { amount: 5, unit: 'working-days', source: expect.any(Object) }, verdict: { status: 'open' } } });
    const end = await history('complaints', filed.body.id);
    expect(end.body).toMatchObject({ state: { status: 'answered', answer: { outcome: 'satisfied', text: 'sealed' } }, reviewTerm: { verdict: { status: 'on-time' } } });
    expect(end.text).not.toContain('Заключение');
    const byPosition = await history('complaints', filed.body.id, { position: registered.body.position });
    expect(withoutCut(byPosition.body)).toEqual(withoutCut(then.body));
  });

  it('shows a back-filled complaint overdue until its answer, dated within the term, was recorded', async () => {
    const filed = await file(41, almaty('2022-03-01', '10:00'));
    const registered = await act(filed.body.id, { type: 'RegisterComplaint', registrationNumber: 'Ж-41', occurredAt: almaty('2022-03-01', '11:00') }, tok.clerk);
    const answered = await act(filed.body.id, { type: 'AnswerComplaint', outcome: 'rejected', answer: 'Оснований нет.', occurredAt: almaty('2022-03-03', '15:00') }, tok.head);
    const then = await history('complaints', filed.body.id, { position: registered.body.position });
    expect(then.body.reviewTerm.verdict).toMatchObject({ status: 'overdue', dueAt: '2022-03-10T00:00:00+06:00' });
    expect(then.body.recordedLater).toEqual([expect.objectContaining({ eventId: answered.body.events[0].id, type: 'ComplaintAnswered' })]);
    const end = await history('complaints', filed.body.id, { position: answered.body.position });
    expect(end.body.reviewTerm.verdict.status).toBe('on-time');
    expect(end.body.events.every((e: { recordedLate: boolean }) => e.recordedLate)).toBe(true);
  });
});

describe('Who may replay a history', () => {
  let caseId: string;
  let complaintId: string;
  beforeAll(async () => {
    caseId = (await runFlow(t, tok, pmpcFlow, provider, 50)).id;
    complaintId = (await t.request('POST', '/v1/complaints', { token: tok.clerk, body: { providerId: provider, subject: 'action', addressee: 'provider', complainant: applicant(50), text: 'Жалоба на действия специалиста.' } })).body.id;
  });

  it.each(['investigator', 'qualityControl', 'admin', 'director', 'clerk', 'head', 'executor'] as const)('lets a %s (all, or of the provider) read both', async (role) => {
    expect((await history('cases', caseId, {}, tok[role])).status).toBe(200);
    expect((await history('complaints', complaintId, {}, tok[role])).status).toBe(200);
  });

  it.each(['director', 'clerk', 'executor'] as const)("refuses a %s of another provider the provider's histories", async (role) => {
    const other = await t.token(role, 'another-school');
    for (const kind of ['cases', 'complaints'] as const) {
      const res = await history(kind, kind === 'cases' ? caseId : complaintId, {}, other);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('PROVIDER_MISMATCH');
    }
  });

  it.each(['applicant', 'system'] as const)('refuses the %s role', async (role) => {
    const res = await history('cases', caseId, {}, tok[role]);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ROLE_NOT_ALLOWED');
  });

  it('answers 401 without a token', async () => {
    expect((await t.request('GET', `/v1/cases/${caseId}/history`)).status).toBe(401);
  });
});

describe('Bad history requests', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = (await runFlow(t, tok, pmpcFlow, provider, 60)).id;
  });

  it.each([
    ['at without an offset', 'at=2019-06-10T12:00:00', 'query.at'],
    ['at as a bare date', 'at=2019-06-10', 'query.at'],
    ['at with an unencoded + (read as a space)', 'at=2019-06-10T12:00:00+06:00', 'query.at'],
    ['at given twice', 'at=2019-06-10T12:00:00Z&at=2019-06-11T12:00:00Z', 'query.at'],
    ['a zero position', 'position=0', 'query.position'],
    ['a negative position', 'position=-3', 'query.position'],
    ['a position that is not a number', 'position=abc', 'query.position'],
    ['both at and position', 'at=2019-06-10T12:00:00Z&position=3', 'query.position'],
    ['an unknown parameter', 'asOf=2019-06-10T12:00:00Z', 'query.asOf'],
  ])('refuses %s with a 400 naming the field', async (_name, qs, field) => {
    const res = await t.request('GET', `/v1/cases/${caseId}/history?${qs}`, { token: tok.investigator });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses an instant in the future', async () => {
    const res = await history('cases', caseId, { at: new Date(Date.now() + 86_400_000).toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'query.at', message: 'must not be in the future' });
  });

  it('refuses a position at which the log holds no event', async () => {
    const res = await history('cases', caseId, { position: '900000000000' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query.position');
  });

  it('answers 404 for an unknown case or complaint, and 400 for an id that is not a UUID', async () => {
    expect((await history('cases', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await history('complaints', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const res = await history('cases', 'not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('params.id');
  });

  it('is described in the OpenAPI document with its query parameters', async () => {
    const doc = await t.request('GET', '/docs/json');
    for (const path of ['/v1/cases/{id}/history', '/v1/complaints/{id}/history']) {
      expect(doc.body.paths[path].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'at', 'position']);
    }
  });
});
