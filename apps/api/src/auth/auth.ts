import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createParamDecorator, type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '@sped/platform';
import { ProblemError } from '../http/problem.js';
import { APP_CONFIG } from '../runtime.js';

/**
 * Token roles. Besides DESIGN.md's seven: `applicant` (a citizen through the portal) and `system`
 * (service accounts: the e-government portal gateway, the deadline sweeper).
 */
export const ROLES = ['clerk', 'head', 'executor', 'director', 'quality-control', 'investigator', 'admin', 'applicant', 'system'] as const;
export type Role = (typeof ROLES)[number];
export const PROVIDER_ROLES: readonly Role[] = ['clerk', 'head', 'executor', 'director'];

/** Who is acting, from the verified token (never from the request body). */
export interface Actor {
  userId: string;
  role: Role;
  providerId: string | null;
}

const DEV_SECRET_FILE = 'dev-jwt-secret';

/** The HS256 secret: JWT_SECRET, or one generated once into DATA_DIR for development. */
export function resolveSecret(config: AppConfig): { secret: Uint8Array; source: 'JWT_SECRET' | 'DATA_DIR' } {
  if (config.jwtSecret) return { secret: new TextEncoder().encode(config.jwtSecret), source: 'JWT_SECRET' };
  const file = path.join(config.dataDir, DEV_SECRET_FILE);
  let value: string;
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    value = randomBytes(48).toString('base64url');
    writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  }
  return { secret: new TextEncoder().encode(value), source: 'DATA_DIR' };
}

export interface MintOptions {
  sub: string;
  role: Role;
  providerId?: string | null;
  name?: string;
  ttl?: string;
}

export async function mintToken(secret: Uint8Array, o: MintOptions, config?: Pick<AppConfig, 'jwtIssuer' | 'jwtAudience'>): Promise<string> {
  let jwt = new SignJWT({ role: o.role, ...(o.providerId ? { providerId: o.providerId } : {}), ...(o.name ? { name: o.name } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(o.sub)
    .setIssuedAt()
    .setExpirationTime(o.ttl ?? '8h');
  if (config?.jwtIssuer) jwt = jwt.setIssuer(config.jwtIssuer);
  if (config?.jwtAudience) jwt = jwt.setAudience(config.jwtAudience);
  return jwt.sign(secret);
}

const unauthorized = (detail: string) =>
  new ProblemError(401, 'UNAUTHENTICATED', 'Authentication required', detail, undefined, {}, { 'www-authenticate': 'Bearer realm="sped"' });

@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = config.jwtJwksUrl ? createRemoteJWKSet(new URL(config.jwtJwksUrl)) : resolveSecret(config).secret;
  }

  private readonly verified = new WeakMap<object, Promise<Actor>>();

  /** Verifies a request's token once, however many hooks and guards ask (the rate limit and the auth guard both do). */
  verifyRequest(request: FastifyRequest): Promise<Actor> {
    let actor = this.verified.get(request.raw);
    if (!actor) {
      actor = this.verify(request.headers.authorization);
      this.verified.set(request.raw, actor);
    }
    return actor;
  }

  /**
   * Tokens verified already, until they expire: a signature check (WebCrypto HMAC, or a JWKS key) per request
   * was the largest single cost of a command. Only verified tokens get in, keyed by their full text, so a
   * token that differs by one character is verified anew; each hit checks the expiry again. Bounded (oldest out).
   */
  private readonly accepted = new Map<string, { actor: Actor; expiresAtMs: number }>();
  private static readonly ACCEPTED_MAX = 10_000;

  async verify(authorization: string | undefined): Promise<Actor> {
    if (!authorization) throw unauthorized('Send an Authorization: Bearer <token> header.');
    const [scheme, token] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthorized('The Authorization header must be "Bearer <token>".');
    const known = this.accepted.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known.actor;
      this.accepted.delete(token);
    }
    return this.verifyToken(token);
  }

  private async verifyToken(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.config.jwtJwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'],
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
      };
      payload = (
        typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options)
      ).payload;
    } catch (error) {
      throw unauthorized(`The token is not valid: ${(error as Error).message}`);
    }
    const role = payload.role as Role;
    if (!ROLES.includes(role)) throw unauthorized(`The token's role claim must be one of ${ROLES.join(', ')}.`);
    if (!payload.sub) throw unauthorized('The token has no sub claim.');
    const providerId = typeof payload.providerId === 'string' ? payload.providerId : null;
    if (PROVIDER_ROLES.includes(role) && !providerId) throw unauthorized(`A ${role} token must carry a providerId claim.`);
    const actor: Actor = { userId: payload.sub, role, providerId };
    // A token without exp is verified every time; one not yet valid (nbf) was refused above.
    if (typeof payload.exp === 'number') {
      if (this.accepted.size >= TokenVerifier.ACCEPTED_MAX) this.accepted.delete(this.accepted.keys().next().value as string);
      this.accepted.set(token, { actor, expiresAtMs: payload.exp * 1000 });
    }
    return actor;
  }
}

const PUBLIC = 'sped:public';
const ALLOWED_ROLES = 'sped:roles';
/** The route needs no token (health, docs, public legal data). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

type RequestWithActor = FastifyRequest & { actor?: Actor };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const actor = await this.verifier.verifyRequest(request);
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ProblemError(403, 'ROLE_NOT_ALLOWED', 'Forbidden', `The ${actor.role} role may not ${request.method} ${request.url.split('?')[0]}; allowed: ${roles.join(', ')}.`);
    }
    return true;
  }
}

/** The verified actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw unauthorized('No verified actor on this request.');
  return actor;
});
