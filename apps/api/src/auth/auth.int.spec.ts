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
