import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { z } from 'zod';
import type { CaseStep, ComplaintRow } from '@sped/read-models';
import { judgeNorm, toLocalIso } from '@sped/regulations';
import { CurrentActor, Roles, type Actor } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { badRequest, forbidden } from '../http/problem.js';
import { code } from '../http/schemas.js';
import { parseOr400 } from '../http/validation.js';
import { localWindows } from '../shared/local-time.js';
import { complaintVerdict } from '../complaints/complaints.controller.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { preparedQuery } from '../shared/prepared-query.js';
import { WORKLOAD } from '../shared/read-statements.js';

const workloadQuery = z.strictObject({ providerId: code(100).optional() });

registerOperation({
  method: 'get',
  path: '/v1/workload',
  tag: 'workload',
  summary: "A provider's workload: per executor, open cases by stage, due today, due this week, overdue; cases waiting for an executor; open complaints",
  description: 'Today and this week are Almaty local days (the week ends Sunday 24:00). Directors see their own provider; quality-control, investigators and admins name one.',
  query: workloadQuery,
  responses: { 200: { description: 'The workload' } },
});


type OpenStepJson = Pick<CaseStep, 'caseId' | 'stepId' | 'serviceCode' | 'caseStage' | 'executorId' | 'completedBy' | 'norm'> & { startedAt: number | null; dueAt: number | null };
type ComplaintJson = Omit<ComplaintRow, 'filedAt' | 'registeredAt' | 'dueAt' | 'answeredAt'> & { filedAt: number; registeredAt: number | null; dueAt: number | null; answeredAt: number | null };

const date = (v: number | null) => (v === null ? null : new Date(v));

interface Bucket {
  executorId: string | null;
  openCases: number;
  byStage: Record<string, number>;
  dueToday: number;
  dueThisWeek: number;
  overdue: number;
  atRisk: number;
}

@Controller('v1/workload')
@Roles('director', 'head', 'quality-control', 'investigator', 'admin')
export class WorkloadController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Get()
  async workload(@Query() query: unknown, @CurrentActor() actor: Actor) {
    const q = parseOr400(workloadQuery, query, 'query');
    let providerId = q.providerId;
    if (actor.role === 'director' || actor.role === 'head') {
      if (providerId && providerId !== actor.providerId) throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} sees only the workload of ${actor.providerId}.`);
      providerId = actor.providerId ?? undefined;
    }
    if (!providerId) throw badRequest('Name the provider.', [{ field: 'query.providerId', message: 'is required for this role' }]);
    const now = new Date();
    const { startOfTomorrow, startOfNextWeek } = localWindows(now);
    const schedule = this.runtime.providers.scheduleOf(providerId);
    const [row] = await preparedQuery<{ steps: OpenStepJson[]; complaints: ComplaintJson[] }>(this.runtime.readModels, 'sped-workload', WORKLOAD, [providerId]);
    const open = row.steps.map((s) => ({ ...s, startedAt: date(s.startedAt), dueAt: date(s.dueAt) }));
    const complaints: ComplaintRow[] = row.complaints.map((c) => ({ ...c, filedAt: new Date(c.filedAt), registeredAt: date(c.registeredAt), dueAt: date(c.dueAt), answeredAt: date(c.answeredAt) }));
    const buckets = new Map<string, Bucket>();
    const waiting: unknown[] = [];
    const seen = new Set<string>();
    for (const s of open) {
      const key = s.executorId ?? '(unassigned)';
      const b = buckets.get(key) ?? { executorId: s.executorId, openCases: 0, byStage: {}, dueToday: 0, dueThisWeek: 0, overdue: 0, atRisk: 0 };
      buckets.set(key, b);
      if (!seen.has(s.caseId)) {
        seen.add(s.caseId);
        b.openCases++;
        b.byStage[s.caseStage] = (b.byStage[s.caseStage] ?? 0) + 1;
      }
      const verdict = s.startedAt ? judgeNorm(s.norm, s.startedAt, null, now, schedule) : null;
      if (s.dueAt) {
        if (s.dueAt <= now) b.overdue++;
        else {
          if (s.dueAt <= startOfTomorrow) b.dueToday++;
          if (s.dueAt <= startOfNextWeek) b.dueThisWeek++;
        }
      }
      if (verdict?.status === 'at-risk') b.atRisk++;
      if (s.completedBy === 'ExecutorAppointed') {
        waiting.push({ caseId: s.caseId, service: s.serviceCode, stepId: s.stepId, waitingSince: s.startedAt ? toLocalIso(s.startedAt) : null, dueAt: s.dueAt ? toLocalIso(s.dueAt) : null, verdict: verdict?.status ?? null });
      }
    }
    const executors = [...buckets.values()].sort((a, b) => (a.executorId ?? '~').localeCompare(b.executorId ?? '~'));
    const total = executors.reduce(
      (t, b) => ({ openCases: t.openCases + b.openCases, dueToday: t.dueToday + b.dueToday, dueThisWeek: t.dueThisWeek + b.dueThisWeek, overdue: t.overdue + b.overdue, atRisk: t.atRisk + b.atRisk }),
      { openCases: 0, dueToday: 0, dueThisWeek: 0, overdue: 0, atRisk: 0 },
    );
    return {
      providerId,
      provider: this.runtime.providers.get(providerId)?.name ?? null,
      asOf: toLocalIso(now),
      total,
      executors,
      waitingForExecutor: waiting,
      openComplaints: complaints.map((c) => ({ id: c.complaintId, caseId: c.caseId, addressee: c.addressee, status: c.status, registeredAt: c.registeredAt ? toLocalIso(c.registeredAt) : null, verdict: complaintVerdict(c, now) })),
    };
  }
}

@Module({ controllers: [WorkloadController] })
export class WorkloadModule {}
