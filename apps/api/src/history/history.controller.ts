import { Controller, Get, Header, Inject, Injectable, Module, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { caseStreamId, complaintStreamId } from '@sped/domain';
import type { RecordedEvent } from '@sped/event-store';
import { regulationById } from '@sped/regulations';
import { CurrentActor, Roles, type Actor } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { badRequest, forbidden, notFound } from '../http/problem.js';
import { uuid } from '../http/schemas.js';
import { parseOr400 } from '../http/validation.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { epochMicros, replayCaseHistory, replayComplaintHistory, type HistoryCut } from './history.replay.js';

const idParams = z.strictObject({ id: uuid });

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const historyQuery = z
  .strictObject({
    at: z
      .string({ message: 'must be a single instant' })
      .max(40, 'must be an ISO-8601 instant with an offset')
      .refine((v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)), {
        message: 'must be an ISO-8601 instant with an offset, e.g. 2019-06-10T12:00:00+06:00 (in a URL write + as %2B)',
      })
      .optional()
      .describe('Replay what was recorded at or before this instant (ISO-8601 with Z or an offset); verdicts are judged at it.'),
    position: z
      .string({ message: 'must be a single number' })
      .regex(/^[1-9]\d{0,17}$/, 'must be a positive integer (a global position of the event log)')
      .optional()
      .describe('Replay up to and including this global position of the event log; verdicts are judged at the instant its event was recorded.'),
  })
  .superRefine((q, ctx) => {
    if (q.at !== undefined && q.position !== undefined) ctx.addIssue({ code: 'custom', path: ['position'], message: 'give either at or position, not both' });
  });
type HistoryQuery = z.infer<typeof historyQuery>;

const PROVIDER_SCOPED = new Set(['clerk', 'head', 'executor', 'director']);
const READERS = ['clerk', 'head', 'executor', 'director', 'quality-control', 'investigator', 'admin'] as const;

const DESCRIPTION =
  'Replayed from the event store, not from a read model. Basis: what was recorded — `at` keeps the events the store ' +
  'took at or before that instant (an action dated earlier but recorded later is not in the state then and is listed ' +
  'in `recordedLater`); `position` keeps the events at or before that global position and judges at the instant the ' +
  'event there was recorded; neither = everything, judged now. Each step carries the norm that applied (regulation and ' +
  'legal source) and its verdict as known at that point. `recordedLate` flags an event recorded after the end of the ' +
  'first working day following the day it happened. Personal data never leaves: sealed fields read "sealed". ' +
  'Provider staff and directors see their own provider\'s records only. See docs/history.md.';

registerOperation({
  method: 'get',
  path: '/v1/cases/:id/history',
  tag: 'history',
  summary: "A case's history as the record stood at an instant or a position: events, state, steps with norm and verdict then",
  description: DESCRIPTION,
  params: idParams,
  query: historyQuery,
  responses: { 200: { description: 'The replayed history' } },
});
registerOperation({
  method: 'get',
  path: '/v1/complaints/:id/history',
  tag: 'history',
  summary: "A complaint's history as the record stood at an instant or a position: events, state, review term and verdict then",
  description: DESCRIPTION,
  params: idParams,
  query: historyQuery,
  responses: { 200: { description: 'The replayed history' } },
});

/** Replays a stream read through the history cache (see `read`). */
@Injectable()
export class HistoryQueries {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async caseHistory(id: string, query: HistoryQuery, actor: Actor, now = new Date()) {
    const events = await this.read(caseStreamId(id), query, now);
    if (!events.length) throw notFound(`No case ${id}.`);
    const submitted = events[0].data as { providerId?: string; regulationId?: string };
    this.assertScope(actor, submitted.providerId, 'cases');
    const cut = await this.resolveCut(query, events, now);
    return {
      caseId: id,
      ...replayCaseHistory({
        events,
        cut,
        regulation: submitted.regulationId ? regulationById(submitted.regulationId) : undefined,
        schedule: this.runtime.providers.scheduleOf(submitted.providerId ?? ''),
      }),
    };
  }

  async complaintHistory(id: string, query: HistoryQuery, actor: Actor, now = new Date()) {
    const events = await this.read(complaintStreamId(id), query, now);
    if (!events.length) throw notFound(`No complaint ${id}.`);
    this.assertScope(actor, (events[0].data as { providerId?: string }).providerId, 'complaints');
    return { complaintId: id, ...replayComplaintHistory({ events, cut: await this.resolveCut(query, events, now) }) };
  }

  /**
   * The whole stream: the replay makes the cut itself (what was recorded by then, and what came later for
   * `recordedLater`). From the history cache, which reads only the events newer than it keeps: moving
   * through one case's history at many cuts reads the stream once.
   */
  private async read(streamId: string, query: HistoryQuery, now: Date): Promise<RecordedEvent[]> {
    if (query.at !== undefined && epochMicros(query.at) > (now.getTime() + this.runtime.config.clockSkewMs) * 1000) {
      throw badRequest('at lies in the future: the record only knows what has been recorded so far.', [{ field: 'query.at', message: 'must not be in the future' }]);
    }
    return this.runtime.historyCache.read(streamId);
  }

  /** A position is judged at the instant its event was recorded: this stream's, or otherwise the log's event there. */
  private async resolveCut(query: HistoryQuery, events: RecordedEvent[], now: Date): Promise<HistoryCut> {
    if (query.at !== undefined) return { kind: 'at', at: query.at };
    if (query.position === undefined) return { kind: 'everything', now: now.toISOString() };
    const position = query.position;
    let recordedAt = events.find((e) => e.position === position)?.recordedAt;
    if (recordedAt === undefined) {
      const [there] = await this.runtime.eventStore.readAll({ after: (BigInt(position) - 1n).toString(), limit: 1 });
      if (there?.position !== position) {
        throw badRequest(`No event of the log is at position ${position}.`, [{ field: 'query.position', message: 'no event is recorded at this position' }]);
      }
      recordedAt = there.recordedAt;
    }
    return { kind: 'position', position, at: recordedAt };
  }

  private assertScope(actor: Actor, providerId: string | undefined, what: string) {
    if (PROVIDER_SCOPED.has(actor.role) && actor.providerId !== providerId) {
      throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} of ${actor.providerId} may not see the history of ${what} of another provider.`);
    }
  }
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * The body as UTF-8 JSON, the same bytes Fastify's default serializer would send. A long case's history is
 * half a megabyte of JSON, and Fastify given the object would measure the string (Buffer.byteLength, a full
 * pass over it) and then encode it again when writing it to the socket; encoding it once here saves a pass.
 */
function utf8Json(body: unknown): Buffer {
  return Buffer.from(JSON.stringify(body));
}

@Controller('v1')
export class HistoryController {
  constructor(private readonly queries: HistoryQueries) {}

  @Get('cases/:id/history')
  @Roles(...READERS)
  @Header('content-type', JSON_UTF8)
  async caseHistory(@Param() params: unknown, @Query() query: unknown, @CurrentActor() actor: Actor) {
    const { id } = parseOr400(idParams, params, 'params');
    return utf8Json(await this.queries.caseHistory(id, parseOr400(historyQuery, query, 'query'), actor));
  }

  @Get('complaints/:id/history')
  @Roles(...READERS)
  @Header('content-type', JSON_UTF8)
  async complaintHistory(@Param() params: unknown, @Query() query: unknown, @CurrentActor() actor: Actor) {
    const { id } = parseOr400(idParams, params, 'params');
    return utf8Json(await this.queries.complaintHistory(id, parseOr400(historyQuery, query, 'query'), actor));
  }
}

@Module({ controllers: [HistoryController], providers: [HistoryQueries] })
export class HistoryModule {}
