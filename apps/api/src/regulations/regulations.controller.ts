import { Controller, Get, Module, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { listComplaintTerms, listRegulations, RegulationGapError, regulationFor, SERVICE_CODES, type ServiceCode } from '@sped/regulations';
import { Public } from '../auth/auth.js';
import { ProblemError } from '../http/problem.js';
import { parseOr400 } from '../http/validation.js';
import { registerOperation } from '../docs/openapi.js';

const serviceParams = z.strictObject({
  service: z.enum(SERVICE_CODES as unknown as [string, ...string[]], { message: `must be one of ${SERVICE_CODES.join(', ')}` }),
});
const atQuery = z.strictObject({
  at: z
    .string()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) === v, { message: 'must be a date YYYY-MM-DD' })
    .optional(),
});

registerOperation({ method: 'get', path: '/v1/regulations', tag: 'regulations', public: true, summary: 'Every regulation version and complaint-terms version, with legal sources', responses: { 200: { description: 'Versions' } } });
registerOperation({
  method: 'get',
  path: '/v1/regulations/:service',
  tag: 'regulations',
  public: true,
  summary: "The service's regulation in force on a date (Almaty local date; default today)",
  params: serviceParams,
  query: atQuery,
  responses: { 200: { description: 'The version in force and the service with its steps and norms' } },
});

const almatyToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());

@Controller('v1/regulations')
export class RegulationsController {
  @Public()
  @Get()
  list() {
    return {
      regulations: listRegulations().map((r) => ({
        id: r.id,
        title: r.title,
        source: r.source,
        inForce: r.inForce,
        services: r.services.map((s) => ({ code: s.code, name: s.name, channels: s.channels, steps: s.steps.length })),
      })),
      complaintTerms: listComplaintTerms(),
    };
  }

  @Public()
  @Get(':service')
  inForce(@Param() params: unknown, @Query() query: unknown) {
    const { service } = parseOr400(serviceParams, params, 'params');
    const { at } = parseOr400(atQuery, query, 'query');
    const date = at ?? almatyToday();
    try {
      const r = regulationFor(service as ServiceCode, date);
      const { services: _services, ...regulation } = r.regulation;
      return { at: date, regulation, service: r.service };
    } catch (error) {
      if (error instanceof RegulationGapError) {
        throw new ProblemError(404, 'NO_REGULATION_IN_FORCE', 'No regulation in force', error.message, [{ field: at ? 'query.at' : 'params.service', message: error.message }]);
      }
      throw error;
    }
  }
}

@Module({ controllers: [RegulationsController] })
export class RegulationsModule {}
