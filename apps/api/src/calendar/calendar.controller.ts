import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { z } from 'zod';
import { dueAt, listDays, MAX_LISTED_DAYS, DEFAULT_SCHEDULE, NORM_UNITS } from '@sped/regulations';
import { Public } from '../auth/auth.js';
import { badRequest } from '../http/problem.js';
import { parseOr400 } from '../http/validation.js';
import { registerOperation } from '../docs/openapi.js';
import { RUNTIME, type Runtime } from '../runtime.js';

const isoInstant = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
  message: 'must be an ISO-8601 instant with an offset, e.g. 2024-03-29T10:15:00+05:00',
});
const isoDate = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) === v, { message: 'must be a date YYYY-MM-DD' });

const dueQuery = z.strictObject({
  from: isoInstant,
  amount: z.coerce.number({ message: 'must be a number' }).positive('must be greater than 0').max(100000, 'must be at most 100000'),
  unit: z.enum(NORM_UNITS as unknown as [string, ...string[]], { message: `must be one of ${NORM_UNITS.join(', ')}` }),
  providerId: z.string().min(1).max(100).optional(),
});
const dueResponse = z.object({ dueAt: z.string(), lastDay: z.string().nullable(), provisional: z.boolean(), schedule: z.unknown() });

const daysQuery = z.strictObject({ from: isoDate, to: isoDate });

registerOperation({
  method: 'get',
  path: '/v1/calendar/due',
  tag: 'calendar',
  public: true,
  summary: 'When a term expires',
  description:
    'Terms per the Law on administrative procedures Art. 12-1: day terms start the day after the starting event and expire at 00:00 local after their last day; minutes and hours count working time (09:00-13:00, 14:00-18:00 Asia/Almaty by default).',
  query: dueQuery,
  responses: { 200: { description: 'The instant the term expires, with the local offset', schema: dueResponse } },
});
registerOperation({
  method: 'get',
  path: '/v1/calendar/days',
  tag: 'calendar',
  public: true,
  summary: 'Working and non-working days with the reason',
  query: daysQuery,
  responses: { 200: { description: 'One entry per day' } },
});

@Controller('v1/calendar')
export class CalendarController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Public()
  @Get('due')
  due(@Query() query: unknown) {
    const q = parseOr400(dueQuery, query, 'query');
    const unit = q.unit as (typeof NORM_UNITS)[number];
    if ((unit === 'working-days' || unit === 'calendar-days') && !Number.isInteger(q.amount)) {
      throw badRequest('A day term needs a whole number of days.', [{ field: 'query.amount', message: 'must be a whole number for day terms' }]);
    }
    if (q.providerId && !this.runtime.providers.get(q.providerId)) {
      throw badRequest(`No provider ${q.providerId} is known.`, [{ field: 'query.providerId', message: 'unknown provider' }]);
    }
    const schedule = q.providerId ? this.runtime.providers.scheduleOf(q.providerId) : DEFAULT_SCHEDULE;
    try {
      const r = dueAt(q.from, q.amount, unit, schedule);
      return { dueAt: r.dueAtLocal, lastDay: r.lastDay, provisional: r.provisional, schedule: { providerId: q.providerId ?? null, periods: schedule.periods } };
    } catch (error) {
      if (error instanceof RangeError) throw badRequest(error.message, [{ field: 'query.from', message: error.message }]);
      throw error;
    }
  }

  @Public()
  @Get('days')
  days(@Query() query: unknown) {
    const q = parseOr400(daysQuery, query, 'query');
    if (q.to < q.from) throw badRequest('`to` is before `from`.', [{ field: 'query.to', message: 'must not be before from' }]);
    try {
      const days = listDays(q.from, q.to);
      return { from: q.from, to: q.to, provisional: days.some((d) => d.provisional), days };
    } catch (error) {
      if (error instanceof RangeError) throw badRequest(error.message, [{ field: 'query', message: `${error.message} (at most ${MAX_LISTED_DAYS} days, years 2018 onward)` }]);
      throw error;
    }
  }
}

@Module({ controllers: [CalendarController] })
export class CalendarModule {}
