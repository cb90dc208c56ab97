import { Brackets, In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { CASE_STAGES } from '@sped/domain';
import { CaseStep, CaseSummary } from '@sped/read-models';
import { SERVICE_CODES } from '@sped/regulations';
import type { Actor } from '../auth/auth.js';
import { badRequest, forbidden } from '../http/problem.js';
import { code, isoDate } from '../http/schemas.js';
import { startOfLocalDate } from '../shared/local-time.js';
import { stepView } from './step-view.js';
import { normOf } from '../shared/step-norm.js';
import type { ProviderDirectory } from '@sped/platform';

export const listCasesQuery = z.strictObject({
  providerId: code(100).optional(),
  service: z.enum(SERVICE_CODES as unknown as [string, ...string[]], { message: `must be one of ${SERVICE_CODES.join(', ')}` }).optional(),
  stage: z.enum(CASE_STAGES as unknown as [string, ...string[]], { message: `must be one of ${CASE_STAGES.join(', ')}` }).optional(),
  status: z.enum(['open', 'issued', 'refused', 'withdrawn'], { message: 'must be open, issued, refused or withdrawn' }).optional(),
  executorId: code(100).optional(),
  overdue: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be 1-500').max(500, 'must be 1-500').default(50),
  after: z.string().max(200).optional(),
});

const PROVIDER_SCOPED = new Set(['clerk', 'head', 'executor', 'director']);

/** The case list: filters, newest application first, keyset (cursor) pagination stable under inserts. */
export async function listCases(db: DataSource, providers: ProviderDirectory, actor: Actor, raw: z.infer<typeof listCasesQuery>, now = new Date()) {
  const q = raw;
  let providerId = q.providerId;
  if (PROVIDER_SCOPED.has(actor.role)) {
    if (providerId && providerId !== actor.providerId) throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} sees only the cases of ${actor.providerId}.`);
    providerId = actor.providerId ?? undefined;
  }
  if (q.from && q.to && q.to < q.from) throw badRequest('`to` is before `from`.', [{ field: 'query.to', message: 'must not be before from' }]);
  const qb = db.getRepository(CaseSummary).createQueryBuilder('c');
  if (providerId) qb.andWhere('c.provider_id = :providerId', { providerId });
  if (actor.role === 'applicant') qb.andWhere(`c.state -> 'submittedBy' ->> 'userId' = :uid`, { uid: actor.userId });
  if (q.service) qb.andWhere('c.service_code = :service', { service: q.service });
  if (q.stage) qb.andWhere('c.stage = :stage', { stage: q.stage });
  if (q.status) qb.andWhere('c.status = :status', { status: q.status });
  if (q.executorId) qb.andWhere('c.executor_id = :executorId', { executorId: q.executorId });
  if (q.from) qb.andWhere('c.submitted_at >= :from', { from: startOfLocalDate(q.from) });
  if (q.to) qb.andWhere('c.submitted_at < :to', { to: new Date(startOfLocalDate(q.to).getTime() + 86_400_000) });
  if (q.overdue !== undefined) {
    const exists = `EXISTS (SELECT 1 FROM case_step s WHERE s.case_id = c.case_id AND s.status = 'open' AND s.due_at <= :now)`;
    qb.andWhere(q.overdue ? exists : `NOT ${exists}`, { now });
  }
  if (q.after) {
    const [at, id] = Buffer.from(q.after, 'base64url').toString('utf8').split('|');
    if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw badRequest('The cursor is not valid.', [{ field: 'query.after', message: 'use the nextCursor of the previous page' }]);
    qb.andWhere(new Brackets((w) => w.where('c.submitted_at < :at', { at }).orWhere('c.submitted_at = :at AND c.case_id < :id', { at, id })));
  }
  const rows = await qb.orderBy('c.submitted_at', 'DESC').addOrderBy('c.case_id', 'DESC').limit(q.limit).getMany();
  const open = rows.length ? await db.getRepository(CaseStep).find({ where: { caseId: In(rows.map((r) => r.caseId)), status: 'open' } }) : [];
  const openByCase = new Map(open.map((s) => [s.caseId, s]));
  const items = rows.map((r) => {
    const step = openByCase.get(r.caseId);
    return {
      id: r.caseId,
      service: r.serviceCode,
      providerId: r.providerId,
      channel: r.channel,
      regulationId: r.regulationId,
      stage: r.stage,
      status: r.status,
      executorId: r.executorId,
      submittedAt: r.submittedAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      streamVersion: r.streamVersion,
      currentStep: step ? stepView(step, normOf(step.regulationId, step.serviceCode, step.stepId), now, providers.scheduleOf(r.providerId)) : null,
    };
  });
  const last = rows.at(-1);
  return { items, nextCursor: rows.length === q.limit && last ? Buffer.from(`${last.submittedAt.toISOString()}|${last.caseId}`).toString('base64url') : null };
}
