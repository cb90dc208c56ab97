import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { z } from 'zod';
import { CASE_STAGES } from '@sped/domain';
import { DELIVERY_STATUSES, readMonitoringDeliveries, readMonitoringFeed } from '@sped/read-models';
import { CurrentActor, PROVIDER_ROLES, Roles, type Actor } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { forbidden } from '../http/problem.js';
import { code } from '../http/schemas.js';
import { parseOr400 } from '../http/validation.js';
import { RUNTIME, type Runtime } from '../runtime.js';

const INT8_MAX = 9_223_372_036_854_775_807n;
const cursor = z
  .string({ message: 'must be a string' })
  .refine((v) => /^\d{1,19}$/.test(v) && BigInt(v) <= INT8_MAX, 'must be a cursor: the nextCursor of an earlier page (a whole number)');
const limit = (max: number, fallback: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, `must be 1-${max}`).max(max, `must be 1-${max}`).default(fallback);

const feedQuery = z.strictObject({
  after: cursor.optional(),
  limit: limit(1000, 100),
  providerId: code(100).optional(),
});
const deliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES, { message: `must be ${DELIVERY_STATUSES.join(', ')}` }).optional(),
  after: cursor.optional(),
  limit: limit(1000, 100),
});

const localized = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
const stage = z.enum(CASE_STAGES);
const stageRecord = z.object({
  recordId: z.uuid().describe('Deterministic from the event that changed the stage: a redelivered event never makes a second record'),
  cursor: z.string().describe('Global position of that event; strictly increasing along the feed'),
  caseId: z.uuid(),
  serviceCode: z.string(),
  providerId: z.string(),
  stage,
  previousStage: stage.nullable(),
  action: z.string().describe('The event type that moved the case, e.g. ExecutorAppointed'),
  occurredAt: z.string().describe('When the action happened (UTC)'),
  recordedAt: z.string().describe('When it was recorded in the event log (UTC)'),
  channel: z.string(),
  regulationId: z.string(),
  result: z.object({ documentKinds: z.array(localized), documentNumber: z.string().nullable() }).nullable().describe('Set on the issued stage'),
  refusal: z
    .object({ grounds: z.array(z.object({ code: z.string(), text: localized.nullable() })), form: z.enum(['paper', 'electronic']).nullable() })
    .nullable()
    .describe('Set on the refused stage; the free-text motivation is never included'),
});
const delivery = z.object({
  recordId: z.uuid(),
  cursor: z.string(),
  caseId: z.uuid(),
  providerId: z.string(),
  stage,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  batchId: z.uuid().nullable(),
});

registerOperation({
  method: 'get',
  path: '/v1/monitoring/feed',
  tag: 'monitoring',
  summary: 'Stage records of cases for the state monitoring system (Law on public services, Art. 5(2)(11))',
  description:
    'One record per stage change of a case, in cursor order. Page with `after=<nextCursor>`: no record is skipped or repeated. ' +
    '`nextCursor` is the `after` to ask next; it equals the `after` you sent when nothing new has been recorded. ' +
    'Provider staff see only their provider\'s records. No personal data.',
  query: feedQuery,
  responses: { 200: { description: 'A page of stage records', schema: z.object({ items: z.array(stageRecord), nextCursor: z.string() }) } },
});
registerOperation({
  method: 'get',
  path: '/v1/monitoring/deliveries',
  tag: 'monitoring',
  summary: 'Delivery of the stage records to MONITORING_URL: pending, failed (with attempts and the last error) or delivered',
  query: deliveriesQuery,
  responses: {
    200: {
      description: 'Delivery status per record, in cursor order, with totals',
      schema: z.object({ items: z.array(delivery), nextCursor: z.string(), counts: z.object({ pending: z.number(), failed: z.number(), delivered: z.number() }) }),
    },
  },
});

/** Provider staff may read the records of their own provider (what was reported on its behalf). */
function scopedProvider(actor: Actor, asked: string | undefined): string | undefined {
  if (!PROVIDER_ROLES.includes(actor.role)) return asked;
  if (asked !== undefined && asked !== actor.providerId) {
    throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} of ${actor.providerId} sees only that provider's monitoring records.`);
  }
  return actor.providerId ?? undefined;
}

@Controller('v1/monitoring')
export class MonitoringController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Get('feed')
  @Roles('quality-control', 'investigator', 'admin', 'system', 'clerk', 'head', 'executor', 'director')
  async feed(@Query() query: unknown, @CurrentActor() actor: Actor) {
    const q = parseOr400(feedQuery, query, 'query');
    return readMonitoringFeed(this.runtime.readModels, { after: q.after, limit: q.limit, providerId: scopedProvider(actor, q.providerId) });
  }

  /** Operating the delivery is the authorized body's and the operator's concern, not a provider's. */
  @Get('deliveries')
  @Roles('quality-control', 'investigator', 'admin', 'system')
  async deliveries(@Query() query: unknown) {
    const q = parseOr400(deliveriesQuery, query, 'query');
    return readMonitoringDeliveries(this.runtime.readModels, q);
  }
}

@Module({ controllers: [MonitoringController] })
export class MonitoringModule {}
