import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = (file: string) => fileURLToPath(new URL(`../../../../${file}`, import.meta.url));

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { source?: string; target: string }>;
  healthcheck?: { test: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

const compose = parse(readFileSync(root('docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const dockerfile = readFileSync(root('Dockerfile'), 'utf8');
const dockerignore = readFileSync(root('.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** What compose would see with no .env: `${VAR:-default}` -> default, `${VAR}` -> ''. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

function env(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), entry.slice(at + 1)] as const;
      })
    : Object.entries(raw).map(([key, value]) => [key, value === null ? '' : String(value)] as const);
  return Object.fromEntries(pairs.map(([key, value]) => [key, interpolate(value)]));
}

function volumeTargets(service: Service): Array<{ source?: string; target: string }> {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return volume;
    const [source, target] = volume.split(':');
    return { source, target };
  });
}

function healthTest(service: Service): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

function publishes(service: Service, port: number): boolean {
  return (service.ports ?? []).some((p) => (typeof p === 'string' ? p.split(':').at(-1) === String(port) : p.target === port));
}

/** The Dockerfile's stages: base image and instructions. */
function stages(): Array<{ from: string; lines: string[] }> {
  const result: Array<{ from: string; lines: string[] }> = [];
  const joined = dockerfile.replace(/\\\n/g, ' ');
  for (const line of joined.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)/i.exec(line);
    if (from) result.push({ from: from[1], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

describe('Deployment', () => {
  const { services } = compose;

  describe('docker-compose.yml', () => {
    it('defines kurrentdb, postgres, api and projector', () => {
      expect(Object.keys(services).sort()).toEqual(['api', 'kurrentdb', 'postgres', 'projector']);
    });

    describe('the KurrentDB service', () => {
      const kurrentdb = services['kurrentdb'];

      it('runs the KurrentDB image as an insecure single node without projections', () => {
        expect(kurrentdb.image).toMatch(/^docker\.kurrent\.io\/kurrent-latest\/kurrentdb:/);
        expect(env(kurrentdb)).toMatchObject({
          KURRENTDB_CLUSTER_SIZE: '1',
          KURRENTDB_INSECURE: 'true',
          KURRENTDB_RUN_PROJECTIONS: 'None',
        });
        expect(publishes(kurrentdb, 2113)).toBe(true);
      });

      it('keeps its data in a named volume', () => {
        const data = volumeTargets(kurrentdb).find((v) => v.target === '/var/lib/kurrentdb');
        expect(data?.source).toBeDefined();
        expect(Object.keys(compose.volumes ?? {})).toContain(data?.source);
      });

      it('is healthy only once its liveness endpoint answers', () => {
        expect(healthTest(kurrentdb)).toContain('http://localhost:2113/health/live');
      });
    });

    describe('the PostgreSQL service', () => {
      const postgres = services['postgres'];

      it('runs PostgreSQL 16 or later', () => {
        const major = Number(/^postgres:(\d+)/.exec(postgres.image ?? '')?.[1]);
        expect(major).toBeGreaterThanOrEqual(16);
      });

      it('keeps its data in a named volume', () => {
        const data = volumeTargets(postgres).find((v) => v.target === '/var/lib/postgresql/data');
        expect(Object.keys(compose.volumes ?? {})).toContain(data?.source);
      });

      it('is healthy only once pg_isready accepts its database', () => {
        const { POSTGRES_USER, POSTGRES_DB } = env(postgres);
        expect(healthTest(postgres)).toContain(`pg_isready -U ${POSTGRES_USER} -d ${POSTGRES_DB}`);
      });
    });

    describe.each(['api', 'projector'])('the %s service', (name) => {
      const service = services[name];
      const vars = env(service);

      it('is built from the Dockerfile at the repository root', () => {
        const build = typeof service.build === 'string' ? { context: service.build } : service.build;
        expect(build?.context).toBe('.');
        expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      });

      it('reaches KurrentDB by its compose service name, without TLS', () => {
        const url = new URL(vars['KURRENTDB_URL']);
        expect(url.protocol).toBe('kurrentdb:');
        expect(url.host).toBe('kurrentdb:2113');
        expect(url.searchParams.get('tls')).toBe('false');
      });

      it("reaches PostgreSQL by its compose service name, as the database's own user", () => {
        const postgres = env(services['postgres']);
        const url = new URL(vars['DATABASE_URL']);
        expect(url.protocol).toBe('postgres:');
        expect(url.host).toBe('postgres:5432');
        expect(url.pathname).toBe(`/${postgres['POSTGRES_DB']}`);
        expect(url.username).toBe(postgres['POSTGRES_USER']);
        expect(url.password).toBe(postgres['POSTGRES_PASSWORD']);
      });

      it('starts only after KurrentDB and PostgreSQL are healthy', () => {
        expect(dependsOn(service)).toEqual({ kurrentdb: 'service_healthy', postgres: 'service_healthy' });
      });

      it('takes its log level from the environment', () => {
        expect(vars).toHaveProperty('LOG_LEVEL');
      });
    });

    it('publishes the API on port 3000 with JWT settings and a health check, and leaves projection to the projector', () => {
      const api = services['api'];
      expect(publishes(api, 3000)).toBe(true);
      expect(env(api)).toHaveProperty('JWT_SECRET');
      expect(env(api)).toHaveProperty('JWT_JWKS_URL');
      expect(env(api)['RUN_PROJECTOR']).toBe('false');
      expect(healthTest(api)).toContain('/health');
    });

    it('runs the projector entry point in the projector service', () => {
      const command = services['projector'].command;
      expect(Array.isArray(command) ? command.join(' ') : command).toBe('node apps/projector/dist/main.js');
    });
  });

  describe('Dockerfile', () => {
    const all = stages();
    const final = all.at(-1);

    it('builds in a separate stage with npm install and Nx', () => {
      expect(all.length).toBeGreaterThanOrEqual(2);
      const build = all.slice(0, -1).flatMap((stage) => stage.lines);
      expect(build).toContainEqual(expect.stringMatching(/^RUN npm install\b/));
      expect(build).toContainEqual(expect.stringMatching(/^RUN npx nx run-many -t build\b/));
    });

    it('runs on Node 20 as a non-root user', () => {
      expect(final?.from).toMatch(/^node:20(\b|-)/);
      const users = final?.lines.filter((line) => /^USER\s/i.test(line)) ?? [];
      expect(users.length).toBeGreaterThan(0);
      expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    });

    it('copies the built output and dependencies, not the sources, into the final stage', () => {
      const copies = final?.lines.filter((line) => /^COPY\s/i.test(line)) ?? [];
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.every((line) => /--from=/.test(line))).toBe(true);
    });

    it('starts the API by default, from an entry point that exists in the sources', () => {
      expect(final?.lines.at(-1)).toBe('CMD ["node", "apps/api/dist/main.js"]');
      expect(existsSync(root('apps/api/src/main.ts'))).toBe(true);
      expect(existsSync(root('apps/projector/src/main.ts'))).toBe(true);
    });
  });

  describe('.dockerignore', () => {
    it('keeps host dependencies, build output and secrets out of the build context', () => {
      expect(dockerignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.env']));
    });
  });
});
