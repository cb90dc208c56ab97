import { Controller, Get, Inject, Module } from '@nestjs/common';
import { Public } from '../auth/auth.js';
import { registerOperation } from '../docs/openapi.js';
import { RUNTIME, type Runtime } from '../runtime.js';

registerOperation({
  method: 'get',
  path: '/v1/providers',
  tag: 'providers',
  public: true,
  summary: 'The provider directory: id, names in Kazakh, Russian and English, kind, region and the services each provides',
  responses: { 200: { description: '{ items }' } },
});

@Controller('v1/providers')
export class ProvidersController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  /** Public: the sign-in page lists providers before anyone has a token, and the names are public record. */
  @Public()
  @Get()
  list() {
    return { items: this.runtime.providers.providers.map((p) => ({ id: p.id, name: p.name, kind: p.kind, region: p.region, services: p.services })) };
  }
}

@Module({ controllers: [ProvidersController] })
export class ProvidersModule {}
