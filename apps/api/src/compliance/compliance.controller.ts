import { Controller, Get, Headers, Inject, Module, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CaseStep } from '@sped/read-models';
import { judgeNorm, SERVICE_CODES, toLocalIso, type Norm } from '@sped/regulations';
import { CurrentActor, Roles, type Actor } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { badRequest } from '../http/problem.js';
import { code, isoDate } from '../http/schemas.js';
import { parseOr400 } from '../http/validation.js';
import { toCsv, wantsCsv } from '../shared/csv.js';
import { normOf } from '../shared/step-norm.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { complianceWhere, ComplianceSummaryService, DIMENSIONS, type Dimension } from './compliance-summary.service.js';

const filters = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  providerId: code(100).optional(),
  service: z.enum(SERVICE_CODES as unknown as [string, ...string[]], { message: `must be one of ${SERVICE_CODES.join(', ')}` }).optional(),
  stepId: code(100).optional(),
};
const summaryQuery = z.strictObject({
  ...filters,
  groupBy: z
    .string()
    .default('provider,service,step')
    .transform((v) => v.split(',').map((d) => d.trim()))
    .refine((ds) => ds.length > 0 && ds.every((d) => d in DIMENSIONS) && new Set(ds).size === ds.length, { message: `must list distinct dimensions among ${Object.keys(DIMENSIONS).join(', ')}` }),
});
const breachesQuery = z.strictObject({
  ...filters,
  kind: z.enum(['all', 'late', 'overdue', 'window'], { message: 'must be all, late, overdue or window' }).default('all'),
  limit: z.coerce.number({ message: 'must be a number' }).int().min(1, 'must be 1-10000').max(10000, 'must be 1-10000').default(100),
  after: z.string().max(300).optional(),
});

registerOperation({
  method: 'get',
  path: '/v1/compliance/summary',
  tag: 'compliance',
  summary: 'Per provider, service, step (and month): cases, on-time share, breaches, median and 90th-percentile durations',
  description: 'The period filters steps by the Almaty date their clock started. Durations are in working minutes for minute and hour norms and in the norm\'s days for day norms. Accept: text/csv for CSV. Answers are cached per query and scope and may be up to COMPLIANCE_SUMMARY_MAX_AGE_MS old (default 30 s; a query asked for within COMPLIANCE_SUMMARY_KEEP_WARM_MS, default 10 min, is recomputed in the background before its answer expires): `asOf` (header X-As-Of) is the instant the figures were computed and judged, header Age how old they were when sent (seconds), `maxAgeMs` the limit.',
  query: summaryQuery,
  responses: { 200: { description: 'Rows', contentTypes: ['application/json', 'text/csv'] } },
});
registerOperation({
  method: 'get',
  path: '/v1/compliance/breaches',
  tag: 'compliance',
  summary: 'Steps that broke their norm (late, too early or too late for a window) or are overdue now, with the norm and the excess',
  query: breachesQuery,
  responses: { 200: { description: '{ items, nextCursor } or CSV', contentTypes: ['application/json', 'text/csv'] } },
});

const BREACH = `(verdict IN ('late', 'too-early', 'too-late') OR (status = 'open' AND due_at <= $now))`;

@Controller('v1/compliance')
@Roles('quality-control', 'investigator', 'admin', 'director')
export class ComplianceController {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly summaries: ComplianceSummaryService,
  ) {}

  @Get('summary')
  async summary(@Query() query: unknown, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply) {
    const q = parseOr400(summaryQuery, query, 'query');
    const { report, ageMs } = await this.summaries.summary(actor, { ...q, groupBy: q.groupBy as Dimension[] });
    // The body is the same for every request the cached answer serves; how old it is now goes in the Age header (seconds).
    reply.header('age', String(Math.floor(ageMs / 1000))).header('x-as-of', report.asOf);
    if (wantsCsv(accept)) {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="compliance-summary.csv"').send(report.toCsv());
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(report.toJson());
  }

  @Get('breaches')
  async breaches(@Query() query: unknown, @CurrentActor() actor: Actor, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply) {
    const q = parseOr400(breachesQuery, query, 'query');
    const now = new Date();
    const params: unknown[] = [now];
    let where = complianceWhere(actor, q, params).replaceAll('$now', '$1');
    const kind = { all: BREACH, late: `verdict = 'late'`, window: `verdict IN ('too-early', 'too-late')`, overdue: `(status = 'open' AND due_at <= $1)` }[q.kind].replace('$now', '$1');
    where += ` AND ${kind}`;
    if (q.after) {
      const [at, caseId, stepId] = Buffer.from(q.after, 'base64url').toString('utf8').split('|');
      if (!at || !caseId || !stepId || Number.isNaN(Date.parse(at))) throw badRequest('The cursor is not valid.', [{ field: 'query.after', message: 'use the nextCursor of the previous page' }]);
      params.push(at, caseId, stepId);
      where += ` AND (started_at, case_id, step_id) > ($${params.length - 2}, CAST($${params.length - 1} AS uuid), $${params.length})`;
    }
    params.push(q.limit);
    const rows = await this.runtime.readModels
      .getRepository(CaseStep)
      .createQueryBuilder('s')
      .where(where.replace(/\$(\d+)/g, ':p$1'), Object.fromEntries(params.map((p, i) => [`p${i + 1}`, p])))
      .orderBy('s.started_at', 'ASC')
      .addOrderBy('s.case_id', 'ASC')
      .addOrderBy('s.step_id', 'ASC')
      .limit(q.limit)
      .getMany();
    const items = rows.map((r) => {
      const norm = normOf(r.regulationId, r.serviceCode, r.stepId);
      const live = r.status === 'open' ? judgeNorm(norm, r.startedAt as Date, null, now, this.runtime.providers.scheduleOf(r.providerId)) : null;
      const excess = r.excessAmount !== null ? { amount: r.excessAmount, unit: r.excessUnit } : live?.excess ?? null;
      return {
        caseId: r.caseId,
        providerId: r.providerId,
        service: r.serviceCode,
        stepId: r.stepId,
        stepOrder: r.stepOrder,
        regulationId: r.regulationId,
        norm,
        startedAt: r.startedAt ? toLocalIso(r.startedAt) : null,
        dueAt: r.dueAt ? toLocalIso(r.dueAt) : null,
        completedAt: r.completedAt ? toLocalIso(r.completedAt) : null,
        breach: r.status === 'open' ? 'overdue' : r.verdict,
        excess,
        performedBy: r.performedByRole ? { role: r.performedByRole, userId: r.performedByUser } : null,
        executorId: r.executorId,
        recordedLate: r.recordedLate,
      };
    });
    const last = rows.at(-1);
    const nextCursor = rows.length === q.limit && last?.startedAt ? Buffer.from(`${last.startedAt.toISOString()}|${last.caseId}|${last.stepId}`).toString('base64url') : null;
    if (wantsCsv(accept)) {
      const header = ['caseId', 'providerId', 'service', 'stepId', 'regulationId', 'norm', 'source', 'startedAt', 'dueAt', 'completedAt', 'breach', 'excessAmount', 'excessUnit', 'performedByRole', 'performedByUser', 'executorId', 'recordedLate'];
      const normText = (n: Norm) => (n.kind === 'limit' ? `${n.amount} ${n.unit}` : n.kind === 'window' ? `${n.min}-${n.max} ${n.unit}` : 'no norm stated');
      const csv = toCsv(
        header,
        items.map((i) => [i.caseId, i.providerId, i.service, i.stepId, i.regulationId, normText(i.norm), [i.norm.source.document, i.norm.source.paragraph].filter(Boolean).join(', '), i.startedAt, i.dueAt, i.completedAt, i.breach, i.excess?.amount, i.excess?.unit, i.performedBy?.role, i.performedBy?.userId, i.executorId, i.recordedLate]),
      );
      if (nextCursor) reply.header('x-next-cursor', nextCursor);
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="breaches.csv"').send(csv);
    }
    return reply.send({ asOf: toLocalIso(now), items, nextCursor });
  }
}

@Module({ controllers: [ComplianceController], providers: [ComplianceSummaryService] })
export class ComplianceModule {}
