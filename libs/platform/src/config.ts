import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const urlWithProtocols = (protocols: string[], example: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')} (e.g. ${example})`)
      .optional(),
  );

const bool = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .optional(),
);

const int = (min: number, max: number) => z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min).max(max).optional());

const schema = z.object({
  PORT: int(0, 65535),
  HOST: z.preprocess(emptyToUndefined, z.string().optional()),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user@127.0.0.1:5432/sped'),
  KURRENTDB_URL: urlWithProtocols(['kurrentdb:', 'kurrentdb+discover:', 'esdb:', 'esdb+discover:'], 'kurrentdb://127.0.0.1:2113?tls=false'),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).optional()),
  JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_JWKS_URL: urlWithProtocols(['https:', 'http:'], 'https://idp.example.kz/.well-known/jwks.json'),
  JWT_ISSUER: z.preprocess(emptyToUndefined, z.string().optional()),
  JWT_AUDIENCE: z.preprocess(emptyToUndefined, z.string().optional()),
  RUN_PROJECTOR: bool,
  CLOCK_SKEW_SECONDS: int(0, 3600),
  MONITORING_URL: urlWithProtocols(['https:', 'http:'], 'https://monitoring.example.kz/api/stages'),
  BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024),
  CALENDAR_DATA_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  PROVIDERS_FILE: z.preprocess(emptyToUndefined, z.string().optional()),
  DEADLINE_SWEEP_SECONDS: int(1, 86400),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000),
  COMMAND_CACHE_STREAMS: int(0, 10_000_000),
  HISTORY_CACHE_EVENTS: int(0, 100_000_000),
  DATABASE_QUERY_TIMEOUT_SECONDS: int(1, 3600),
  COMPLIANCE_SUMMARY_MAX_AGE_MS: int(0, 3_600_000),
  COMPLIANCE_SUMMARY_KEEP_WARM_MS: int(0, 86_400_000),
  DEMO_TOKENS: bool,
  PERSONAL_DATA_KEY: z.preprocess(
    emptyToUndefined,
    z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)').optional(),
  ),
});

export type StorageMode = 'embedded' | 'server' | 'scale-out';
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  kurrentDbUrl?: string;
  mode: StorageMode;
  logLevel: LogLevel;
  jwtSecret?: string;
  jwtJwksUrl?: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Whether this process also runs the projector (always in embedded mode). */
  runProjector: boolean;
  clockSkewMs: number;
  monitoringUrl?: string;
  bodyLimitBytes: number;
  calendarDataDir?: string;
  /** JSON file of the providers and their working schedules (default: the bundled demo providers). */
  providersFile?: string;
  /** How often the deadline sweeper looks for terms that expired while open. */
  deadlineSweepMs: number;
  /** Key-encryption key for the per-person keys (base64); generated into DATA_DIR when absent. */
  personalDataKey?: string;
  /** Requests a client (a token's subject, else an IP address) may make per minute, in bursts up to that many; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** How many streams' folded states the command pipeline keeps between commands (COMMAND_CACHE_STREAMS, default 10000; 0 reads every stream anew). */
  commandCacheStreams: number;
  /** How many events of recently replayed streams the history endpoints keep in memory (HISTORY_CACHE_EVENTS, default 50000; 0 reads every stream anew). */
  historyCacheEvents: number;
  /** A database statement (event store or read models) that takes longer fails, and the request with 503: a stalled database must not hang requests or the projector. */
  databaseQueryTimeoutMs: number;
  /** How old a cached compliance summary may be when served (COMPLIANCE_SUMMARY_MAX_AGE_MS, default 30000; 0 caches nothing). */
  complianceSummaryMaxAgeMs: number;
  /** A summary asked for within this long is recomputed in the background before it expires (COMPLIANCE_SUMMARY_KEEP_WARM_MS, default 600000; 0: only on request). */
  complianceSummaryKeepWarmMs: number;
  /** Whether POST /v1/auth/demo-token mints tokens for any role (the dashboard's demo sign-in): DEMO_TOKENS, by default on in embedded mode only. */
  demoTokens: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; message: string }>) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0]), message: `${i.message} (got ${JSON.stringify(env[String(i.path[0])])})` })),
    );
  }
  const e = parsed.data;
  const problems: Array<{ variable: string; message: string }> = [];
  if (e.KURRENTDB_URL && !e.DATABASE_URL) {
    problems.push({ variable: 'DATABASE_URL', message: 'is required with KURRENTDB_URL (the read models live in PostgreSQL)' });
  }
  if (e.JWT_SECRET && e.JWT_JWKS_URL) {
    problems.push({ variable: 'JWT_JWKS_URL', message: 'set either JWT_SECRET or JWT_JWKS_URL, not both' });
  }
  if (problems.length) throw new ConfigError(problems);
  const mode: StorageMode = e.KURRENTDB_URL ? 'scale-out' : e.DATABASE_URL ? 'server' : 'embedded';
  return {
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    dataDir: path.resolve(cwd, e.DATA_DIR ?? './data'),
    databaseUrl: e.DATABASE_URL,
    kurrentDbUrl: e.KURRENTDB_URL,
    mode,
    logLevel: e.LOG_LEVEL ?? 'info',
    jwtSecret: e.JWT_SECRET,
    jwtJwksUrl: e.JWT_JWKS_URL,
    jwtIssuer: e.JWT_ISSUER,
    jwtAudience: e.JWT_AUDIENCE,
    runProjector: mode === 'embedded' ? true : (e.RUN_PROJECTOR ?? true),
    clockSkewMs: (e.CLOCK_SKEW_SECONDS ?? 120) * 1000,
    monitoringUrl: e.MONITORING_URL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES ?? 256 * 1024,
    calendarDataDir: e.CALENDAR_DATA_DIR,
    deadlineSweepMs: (e.DEADLINE_SWEEP_SECONDS ?? 60) * 1000,
    providersFile: e.PROVIDERS_FILE ? path.resolve(cwd, e.PROVIDERS_FILE) : undefined,
    personalDataKey: e.PERSONAL_DATA_KEY,
    demoTokens: e.DEMO_TOKENS ?? mode === 'embedded',
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE ?? 1200,
    commandCacheStreams: e.COMMAND_CACHE_STREAMS ?? 10_000,
    historyCacheEvents: e.HISTORY_CACHE_EVENTS ?? 50_000,
    databaseQueryTimeoutMs: (e.DATABASE_QUERY_TIMEOUT_SECONDS ?? 30) * 1000,
    complianceSummaryMaxAgeMs: e.COMPLIANCE_SUMMARY_MAX_AGE_MS ?? 30_000,
    complianceSummaryKeepWarmMs: e.COMPLIANCE_SUMMARY_KEEP_WARM_MS ?? 600_000,
  };
}
