import { Body, Controller, Get, Inject, Module, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Brackets } from 'typeorm';
import { z } from 'zod';
import { runningReviewTerm } from '@sped/domain';
import { ComplaintRow } from '@sped/read-models';
import { judgeNorm } from '@sped/regulations';
import { CurrentActor, Roles, type Actor } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { badRequest, forbidden, notFound } from '../http/problem.js';
import { code, uuid } from '../http/schemas.js';
import { parseOr400 } from '../http/validation.js';
import type { CommandResult } from '@sped/event-store';
import { commandHeaders } from '../shared/command-headers.js';
import { deterministicUuid, newUuid } from '../shared/ids.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { complaintActionBody, fileComplaintBody } from './complaint-actions.schemas.js';
import { ComplaintCommandHandler, RecordComplaintAction } from './complaint.command-handler.js';

const idParams = z.strictObject({ id: uuid });
const listQuery = z.strictObject({
  status: z.enum(['open', 'at-risk', 'overdue', 'answered', 'all'], { message: 'must be open, at-risk, overdue, answered or all' }).default('open'),
  providerId: code(100).optional(),
  addressee: z.enum(['provider', 'authorized-body'], { message: 'must be provider or authorized-body' }).optional(),
  limit: z.coerce.number({ message: 'must be a number' }).int().min(1, 'must be 1-500').max(500, 'must be 1-500').default(50),
  after: z.string().max(200).optional(),
});

registerOperation({ method: 'post', path: '/v1/complaints', tag: 'complaints', summary: 'File a complaint (to the provider or to the authorized body)', body: fileComplaintBody, headers: [{ name: 'Idempotency-Key', description: 'Safe retries' }], responses: { 201: { description: 'Filed' } } });
registerOperation({ method: 'post', path: '/v1/complaints/:id/actions', tag: 'complaints', summary: 'Register, forward, answer, withdraw or record a court appeal', params: idParams, body: complaintActionBody, responses: { 201: { description: 'Recorded' } } });
registerOperation({ method: 'get', path: '/v1/complaints', tag: 'complaints', summary: 'The complaint register: open, at-risk (one working day or less left), overdue, answered', query: listQuery, responses: { 200: { description: 'Complaints with their review term' } } });
registerOperation({ method: 'get', path: '/v1/complaints/:id', tag: 'complaints', summary: 'One complaint with its review term and verdict', params: idParams, responses: { 200: { description: 'The complaint' } } });

const PROVIDER_SCOPED = new Set(['clerk', 'head', 'executor', 'director']);
const PERSONAL_DATA_READERS = new Set(['head', 'director', 'quality-control', 'investigator', 'applicant', 'clerk']);
const OPEN = ['filed', 'registered', 'forwarded'];

function assertScope(actor: Actor, row: ComplaintRow) {
  if (PROVIDER_SCOPED.has(actor.role) && actor.providerId !== row.providerId) throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} of ${actor.providerId} may not see complaints about another provider.`);
  if (actor.role === 'applicant' && row.state.filedBy.userId !== actor.userId) throw forbidden('NOT_OWN_COMPLAINT', 'An applicant may see only their own complaints.');
}

/**
 * The review term's verdict against now: open, at-risk, overdue; answered on time or late. A term that
 * stopped without an answer (withdrawn, taken to court, forwarded and awaiting registration by the
 * authorized body) is not judged against today: it says `stopped`.
 */
export function complaintVerdict(row: ComplaintRow, now: Date) {
  const last = row.state.registrations.at(-1);
  const term = runningReviewTerm(row.state) ?? (row.answeredAt ? last?.term : undefined);
  if (!term || !row.registeredAt) {
    return last && !row.answeredAt
      ? { status: 'stopped' as const, dueAt: null, lastDay: null, remaining: null, excess: null, term: { amount: last.term.amount, unit: last.term.unit, source: last.term.source }, provisional: false }
      : null;
  }
  const norm = { kind: 'limit' as const, amount: term.amount, unit: term.unit, source: term.source };
  const v = judgeNorm(norm, row.registeredAt, row.answeredAt, now);
  return { status: v.status, dueAt: v.dueAtLocal, lastDay: v.lastDay, remaining: v.remaining, excess: v.excess, term: { amount: term.amount, unit: term.unit, source: term.source }, provisional: v.provisional };
}

@Controller('v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  @Post()
  @Roles('clerk', 'head', 'quality-control', 'applicant', 'system')
  async file(@Body() raw: unknown, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = parseOr400(fileComplaintBody, raw, 'body');
    const headers = commandHeaders(request, actor, raw);
    const id = headers.idempotency ? deterministicUuid('complaint', actor.userId, headers.idempotency.key) : newUuid();
    return this.send(reply, await this.commands.execute(new RecordComplaintAction(id, { ...body, type: 'FileComplaint' }, actor, { idempotency: headers.idempotency })));
  }

  @Post(':id/actions')
  @Roles('clerk', 'head', 'quality-control', 'applicant', 'system', 'admin')
  async act(@Param() params: unknown, @Body() raw: unknown, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { id } = parseOr400(idParams, params, 'params');
    const body = parseOr400(complaintActionBody, raw, 'body');
    return this.send(reply, await this.commands.execute(new RecordComplaintAction(id, body, actor, commandHeaders(request, actor, raw))));
  }

  @Get()
  async list(@Query() query: unknown, @CurrentActor() actor: Actor) {
    const q = parseOr400(listQuery, query, 'query');
    const now = new Date();
    let providerId = q.providerId;
    if (PROVIDER_SCOPED.has(actor.role)) {
      if (providerId && providerId !== actor.providerId) throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} sees only the complaints about ${actor.providerId}.`);
      providerId = actor.providerId ?? undefined;
    }
    const qb = this.runtime.readModels.getRepository(ComplaintRow).createQueryBuilder('c');
    if (providerId) qb.andWhere('c.provider_id = :providerId', { providerId });
    if (q.addressee) qb.andWhere('c.addressee = :addressee', { addressee: q.addressee });
    if (actor.role === 'applicant') qb.andWhere(`c.state -> 'filedBy' ->> 'userId' = :uid`, { uid: actor.userId });
    if (q.status === 'open') qb.andWhere('c.status IN (:...open)', { open: OPEN });
    if (q.status === 'overdue') qb.andWhere(`c.status = 'registered' AND c.due_at <= :now`, { now });
    // At risk needs the working calendar: fetch those due within a week and judge each.
    if (q.status === 'at-risk') qb.andWhere(`c.status = 'registered' AND c.due_at > :now AND c.due_at <= :soon`, { now, soon: new Date(now.getTime() + 10 * 86_400_000) });
    if (q.status === 'answered') qb.andWhere(`c.status = 'answered'`);
    if (q.after) {
      const [at, id] = Buffer.from(q.after, 'base64url').toString('utf8').split('|');
      if (!at || !id || Number.isNaN(Date.parse(at))) throw badRequest('The cursor is not valid.', [{ field: 'query.after', message: 'use the nextCursor of the previous page' }]);
      qb.andWhere(new Brackets((w) => w.where('c.filed_at > :at', { at }).orWhere('c.filed_at = :at AND c.complaint_id > :id', { at, id })));
    }
    const rows = await qb.orderBy('c.filed_at', 'ASC').addOrderBy('c.complaint_id', 'ASC').limit(q.limit).getMany();
    let items = rows.map((r) => this.view(r, now, false));
    if (q.status === 'at-risk') items = items.filter((i) => i.verdict?.status === 'at-risk');
    const last = rows.at(-1);
    return { items, nextCursor: rows.length === q.limit && last ? Buffer.from(`${last.filedAt.toISOString()}|${last.complaintId}`).toString('base64url') : null };
  }

  @Get(':id')
  async get(@Param() params: unknown, @CurrentActor() actor: Actor) {
    const { id } = parseOr400(idParams, params, 'params');
    const row = await this.runtime.readModels.getRepository(ComplaintRow).findOneBy({ complaintId: id });
    if (!row) throw notFound(`No complaint ${id}.`);
    assertScope(actor, row);
    const view = this.view(row, new Date(), true);
    if (!PERSONAL_DATA_READERS.has(actor.role)) return view;
    const open = async (r: { personId: string; sealed: string | null }) => (r.sealed === null ? { erased: true as const } : this.runtime.vault.open({ personId: r.personId, sealed: r.sealed }));
    return {
      ...view,
      personalData: {
        complainant: { personId: row.state.complainant.personId, ...(await open(row.state.complainant)) },
        text: await open(row.state.text),
        answer: row.state.answer ? await open(row.state.answer.text) : null,
      },
    };
  }

  private view(row: ComplaintRow, now: Date, full: boolean) {
    const s = row.state;
    return {
      id: row.complaintId,
      providerId: row.providerId,
      caseId: row.caseId,
      subject: s.subject,
      addressee: row.addressee,
      status: row.status,
      filedAt: row.filedAt.toISOString(),
      registeredAt: row.registeredAt?.toISOString() ?? null,
      registrationNumber: s.registrations.at(-1)?.registrationNumber ?? null,
      answeredAt: row.answeredAt?.toISOString() ?? null,
      outcome: s.answer?.outcome ?? null,
      answeredLate: row.answeredLate,
      verdict: complaintVerdict(row, now),
      streamVersion: row.streamVersion,
      ...(full ? { registrations: s.registrations.map(({ term, ...r }) => ({ ...r, term: { amount: term.amount, unit: term.unit, source: term.source } })), forwarded: s.forwarded, withdrawal: s.withdrawal, court: s.court } : {}),
    };
  }

  private send(reply: FastifyReply, result: CommandResult) {
    reply.status(result.events.length === 0 ? 200 : 201).header('etag', `"${result.streamVersion}"`).header('location', `/v1/complaints/${result.id}`);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.send({ id: result.id, streamVersion: result.streamVersion, position: result.position, events: result.events });
  }
}

@Module({ controllers: [ComplaintsController], providers: [ComplaintCommandHandler] })
export class ComplaintsModule {}
