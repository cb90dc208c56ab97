import { Body, Controller, Get, HttpCode, Inject, Module, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentActor, Roles, type Actor } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { forbidden, notFound } from '../http/problem.js';
import { caseStreamId } from '@sped/domain';
import { verifyStream } from '@sped/event-store';
import { parseOr400 } from '../http/validation.js';
import { uuid } from '../http/schemas.js';
import type { CommandResult } from '@sped/event-store';
import { commandHeaders } from '../shared/command-headers.js';
import { deterministicUuid, newUuid } from '../shared/ids.js';
import { caseActionBody, submitApplicationBody } from './case-actions.schemas.js';
import { CaseCommandHandler, RecordCaseAction } from './case.command-handler.js';
import { CaseQueries } from './get-case.query.js';
import { listCases, listCasesQuery } from './list-cases.query.js';
import { RUNTIME, type Runtime } from '../runtime.js';

const idParams = z.strictObject({ id: uuid });
const commandHeadersDoc = [
  { name: 'Idempotency-Key', description: 'Retrying with the same key and body returns the first result and records nothing new.' },
  { name: 'If-Match', description: 'The stream version you last saw; a mismatch is 412.' },
];
const commandResult = z.object({ id: z.string(), streamVersion: z.number(), position: z.string().nullable(), events: z.array(z.unknown()) });

registerOperation({
  method: 'post',
  path: '/v1/cases',
  tag: 'cases',
  summary: 'Open a case: the application is submitted (office or portal)',
  description: 'Personal data (applicant, child) is encrypted under a key per person before it reaches the event log.',
  headers: [commandHeadersDoc[0]],
  body: submitApplicationBody,
  responses: { 201: { description: 'The case was opened', schema: commandResult } },
});
registerOperation({
  method: 'post',
  path: '/v1/cases/:id/actions',
  tag: 'cases',
  summary: 'Record a procedural action on a case (the body\'s `type` picks it)',
  params: idParams,
  headers: commandHeadersDoc,
  body: caseActionBody,
  responses: { 201: { description: 'Recorded', schema: commandResult }, 200: { description: 'A repeat that changes nothing' } },
});
registerOperation({
  method: 'get',
  path: '/v1/cases',
  tag: 'cases',
  summary: 'Cases: filter by provider, service, stage, status, executor, overdue now, application dates; newest first, cursor pages',
  query: listCasesQuery,
  responses: { 200: { description: '{ items, nextCursor }' } },
});
registerOperation({
  method: 'get',
  path: '/v1/cases/:id/verify',
  tag: 'cases',
  summary: "Verify the case's hash chain: every event still matches its hash and links to the one before",
  description: 'Answers 200 with ok:false and the first broken link (event id, version, position, reason) when the stored history was altered.',
  params: idParams,
  responses: { 200: { description: '{ ok, checked, firstBroken }' } },
});
registerOperation({ method: 'get', path: '/v1/cases/:id', tag: 'cases', summary: 'A case: its state and steps with norm, start, due, done and verdict', params: idParams, responses: { 200: { description: 'The case' } } });

const WRITERS = ['clerk', 'head', 'executor', 'admin', 'applicant', 'system'] as const;

function send(reply: FastifyReply, result: CommandResult) {
  reply
    .status(result.events.length === 0 ? 200 : 201)
    .header('etag', `"${result.streamVersion}"`)
    .header('location', `/v1/cases/${result.id}`);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.send({ id: result.id, streamVersion: result.streamVersion, position: result.position, events: result.events });
}

@Controller('v1/cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: CaseQueries,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  @Get()
  async list(@Query() query: unknown, @CurrentActor() actor: Actor) {
    return listCases(this.runtime.readModels, this.runtime.providers, actor, parseOr400(listCasesQuery, query, 'query'));
  }

  @Post()
  @Roles('clerk', 'head', 'executor', 'applicant', 'system')
  @HttpCode(201)
  async open(@Body() raw: unknown, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = parseOr400(submitApplicationBody, raw, 'body');
    const headers = commandHeaders(request, actor, raw);
    const caseId = headers.idempotency ? deterministicUuid('case', actor.userId, headers.idempotency.key) : newUuid();
    const result = await this.commands.execute<RecordCaseAction, CommandResult>(
      new RecordCaseAction(caseId, { ...body, type: 'SubmitApplication' }, actor, { idempotency: headers.idempotency }),
    );
    return send(reply, result);
  }

  @Post(':id/actions')
  @Roles(...WRITERS)
  async act(@Param() params: unknown, @Body() raw: unknown, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { id } = parseOr400(idParams, params, 'params');
    const body = parseOr400(caseActionBody, raw, 'body');
    const headers = commandHeaders(request, actor, raw);
    const result = await this.commands.execute<RecordCaseAction, CommandResult>(new RecordCaseAction(id, body, actor, headers));
    return send(reply, result);
  }

  @Get(':id/verify')
  @Roles('investigator', 'quality-control', 'admin', 'director', 'head')
  async verify(@Param() params: unknown, @CurrentActor() actor: Actor) {
    const { id } = parseOr400(idParams, params, 'params');
    const events = await this.runtime.eventStore.readStream(caseStreamId(id));
    if (events.length === 0) throw notFound(`No case ${id}.`);
    const submitted = events[0].data as { providerId?: string };
    if ((actor.role === 'director' || actor.role === 'head') && submitted.providerId !== actor.providerId) {
      throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} of ${actor.providerId} may verify only its own cases.`);
    }
    return { id, ...verifyStream(caseStreamId(id), events) };
  }

  @Get(':id')
  async get(@Param() params: unknown, @CurrentActor() actor: Actor) {
    const { id } = parseOr400(idParams, params, 'params');
    const found = await this.queries.getCase(id, actor);
    if (!found) throw notFound(`No case ${id}.`);
    return found;
  }
}

@Module({ controllers: [CasesController], providers: [CaseCommandHandler, CaseQueries] })
export class CasesModule {}
