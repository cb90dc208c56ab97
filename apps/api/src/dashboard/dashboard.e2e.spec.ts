import { startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe('The dashboard served at /', () => {
  it('answers an HTML page that may run scripts from this origin only', async () => {
    const res = await t.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.text).toMatch(/<html/i);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers the same page for any path the dashboard routes itself', async () => {
    const root = await t.request('GET', '/');
    const deep = await t.request('GET', '/cases/0b9c1f7e-8a4e-4c54-9f7e-1f1d0f0a0b0c/replay?x=1');
    expect(deep.status).toBe(200);
    expect(deep.text).toBe(root.text);
  });

  it('keeps unknown API paths as 404 problems rather than the page', async () => {
    for (const p of ['/v1/no-such-thing', '/docs/nothing/here', '/health/x']) {
      const res = await t.request('GET', p);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', instance: p });
    }
    expect((await t.request('GET', '/health')).status).not.toBe(404);
    expect((await t.request('GET', '/docs/json')).body.openapi).toBe('3.1.0');
  });

  it('answers 404 for a missing file and never serves files from outside the build', async () => {
    expect((await t.request('GET', '/assets/no-such-file.js')).status).toBe(404);
    for (const p of ['/..%2F..%2F..%2Fpackage.json', '/assets/..%2F..%2F..%2F..%2Fpackage.json', '/%2e%2e/%2e%2e/%2e%2e/package.json']) {
      const res = await t.request('GET', p);
      expect(res.text).not.toMatch(/"workspaces"|"@sped\/api"|"name": "sped-monitor"/);
    }
  });
});
