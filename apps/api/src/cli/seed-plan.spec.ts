import {
  almatyDate,
  caseSteps,
  checkIin,
  decideCase,
  decideComplaint,
  DomainError,
  evolveCase,
  evolveComplaint,
  initialCaseState,
  initialComplaintState,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type ComplaintCommand,
  type ComplaintEvent,
  type ComplaintState,
} from '@sped/domain';
import { demoProviderDirectory } from '@sped/platform';
import { complaintTermsFor, dueAt, effectiveStart, judgeNorm, listComplaintTerms, regulationById, regulationFor, type ServiceCode } from '@sped/regulations';
import { caseActionBody, submitApplicationBody } from '../cases/case-actions.schemas.js';
import { complaintActionBody, fileComplaintBody } from '../complaints/complaint-actions.schemas.js';
import { HISTORY_END, planSeed, type PlannedChain, type SeedPlan } from './seed-plan.js';

const NOW = new Date('2026-11-22T06:30:00Z'); // a Sunday, 11:30 in Almaty
const plan300 = planSeed({ seed: 'demo', cases: 300, now: NOW });
const requestsOf = (plan: SeedPlan) => plan.chains.flatMap((c) => c.requests);
const bodiesOf = (plan: SeedPlan, label: string) => requestsOf(plan).filter((r) => r.label === label).map((r) => r.body);

/** Routes and the roles their guards let through (cases.controller.ts, complaints.controller.ts). */
const ROUTE_ROLES: Array<[RegExp, string[]]> = [
  [/^\/v1\/cases$/, ['clerk', 'head', 'executor', 'applicant', 'system']],
  [/^\/v1\/cases\/\{case\}\/actions$/, ['clerk', 'head', 'executor', 'admin', 'applicant', 'system']],
  [/^\/v1\/complaints$/, ['clerk', 'head', 'quality-control', 'applicant', 'system']],
  [/^\/v1\/complaints\/\{complaint-\d+\}\/actions$/, ['clerk', 'head', 'quality-control', 'applicant', 'system', 'admin']],
];

interface Replay {
  problems: string[];
  cases: Array<{ chain: PlannedChain; state: CaseState }>;
  complaints: Array<{ chain: PlannedChain; state: ComplaintState }>;
}

/**
 * Sends the plan through what the API does with each request, without HTTP: the route's role guard,
 * the zod body schema, the regulation or complaint terms in force, and the domain's deciders.
 * Every request must record something (no silent repeats) and break no rule.
 */
function replay(plan: SeedPlan, now: Date): Replay {
  let ids = 0;
  const uuid = () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`;
  const seal = (value: unknown, personId = `p-${JSON.stringify(value).length}`) => ({ personId, sealed: JSON.stringify(value) });
  const problems: string[] = [];
  const out: Replay = { problems, cases: [], complaints: [] };
  const nowIso = now.toISOString();
  const firstEvent = new Map<string, string>();

  for (const chain of plan.chains) {
    const bound = new Map<string, string>();
    let caseState: CaseState = initialCaseState;
    const complaintStates = new Map<string, ComplaintState>();
    const resolve = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === 'object') {
        const r = (v as { $ref?: unknown }).$ref;
        if (typeof r === 'string') return r.startsWith('event:') ? firstEvent.get(r.slice(6)) : bound.get(r);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      }
      return v;
    };
    for (const r of chain.requests) {
      const where = `${r.key} ${r.label} by ${r.actor.role} ${r.actor.userId}`;
      const roles = ROUTE_ROLES.find(([re]) => re.test(r.path))?.[1];
      if (!roles) {
        problems.push(`${where}: unknown route ${r.path}`);
        break;
      }
      if (!roles.includes(r.actor.role)) problems.push(`${where}: role not allowed on ${r.path}`);
      const body = resolve(r.body) as Record<string, unknown>;
      const actor = r.actor as Actor;
      const metadata = { actor, now: nowIso, ...(body.occurredAt ? { occurredAt: body.occurredAt as string } : {}) };
      try {
        let events: Array<CaseEvent | ComplaintEvent>;
        if (r.path === '/v1/cases') {
          const b = submitApplicationBody.parse(body);
          const caseId = uuid();
          const regulation = regulationFor(b.service as ServiceCode, almatyDate(Date.parse(b.occurredAt!))).regulation;
          const command = { type: 'SubmitApplication', metadata, data: { caseId, serviceCode: b.service, providerId: b.providerId, channel: b.channel, applicant: seal(b.applicant, `p-${b.applicant.iin}`), child: seal(b.child, `p-${b.child.iin}`), documents: b.documents, ...(b.grade !== undefined ? { grade: b.grade } : {}) } } as CaseCommand;
          events = decideCase(command, caseState, { regulation, clockSkewMs: 0, newId: uuid });
          bound.set(r.bind!, caseId);
          for (const e of events as CaseEvent[]) caseState = evolveCase(caseState, e);
        } else if (r.path.startsWith('/v1/cases/')) {
          const b = caseActionBody.parse(body);
          if (caseState.status === 'none') throw new Error('no case');
          const { type, occurredAt: _o, ...data } = b;
          const command = { type, metadata, data } as CaseCommand;
          events = decideCase(command, caseState, { regulation: regulationById(caseState.regulationId)!, clockSkewMs: 0, newId: uuid });
          for (const e of events as CaseEvent[]) caseState = evolveCase(caseState, e);
        } else if (r.path === '/v1/complaints') {
          const b = fileComplaintBody.parse(body);
          const complaintId = uuid();
          const complainant = seal(b.complainant, `p-${b.complainant.iin}`);
          const command = { type: 'FileComplaint', metadata, data: { complaintId, providerId: b.providerId, caseId: b.caseId ?? null, subject: b.subject, addressee: b.addressee, complainant, text: seal(b.text, complainant.personId) } } as ComplaintCommand;
          events = decideComplaint(command, initialComplaintState, { complaintTerms: listComplaintTerms().at(-1)!, clockSkewMs: 0, newId: uuid });
          bound.set(r.bind!, complaintId);
          let s: ComplaintState = initialComplaintState;
          for (const e of events as ComplaintEvent[]) s = evolveComplaint(s, e);
          complaintStates.set(r.bind!, s);
        } else {
          const name = /\{(complaint-\d+)\}/.exec(r.path)![1];
          const b = complaintActionBody.parse(body);
          let s = complaintStates.get(name);
          if (!s || s.status === 'none') throw new Error('no complaint');
          const { type, occurredAt: _o, ...data } = b;
          const payload = type === 'AnswerComplaint' ? { outcome: (data as { outcome: string }).outcome, answer: seal((data as { answer: string }).answer, s.complainant.personId) } : data;
          const terms = type === 'RegisterComplaint' ? complaintTermsFor(almatyDate(Date.parse(b.occurredAt!))) : listComplaintTerms().at(-1)!;
          events = decideComplaint({ type, metadata, data: payload } as ComplaintCommand, s, { complaintTerms: terms, clockSkewMs: 0, newId: uuid });
          for (const e of events as ComplaintEvent[]) s = evolveComplaint(s, e);
          complaintStates.set(name, s);
        }
        if (events.length === 0) problems.push(`${where}: recorded nothing`);
        else firstEvent.set(r.key, events[0].id);
      } catch (error) {
        const detail = error instanceof DomainError ? `${error.code}: ${error.message}` : (error as Error).message;
        problems.push(`${where}: ${detail}`);
        break;
      }
    }
    if (caseState.status !== 'none') out.cases.push({ chain, state: caseState });
    for (const s of complaintStates.values()) out.complaints.push({ chain, state: s });
  }
  return out;
}

describe('Demo data plan', () => {
  describe('when made twice for the same seed and date', () => {
    it('is the same plan, request for request', () => {
      const again = planSeed({ seed: 'demo', cases: 300, now: NOW });
      expect(JSON.stringify(again)).toBe(JSON.stringify(plan300));
    });
  });

  describe('when the seed, the size or the day changes', () => {
    it('gives another dataset for another seed', () => {
      const other = planSeed({ seed: 'other', cases: 300, now: NOW });
      expect(JSON.stringify(requestsOf(other).map((r) => r.body))).not.toBe(JSON.stringify(requestsOf(plan300).map((r) => r.body)));
    });

    it('keeps the first cases of a smaller plan unchanged in a larger one, so scaling up records only new cases', () => {
      const small = planSeed({ seed: 'demo', cases: 40, now: NOW });
      const history = (p: SeedPlan) => new Map(p.chains.filter((c) => /^h\d+$/.test(c.id)).map((c) => [c.id, JSON.stringify(c.requests)]));
      const big = history(plan300);
      const smallHistory = history(small);
      expect(smallHistory.size).toBeGreaterThan(20);
      for (const [id, requests] of smallHistory) expect(big.get(id)).toBe(requests);
    });

    it('keeps the history on another day and replaces only the recent part, under keys of that day', () => {
      const nextDay = planSeed({ seed: 'demo', cases: 300, now: new Date('2026-11-24T08:00:00Z') });
      const keyed = (p: SeedPlan) => new Map(requestsOf(p).map((r) => [r.key, JSON.stringify(r)]));
      const a = keyed(plan300);
      const b = keyed(nextDay);
      let same = 0;
      for (const [key, request] of a) {
        if (key.includes('2026-11-22')) {
          expect(b.has(key)).toBe(false);
        } else {
          expect(b.get(key)).toBe(request);
          same++;
        }
      }
      expect(same).toBeGreaterThan(2000);
    });
  });

  describe('its content', () => {
    it('uses every Idempotency-Key once, each a valid header value', () => {
      const keys = requestsOf(plan300).map((r) => r.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys) expect(key).toMatch(/^[\x21-\x7E]{1,200}$/);
    });

    it('has about the asked number of cases, in all four services, at every demo provider', () => {
      const cases = plan300.chains.filter((c) => c.case);
      expect(cases).toHaveLength(300);
      expect(new Set(cases.map((c) => c.case!.service))).toEqual(new Set(['pmpc-examination', 'rehabilitation', 'special-school-admission', 'home-education']));
      const providers = new Set(cases.map((c) => c.case!.providerId));
      for (const p of demoProviderDirectory().providers) expect(providers).toContain(p.id);
    });

    it('refuses on both grounds, on paper at the office and electronically on the portal', () => {
      const refusals = plan300.chains.filter((c) => c.case?.refusal).map((c) => c.case!.refusal!);
      expect(new Set(refusals.flatMap((r) => r.grounds))).toEqual(new Set(['incomplete-documents', 'expired-documents']));
      expect(new Set(refusals.map((r) => r.form))).toEqual(new Set(['paper', 'electronic']));
      expect(bodiesOf(plan300, 'RefuseApplication').every((b) => typeof b.motivation === 'string' && (b.motivation as string).length >= 10)).toBe(true);
    });

    it('has withdrawals, corrections (of data and of a late-entered time) and late steps', () => {
      const metas = plan300.chains.flatMap((c) => (c.case ? [c.case] : []));
      expect(metas.filter((m) => m.outcome === 'withdrawn').length).toBeGreaterThan(3);
      expect(new Set(metas.flatMap((m) => m.corrections))).toEqual(new Set(['journal', 'late-entry', 'executor', 'session']));
      expect(metas.filter((m) => m.lateSteps.length > 0).length).toBeGreaterThan(20);
      const corrections = bodiesOf(plan300, 'CorrectAction(DrawUpResult.occurredAt)');
      expect(corrections.length).toBeGreaterThan(0);
    });

    it('has complaints to both addressees: registered, forwarded, answered on time and late, withdrawn, in court, and open', () => {
      const complaints = plan300.chains.flatMap((c) => c.complaints);
      expect(new Set(complaints.map((c) => c.addressee))).toEqual(new Set(['provider', 'authorized-body']));
      expect(new Set(complaints.map((c) => c.via))).toEqual(new Set(['portal', 'paper']));
      const outcomes = new Set(complaints.map((c) => c.outcome));
      for (const o of ['answered-on-time', 'answered-late', 'withdrawn', 'in-court', 'open', 'filed', 'forwarded']) expect(outcomes).toContain(o);
      expect(complaints.some((c) => c.forwarded && c.outcome === 'answered-on-time')).toBe(true);
    });

    it('names persons with IINs that encode their birth dates', () => {
      const persons = requestsOf(plan300).flatMap((r) => [r.body.applicant, r.body.child, r.body.complainant].filter(Boolean) as Array<{ iin: string; birthDate: string; fullName: string }>);
      expect(persons.length).toBeGreaterThan(300);
      for (const p of persons) expect(checkIin(p.iin, p.birthDate)).toMatchObject({ ok: true });
    });

    it('dates every case within a regulation in force: No. 604 from 2019-01-17 to 2020-02-10, the later home-education rules from 2020-02-11', () => {
      for (const chain of plan300.chains.filter((c) => c.case)) {
        const submitted = almatyDate(chain.requests[0].at);
        const { regulationId } = chain.case!;
        if (regulationId === 'almaty-region-604-2018') expect(submitted >= '2019-01-17' && submitted <= '2020-02-10').toBe(true);
        else expect(submitted >= '2020-02-11').toBe(true);
        if (!chain.case!.recent) expect(submitted <= HISTORY_END).toBe(true);
      }
    });

    it('admits to a special school within the windows: first grade 1 July - 30 August, other grades by 30 August', () => {
      const admissions = bodiesOf(plan300, 'SubmitApplication').filter((b) => b.service === 'special-school-admission');
      expect(admissions.length).toBeGreaterThan(5);
      for (const b of admissions) {
        const monthDay = almatyDate(Date.parse(b.occurredAt as string)).slice(5);
        expect(monthDay <= '08-30').toBe(true);
        if (b.grade === 1) expect(monthDay >= '07-01').toBe(true);
      }
    });

    it('dates nothing on or after the day it is made for', () => {
      for (const r of requestsOf(plan300)) expect(almatyDate(r.at) < plan300.today).toBe(true);
      const early = planSeed({ seed: 'demo', cases: 120, now: new Date('2021-03-01T05:00:00Z') });
      for (const r of requestsOf(early)) expect(almatyDate(r.at) < '2021-03-01').toBe(true);
    });
  });

  describe('overdue now', () => {
    it('has portal applications past their two working days, judged so by the regulation against now', () => {
      const { cases } = replay(plan300, NOW);
      const overdue = cases.filter(({ chain }) => chain.case!.overdueNow);
      expect(overdue.length).toBeGreaterThan(1);
      const schedules = demoProviderDirectory();
      for (const { state } of overdue) {
        if (state.status === 'none') throw new Error('no case');
        const step = caseSteps(state, regulationById(state.regulationId)!)[0];
        expect(step.status).toBe('open');
        const start = effectiveStart(step.startedAt!, 'portal', schedules.scheduleOf(state.providerId));
        expect(judgeNorm(step.norm, start, null, NOW).status).toBe('overdue');
      }
      // ... and some whose term still runs.
      expect(cases.some(({ chain, state }) => chain.case!.recent && state.status === 'open' && !chain.case!.overdueNow)).toBe(true);
    });

    it('has complaints whose review term ran out unanswered, and some whose term still runs', () => {
      const { complaints } = replay(plan300, NOW);
      const registeredOpen = complaints.map((c) => c.state).filter((s) => s.status === 'registered');
      const verdicts = registeredOpen.map((s) => {
        if (s.status === 'none') throw new Error('no complaint');
        const reg = s.registrations.at(-1)!;
        return { addressee: reg.addressee, overdue: dueAt(reg.registeredAt, reg.term.amount, reg.term.unit).dueAt < NOW };
      });
      expect(verdicts.filter((v) => v.overdue).map((v) => v.addressee)).toEqual(expect.arrayContaining(['provider', 'authorized-body']));
      expect(verdicts.some((v) => !v.overdue)).toBe(true);
    });
  });

  describe('against the rules', () => {
    it.each([
      ['demo', NOW, 300],
      ['alt-1', new Date('2026-11-24T03:00:00Z'), 300],
      ['alt-2', new Date('2027-01-05T10:00:00Z'), 300],
      // Made for a day inside the history: what would lie in the future is left out.
      ['early', new Date('2020-06-15T04:00:00Z'), 150],
    ])('is accepted request by request by the API schemas and the domain (seed %s)', (seed, now, atLeast) => {
      const plan = planSeed({ seed, cases: 300, now });
      const { problems, cases } = replay(plan, now);
      expect(problems).toEqual([]);
      expect(cases.length).toBeGreaterThanOrEqual(atLeast);
    });

    it('judges the planned late steps late and the others on time', () => {
      const { cases } = replay(plan300, NOW);
      const directory = demoProviderDirectory();
      const verdicts: Record<string, number> = {};
      let mismatches = 0;
      for (const { chain, state } of cases) {
        if (state.status === 'none') continue;
        for (const step of caseSteps(state, regulationById(state.regulationId)!)) {
          if (step.status !== 'completed' || !step.startedAt || !step.completedAt || step.norm.kind === 'none') continue;
          const start = state.channel === 'portal' ? effectiveStart(step.startedAt, 'portal', directory.scheduleOf(state.providerId)) : step.startedAt;
          const v = judgeNorm(step.norm, start, step.completedAt, NOW, directory.scheduleOf(state.providerId)).status;
          verdicts[v] = (verdicts[v] ?? 0) + 1;
          const planned = chain.case!.lateSteps.includes(step.stepId);
          if (planned !== (v !== 'on-time')) mismatches++;
        }
      }
      expect(verdicts['on-time']).toBeGreaterThan(500);
      expect(verdicts['late']).toBeGreaterThan(30);
      expect(mismatches).toBe(0);
    });
  });
});
