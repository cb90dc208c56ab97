import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadConfig } from '@sped/platform';
import { TokenVerifier } from './auth.js';

describe('Bearer tokens from a real identity provider (JWKS)', () => {
  let server: Server;
  let url: string;
  let sign: (claims: Record<string, unknown>, sub?: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
    sign = (claims, sub = 'user-1') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(sub).setIssuer('https://idp.test').setExpirationTime('5m').sign(privateKey);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const verifier = () => new TokenVerifier(loadConfig({ JWT_JWKS_URL: url, JWT_ISSUER: 'https://idp.test', DATA_DIR: '/tmp/unused' }));

  it('accepts a token signed by a key the JWKS publishes and reads the actor from its claims', async () => {
    const actor = await verifier().verify(`Bearer ${await sign({ role: 'head', providerId: 'school-1' })}`);
    expect(actor).toEqual({ userId: 'user-1', role: 'head', providerId: 'school-1' });
  });

  it('refuses a token from another issuer', async () => {
    const other = await new SignJWT({ role: 'head', providerId: 'p' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode('x'.repeat(40)));
    await expect(verifier().verify(`Bearer ${other}`)).rejects.toThrow(/token is not valid/);
  });

  it('refuses a provider role without a providerId claim', async () => {
    await expect(verifier().verify(`Bearer ${await sign({ role: 'clerk' })}`)).rejects.toThrow(/must carry a providerId claim/);
  });

  it('refuses an unknown role', async () => {
    await expect(verifier().verify(`Bearer ${await sign({ role: 'superuser' })}`)).rejects.toThrow(/role claim must be one of/);
  });
});

describe('Tokens verified once are remembered until they expire', () => {
  const secret = 's'.repeat(40);
  const verifier = () => new TokenVerifier(loadConfig({ JWT_SECRET: secret, DATA_DIR: '/tmp/unused' }));
  const hs = (claims: Record<string, unknown>, exp: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-2').setExpirationTime(exp).sign(new TextEncoder().encode(secret));

  afterEach(() => {
    jest.useRealTimers();
  });

  it('refuses a remembered token once its exp has passed', async () => {
    const start = Date.parse('2026-03-02T04:00:00Z');
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const v = verifier();
    const token = await hs({ role: 'director', providerId: 'school-1' }, Math.floor(start / 1000) + 60);
    expect(await v.verify(`Bearer ${token}`)).toEqual({ userId: 'user-2', role: 'director', providerId: 'school-1' });
    // Remembered: the same answer again within its lifetime.
    jest.setSystemTime(start + 59_000);
    expect((await v.verify(`Bearer ${token}`)).role).toBe('director');
    jest.setSystemTime(start + 61_000);
    await expect(v.verify(`Bearer ${token}`)).rejects.toThrow(/token is not valid/);
  });

  it('does not take a token that differs from a remembered one in its signature', async () => {
    const v = verifier();
    const token = await hs({ role: 'director', providerId: 'school-1' }, Math.floor(Date.now() / 1000) + 600);
    await v.verify(`Bearer ${token}`);
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    await expect(v.verify(`Bearer ${forged}`)).rejects.toThrow(/token is not valid/);
  });
});
