import { Body, Controller, Get, HttpCode, Inject, Module, Post } from '@nestjs/common';
import { z } from 'zod';
import { registerOperation } from '../docs/openapi.js';
import { badRequest, notFound } from '../http/problem.js';
import { code } from '../http/schemas.js';
import { parseOr400 } from '../http/validation.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { CurrentActor, mintToken, PROVIDER_ROLES, Public, resolveSecret, type Actor, type Role } from './auth.js';

/** The roles a demo sign-in offers: people who look at the dashboard or record actions (no service accounts). */
export const DEMO_ROLES = ['quality-control', 'director', 'investigator', 'head', 'clerk', 'executor', 'admin'] as const satisfies readonly Role[];

const demoTokenBody = z.strictObject({
  role: z.enum(DEMO_ROLES, { message: `must be one of ${DEMO_ROLES.join(', ')}` }),
  providerId: code(100).nullable().optional(),
});

registerOperation({
  method: 'post',
  path: '/v1/auth/demo-token',
  tag: 'auth',
  public: true,
  summary: 'Mint a demo token for a role (and provider) when DEMO_TOKENS is on (by default in embedded mode only); 404 otherwise',
  description: 'For trying the dashboard without an identity provider. Signed with the same secret as `npm run token`; valid 8 hours.',
  body: demoTokenBody,
  responses: { 201: { description: '{ token, actor }' } },
});
registerOperation({
  method: 'get',
  path: '/v1/auth/demo-roles',
  tag: 'auth',
  public: true,
  summary: 'The roles a demo sign-in offers; 404 when demo tokens are off',
  responses: { 200: { description: '{ roles, providerRoles }' } },
});
registerOperation({ method: 'get', path: '/v1/auth/me', tag: 'auth', summary: 'Who the bearer token says you are: user id, role, provider', responses: { 200: { description: 'The actor' } } });

@Controller('v1/auth')
export class AuthController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  private assertDemoTokens() {
    const { config } = this.runtime;
    if (!config.demoTokens) throw notFound('Demo tokens are off on this server: set DEMO_TOKENS=true to mint them (they are on by default in embedded mode).');
    if (config.jwtJwksUrl) throw notFound('Demo tokens are off: tokens come from the identity provider at JWT_JWKS_URL.');
  }

  @Public()
  @Get('demo-roles')
  demoRoles() {
    this.assertDemoTokens();
    return { roles: DEMO_ROLES, providerRoles: DEMO_ROLES.filter((r) => PROVIDER_ROLES.includes(r)) };
  }

  @Public()
  @Post('demo-token')
  @HttpCode(201)
  async demoToken(@Body() raw: unknown) {
    this.assertDemoTokens();
    const body = parseOr400(demoTokenBody, raw, 'body');
    const scoped = PROVIDER_ROLES.includes(body.role);
    const providerId = scoped ? body.providerId : null;
    if (scoped && !providerId) throw badRequest(`A ${body.role} works for a provider: name it.`, [{ field: 'providerId', message: `is required for the ${body.role} role` }]);
    if (providerId && !this.runtime.providers.get(providerId)) throw badRequest(`No provider ${providerId} in the directory.`, [{ field: 'providerId', message: 'must be a provider of GET /v1/providers' }]);
    const actor: Actor = { userId: `demo-${body.role}${providerId ? `-${providerId}` : ''}`, role: body.role, providerId: providerId ?? null };
    const { config } = this.runtime;
    const token = await mintToken(resolveSecret(config).secret, { sub: actor.userId, role: actor.role, providerId: actor.providerId, name: `Demo ${body.role}` }, config);
    return { token, actor };
  }

  @Get('me')
  me(@CurrentActor() actor: Actor) {
    const provider = actor.providerId ? this.runtime.providers.get(actor.providerId) : undefined;
    return { ...actor, provider: provider ? { id: provider.id, name: provider.name } : null };
  }
}

@Module({ controllers: [AuthController] })
export class AuthModule {}
