import { startTestServer, type TestServer } from '../testing/test-server.js';

describe('Demo sign-in for the dashboard', () => {
  describe('when demo tokens are on (DEMO_TOKENS=true)', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ DEMO_TOKENS: 'true' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('lists the roles a demo sign-in offers', async () => {
      const res = await t.request('GET', '/v1/auth/demo-roles');
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(expect.arrayContaining(['quality-control', 'director', 'investigator']));
      expect(res.body.roles).not.toContain('system');
      expect(res.body.providerRoles).toContain('director');
    });

    it('mints a director token that the API accepts and reads back as the director of that provider', async () => {
      const minted = await t.request('POST', '/v1/auth/demo-token', { body: { role: 'director', providerId: 'pmpc-almaty-1' } });
      expect(minted.status).toBe(201);
      const me = await t.request('GET', '/v1/auth/me', { token: minted.body.token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: 'director', providerId: 'pmpc-almaty-1', provider: { id: 'pmpc-almaty-1', name: { en: 'Almaty region PMPC No. 1' } } });
      const workload = await t.request('GET', '/v1/workload', { token: minted.body.token });
      expect(workload.status).toBe(200);
      expect(workload.body.providerId).toBe('pmpc-almaty-1');
    });

    it('mints a quality-control token without a provider, dropping any provider it is given', async () => {
      const minted = await t.request('POST', '/v1/auth/demo-token', { body: { role: 'quality-control', providerId: 'pmpc-almaty-1' } });
      const me = await t.request('GET', '/v1/auth/me', { token: minted.body.token });
      expect(me.body).toMatchObject({ role: 'quality-control', providerId: null, provider: null });
    });

    it('refuses a provider role without a provider, an unknown provider and a service-account role', async () => {
      const noProvider = await t.request('POST', '/v1/auth/demo-token', { body: { role: 'director' } });
      expect(noProvider.status).toBe(400);
      expect(noProvider.body.errors).toEqual([{ field: 'providerId', message: 'is required for the director role' }]);
      const unknown = await t.request('POST', '/v1/auth/demo-token', { body: { role: 'head', providerId: 'no-such-provider' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.detail).toMatch(/No provider no-such-provider/);
      const system = await t.request('POST', '/v1/auth/demo-token', { body: { role: 'system' } });
      expect(system.status).toBe(400);
      expect(system.body.errors[0].field).toBe('role');
    });
  });

  describe('when the server runs against a database without DEMO_TOKENS', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers 404 for the demo endpoints, saying how to turn them on', async () => {
      const minted = await t.request('POST', '/v1/auth/demo-token', { body: { role: 'quality-control' } });
      expect(minted.status).toBe(404);
      expect(minted.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(minted.body.detail).toMatch(/DEMO_TOKENS=true/);
      expect((await t.request('GET', '/v1/auth/demo-roles')).status).toBe(404);
    });

    it('still tells a signed-in user who they are, and nobody without a token', async () => {
      const token = await t.token('investigator', null, 'inv-7');
      expect((await t.request('GET', '/v1/auth/me', { token })).body).toMatchObject({ userId: 'inv-7', role: 'investigator', providerId: null });
      expect((await t.request('GET', '/v1/auth/me')).status).toBe(401);
    });

    it('lists the provider directory without a token, with names in three languages', async () => {
      const res = await t.request('GET', '/v1/providers');
      expect(res.status).toBe(200);
      const pmpc = res.body.items.find((p: { id: string }) => p.id === 'pmpc-almaty-1');
      expect(pmpc).toEqual({
        id: 'pmpc-almaty-1',
        name: { kk: expect.stringContaining('консультациясы'), ru: expect.stringContaining('консультация'), en: 'Almaty region PMPC No. 1' },
        kind: 'pmpc',
        region: 'Almaty region',
        services: ['pmpc-examination'],
      });
      expect(pmpc.schedule).toBeUndefined();
    });
  });
});
