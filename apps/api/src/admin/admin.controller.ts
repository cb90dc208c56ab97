import { Body, Controller, Get, Inject, Module, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ALL_PROJECTIONS, ProjectionCheckpoint, RebuildAlreadyRunningError, UnknownProjectionError } from '@sped/read-models';
import { Roles } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { notFound, ProblemError } from '../http/problem.js';
import { parseOr400 } from '../http/validation.js';
import { RUNTIME, type Runtime } from '../runtime.js';

const nameParams = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a projection name such as case-summary'),
});
// A rebuild takes no options; an empty JSON object (or no body) is accepted.
const rebuildBody = z.strictObject({}).optional();

const progress = z.object({
  phase: z.enum(['preparing', 'building', 'swapping', 'done']),
  position: z.string().describe('Last global position applied to the new tables'),
  head: z.string().describe('The event log head when last looked at'),
  events: z.number().int(),
  eventsPerSecond: z.number(),
  elapsedMs: z.number().int(),
});
const rebuildView = z.object({
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress,
  error: z.string().nullable(),
});
const projectionView = z.object({
  name: z.string(),
  state: z.enum(['starting', 'running', 'paused', 'failed', 'stopped']),
  position: z.string().describe('Last global position applied to the live model'),
  lag: z.number().int().nullable().describe('Events between the log head and the position; null when the log is unreachable'),
  error: z.string().nullable().describe('Why a failed projection stopped, naming the event'),
  rebuild: rebuildView.nullable().describe('The latest rebuild started by this process'),
});
const projectionsResponse = z.object({
  inProcess: z.boolean().describe('Whether this process runs the projector (only then can it rebuild)'),
  head: z.string().nullable(),
  projections: z.array(projectionView),
});

registerOperation({
  method: 'get',
  path: '/v1/admin/projections',
  tag: 'admin',
  summary: 'Read models: state, position, lag, failure, rebuild progress',
  description: 'Admins only. Without a projector in this process, the state comes from the stored checkpoints.',
  responses: { 200: { description: 'Each projection', schema: projectionsResponse } },
});
registerOperation({
  method: 'post',
  path: '/v1/admin/projections/:name/rebuild',
  tag: 'admin',
  summary: 'Rebuild a read model from the event log and swap it in when caught up',
  description:
    'Admins only. Builds the model anew in tables of its own while the live one keeps serving, then swaps them in one transaction; ' +
    'a projection stopped by an event it could not apply runs again once rebuilt. Progress: GET /v1/admin/projections. ' +
    '409 when a rebuild of it is already running; 503 when this process runs no projector (use `npm run rebuild` beside the projector).',
  params: nameParams,
  responses: { 202: { description: 'Started', schema: z.object({ name: z.string(), status: z.literal('running') }) } },
});

@Controller('v1/admin/projections')
export class AdminProjectionsController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Get()
  @Roles('admin')
  async list() {
    const { projector, eventStore, readModels } = this.runtime;
    const head = await eventStore.headPosition().catch(() => null);
    const lag = (position: string) => (head === null ? null : Math.max(0, Number(BigInt(head) - BigInt(position))));
    if (!projector) {
      const rows = await readModels.getRepository(ProjectionCheckpoint).find({ order: { name: 'ASC' } });
      const byName = new Map(rows.map((r) => [r.name, r]));
      return {
        inProcess: false,
        head,
        projections: ALL_PROJECTIONS.map((p) => {
          const row = byName.get(p.name);
          return { name: p.name, state: row?.status ?? 'starting', position: row?.position ?? '0', lag: lag(row?.position ?? '0'), error: row?.error ?? null, rebuild: null };
        }),
      };
    }
    const rebuilds = new Map(projector.rebuildStatus().map((r) => [r.name, r]));
    return {
      inProcess: true,
      head,
      projections: projector.status().map((s) => {
        const r = rebuilds.get(s.name);
        const { projection: _projection, ...rest } = r?.progress ?? { projection: '' };
        return {
          name: s.name,
          state: s.state,
          position: s.position,
          lag: lag(s.position),
          error: s.error ?? null,
          rebuild: r ? { status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt ?? null, progress: rest, error: r.error ?? null } : null,
        };
      }),
    };
  }

  @Post(':name/rebuild')
  @Roles('admin')
  async rebuild(@Param() params: unknown, @Body() raw: unknown, @Res() reply: FastifyReply) {
    const { name } = parseOr400(nameParams, params, 'params');
    parseOr400(rebuildBody, raw, 'body');
    const { projector, logger } = this.runtime;
    if (!projector) {
      throw new ProblemError(503, 'PROJECTOR_NOT_IN_PROCESS', 'This process runs no projector', 'This api process runs no projector (RUN_PROJECTOR=false): rebuild with `npm run rebuild -- <projection>` on a host that reaches the database.');
    }
    try {
      const { done } = await projector.startRebuild(name);
      done.catch((error: unknown) => logger.error({ projection: name, err: String(error) }, 'rebuild requested through the admin API failed'));
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw notFound(error.message);
      if (error instanceof RebuildAlreadyRunningError) throw new ProblemError(409, 'REBUILD_RUNNING', 'A rebuild is already running', error.message);
      throw error;
    }
    return reply.status(202).header('location', '/v1/admin/projections').send({ name, status: 'running' });
  }
}

@Module({ controllers: [AdminProjectionsController] })
export class AdminModule {}
