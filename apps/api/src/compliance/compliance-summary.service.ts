import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { toLocalIso } from '@sped/regulations';
import type { Actor } from '../auth/auth.js';
import { badRequest, forbidden } from '../http/problem.js';
import { toCsv } from '../shared/csv.js';
import { startOfLocalDate } from '../shared/local-time.js';
import { ResultCache, type ResultCacheStats } from '../shared/result-cache.js';
import { normOf } from '../shared/step-norm.js';
import { RUNTIME, type Runtime } from '../runtime.js';

export const DIMENSIONS = { provider: 'provider_id', service: 'service_code', step: 'step_id', month: `to_char(started_at AT TIME ZONE 'Asia/Almaty', 'YYYY-MM')` } as const;
export type Dimension = keyof typeof DIMENSIONS;

export interface ComplianceFilters {
  from?: string;
  to?: string;
  providerId?: string;
  service?: string;
  stepId?: string;
}

/**
 * The WHERE clause of a compliance query for this actor (a director is held to their own provider), its
 * values appended to `params`. 403 for a director naming another provider, 400 for a period ending before it starts.
 */
export function complianceWhere(actor: Actor, q: ComplianceFilters, params: unknown[]) {
  const clauses: string[] = [];
  let providerId = q.providerId;
  if (actor.role === 'director') {
    if (providerId && providerId !== actor.providerId) throw forbidden('PROVIDER_MISMATCH', `A director sees only ${actor.providerId}.`);
    providerId = actor.providerId ?? undefined;
  }
  if (q.from && q.to && q.to < q.from) throw badRequest('`to` is before `from`.', [{ field: 'query.to', message: 'must not be before from' }]);
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (providerId) add('provider_id = ?', providerId);
  if (q.service) add('service_code = ?', q.service);
  if (q.stepId) add('step_id = ?', q.stepId);
  if (q.from) add('started_at >= ?', startOfLocalDate(q.from));
  if (q.to) add('started_at < ?', new Date(startOfLocalDate(q.to).getTime() + 86_400_000));
  clauses.push('started_at IS NOT NULL');
  return clauses.join(' AND ');
}

/** One computed summary: the figures as judged at `asOf`, and their JSON and CSV bodies, encoded once and reused. */
export class SummaryReport {
  private json?: Buffer;
  private csv?: Buffer;

  constructor(
    readonly computedAt: Date,
    readonly groupBy: Dimension[],
    readonly items: Array<Record<string, unknown>>,
    readonly maxAgeMs: number,
  ) {}

  get asOf() {
    return toLocalIso(this.computedAt);
  }

  /** The JSON body: the same bytes for every request the entry serves (how old it is goes in the Age header). */
  toJson(): Buffer {
    return (this.json ??= Buffer.from(JSON.stringify({ asOf: this.asOf, maxAgeMs: this.maxAgeMs, groupBy: this.groupBy, items: this.items })));
  }

  toCsv(): Buffer {
    if (this.csv === undefined) {
      const dims = this.groupBy;
      const header = Object.keys(this.items[0] ?? { ...Object.fromEntries(dims.map((d) => [d, ''])), cases: 0 }).filter((k) => k !== 'norm');
      this.csv = Buffer.from(toCsv(header, this.items.map((i) => header.map((h) => i[h]))));
    }
    return this.csv;
  }
}

export interface SummaryQuery extends ComplianceFilters {
  groupBy: Dimension[];
}

/** Entries kept at most (query shapes: filters, period, grouping, scope). */
const MAX_ENTRIES = 200;
/** Rows kept at most over all entries (a full report at 120,000 cases has some 9,000 rows). */
const MAX_ROWS = 100_000;

/**
 * The compliance summary aggregates every matching step row (two percentiles among the figures): a second or
 * more at a hundred thousand cases. Answers are cached per query shape and scope for at most
 * COMPLIANCE_SUMMARY_MAX_AGE_MS, computed once for all concurrent identical requests and refreshed in the
 * background before they expire (see ResultCache); a shape asked for within COMPLIANCE_SUMMARY_KEEP_WARM_MS
 * is refreshed even when no request comes, so that only the first request of a shape waits for a computation.
 * Each answer says when its figures were computed (`asOf`) and how old they are (`ageMs`, header `Age`).
 */
@Injectable()
export class ComplianceSummaryService implements OnModuleDestroy {
  private readonly cache: ResultCache<SummaryReport>;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {
    this.cache = new ResultCache<SummaryReport>({
      maxAgeMs: runtime.config.complianceSummaryMaxAgeMs,
      maxEntries: MAX_ENTRIES,
      maxWeight: MAX_ROWS,
      weigh: (r) => r.items.length + 1,
      keepWarmMs: runtime.config.complianceSummaryKeepWarmMs,
      onBackgroundError: (key, error) => runtime.logger.warn({ err: error, key }, 'refreshing a cached compliance summary failed; the cached one is served until it expires'),
    });
    // Due refreshes are looked for every second (or a tenth of the age limit when shorter).
    this.cache.keepWarm(Math.max(50, Math.min(1000, runtime.config.complianceSummaryMaxAgeMs / 10)));
  }

  onModuleDestroy() {
    this.cache.close();
  }

  get maxAgeMs() {
    return this.cache.maxAgeMs;
  }

  /** Counters of the cache (computations, hits, requests that joined a running computation, ...). */
  stats(): ResultCacheStats {
    return this.cache.stats();
  }

  /** The summary for this actor and query, from the cache when young enough. Throws 403/400 before anything is looked up. */
  async summary(actor: Actor, q: SummaryQuery) {
    const params: unknown[] = [null];
    const where = complianceWhere(actor, q, params);
    const dims = q.groupBy;
    // The figures depend on the statement and its values only (`now` aside), which hold the actor's scope; the
    // scope is named as well so that no change to the clause could let one provider's answer serve another.
    const scope = actor.role === 'director' ? `provider:${actor.providerId ?? ''}` : 'all';
    const key = JSON.stringify([scope, dims, where, params.slice(1)]);
    const { value, ageMs } = await this.cache.get(key, (now) => this.compute(dims, where, [now, ...params.slice(1)]));
    return { report: value, ageMs };
  }

  /**
   * The aggregation in a transaction of its own with room to sort in memory (its percentiles sort every group;
   * at the default 4 MB they spilled to disk) and without JIT compilation (tens of ms to compile, nothing won).
   */
  private runQuery(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    return this.runtime.readModels.transaction(async (m) => {
      await m.query(`SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`);
      return (await m.query(sql, params)) as Array<Record<string, unknown>>;
    });
  }

  private async compute(dims: Dimension[], where: string, params: unknown[]): Promise<SummaryReport> {
    const now = params[0] as Date;
    const select = dims.map((d) => `${DIMENSIONS[d]} AS "${d}"`).join(', ');
    const measure = `CASE WHEN norm_unit IN ('working-days', 'calendar-days') THEN duration_days ELSE working_minutes END`;
    const groupBy = dims.map((d) => DIMENSIONS[d]).join(', ');
    const withStep = dims.includes('step');
    // A case has one row per step (primary key case_id, step_id): grouped by step, its rows are its cases.
    const cases = withStep ? 'count(*)' : 'count(DISTINCT case_id)';
    const aggregate = `
      SELECT ${select},
        ${cases}::int AS cases,
        count(*)::int AS steps,
        count(*) FILTER (WHERE status = 'completed')::int AS completed,
        count(*) FILTER (WHERE verdict = 'on-time')::int AS "onTime",
        count(*) FILTER (WHERE verdict IN ('on-time', 'late', 'too-early', 'too-late'))::int AS judged,
        count(*) FILTER (WHERE verdict IN ('late', 'too-early', 'too-late'))::int AS "lateOrOutsideWindow",
        count(*) FILTER (WHERE status = 'open' AND due_at <= $1)::int AS "overdueNow",
        count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE verdict = 'not-judged' OR norm_kind = 'none')::int AS "notJudged",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ${measure}) FILTER (WHERE status = 'completed') AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ${measure}) FILTER (WHERE status = 'completed') AS p90,
        ${withStep ? `min(CASE WHEN norm_unit IN ('working-days', 'calendar-days') THEN norm_unit ELSE 'working-minutes' END) AS "durationUnit", min(regulation_id || '|' || service_code) AS "normKey",` : ''}
        max(started_at) AS "lastStartedAt"
      FROM case_step WHERE ${where}
      GROUP BY ${groupBy}
      ORDER BY ${dims.map((d) => `"${d}"`).join(', ')}`;
    // A step's norm (with its legal source) comes from the regulation data (shared/step-norm.ts), not from the
    // rows: the norm of the first regulation version (by id) the group's steps ran under.
    const rows = await this.runQuery(aggregate, params);
    const items = rows.map((r) => {
      const judged = r.judged as number;
      return {
        ...Object.fromEntries(dims.map((d) => [d === 'provider' ? 'providerId' : d === 'step' ? 'stepId' : d, r[d]])),
        cases: r.cases,
        steps: r.steps,
        completed: r.completed,
        onTime: r.onTime,
        onTimeShare: judged ? Math.round(((r.onTime as number) / judged) * 1000) / 1000 : null,
        breaches: (r.lateOrOutsideWindow as number) + (r.overdueNow as number),
        lateOrOutsideWindow: r.lateOrOutsideWindow,
        overdueNow: r.overdueNow,
        open: r.open,
        notJudged: r.notJudged,
        median: r.median === null ? null : Number(r.median),
        p90: r.p90 === null ? null : Number(r.p90),
        ...(withStep ? { durationUnit: r.durationUnit, norm: normOf(...((r.normKey as string).split('|') as [string, string]), r.step as string) } : {}),
      };
    });
    return new SummaryReport(now, dims, items, this.cache.maxAgeMs);
  }
}
