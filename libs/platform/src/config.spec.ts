import { ConfigError, loadConfig } from './config.js';

describe('Configuration from the environment', () => {
  it('defaults to embedded mode on port 3000 with data in ./data', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({ mode: 'embedded', port: 3000, dataDir: '/srv/app/data', logLevel: 'info', runProjector: true });
  });

  it('runs in server mode when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/sped', RUN_PROJECTOR: 'false' });
    expect(c.mode).toBe('server');
    expect(c.runProjector).toBe(false);
  });

  it('runs in scale-out mode when KURRENTDB_URL is set with DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db/sped', KURRENTDB_URL: 'kurrentdb://kdb:2113?tls=false' });
    expect(c.mode).toBe('scale-out');
  });

  it('names every bad variable with what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: must be a number/);
    expect(message).toMatch(/LOG_LEVEL: must be one of fatal, error/);
    expect(message).toMatch(/DATABASE_URL: must be a URL starting with postgres:/);
  });

  it('refuses KURRENTDB_URL without a read-model database', () => {
    expect(() => loadConfig({ KURRENTDB_URL: 'kurrentdb://kdb:2113' })).toThrow(/DATABASE_URL: is required with KURRENTDB_URL/);
  });

  it('refuses a port out of range and a short JWT secret', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });

  it('mints demo tokens in embedded mode unless DEMO_TOKENS=false, and against a database only when DEMO_TOKENS=true', () => {
    expect(loadConfig({}).demoTokens).toBe(true);
    expect(loadConfig({ DEMO_TOKENS: 'false' }).demoTokens).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/sped' }).demoTokens).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/sped', DEMO_TOKENS: 'true' }).demoTokens).toBe(true);
    expect(() => loadConfig({ DEMO_TOKENS: 'sometimes' })).toThrow(/DEMO_TOKENS: must be true or false/);
  });

  it('limits each client to 1200 requests a minute unless RATE_LIMIT_PER_MINUTE says otherwise (0: no limit)', () => {
    expect(loadConfig({}).rateLimitPerMinute).toBe(1200);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '60' }).rateLimitPerMinute).toBe(60);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE: must be a number/);
  });

  it('gives up on a database statement after 30 seconds unless DATABASE_QUERY_TIMEOUT_SECONDS says otherwise', () => {
    expect(loadConfig({}).databaseQueryTimeoutMs).toBe(30_000);
    expect(loadConfig({ DATABASE_QUERY_TIMEOUT_SECONDS: '2' }).databaseQueryTimeoutMs).toBe(2000);
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_SECONDS: '0' })).toThrow(/DATABASE_QUERY_TIMEOUT_SECONDS/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).mode).toBe('embedded');
  });
});
