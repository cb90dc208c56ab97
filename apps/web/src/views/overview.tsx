import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { queryString } from '../api.js';
import { Chart, COLORS } from '../components/chart.js';
import { ErrorState, formatAmount, Kpi, Loaded, TableRegion, VerdictBadge } from '../components/ui.js';
import { formatDateTime, formatMonth, formatNumber, formatPercent, monthsAgo } from '../format.js';
import { useI18n } from '../i18n/context.js';
import { useLoad } from '../load.js';
import { useNames, useReference } from '../reference.js';
import { Link, navigate } from '../router.js';
import type { Route } from '../routes.js';
import { useApi, useSession } from '../session.js';
import { fillMonths, totals } from '../summary.js';
import type { Breach, Page, Summary, SummaryRow } from '../types.js';

type OverviewRoute = Extract<Route, { name: 'overview' }>;

const SERVICES = ['pmpc-examination', 'rehabilitation', 'special-school-admission', 'home-education'];
const KINDS = ['all', 'late', 'overdue', 'window'];
const PAGE = 50;

/** Quality control: on time and breaches per provider and service for a period, the monthly trend, the breach list. */
export function OverviewView({ route }: { route: OverviewRoute }) {
  const { t, locale } = useI18n();
  const names = useNames();
  const api = useApi();
  const period = { from: route.from, to: route.to };
  const periodText = route.from || route.to ? t('overview.periodRange', { from: route.from ?? '…', to: route.to ?? '…' }) : t('overview.periodAll');

  const summaryPath = `/v1/compliance/summary${queryString({ groupBy: 'provider,service', ...period })}`;
  const trendPath = `/v1/compliance/summary${queryString({ groupBy: 'month', ...period, providerId: route.providerId, service: route.service })}`;
  const breachQuery = { ...period, providerId: route.providerId, service: route.service, stepId: route.stepId, kind: route.kind };
  const summary = useLoad(summaryPath, (signal) => api.get<Summary>(summaryPath, signal));
  const trend = useLoad(trendPath, (signal) => api.get<Summary>(trendPath, signal));

  const set = (patch: Partial<OverviewRoute>) => navigate({ ...route, ...patch });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('overview.title')}
      </h1>
      <p className="lead">{t('overview.intro')}</p>
      <Filters route={route} onApply={(patch) => set(patch)} />

      <h2 id="summary-title">{t('overview.summaryTitle', { period: periodText })}</h2>
      <Loaded load={summary} what={t('overview.summaryWhat')} isEmpty={(d) => d.items.length === 0} empty={t('overview.noSummary')}>
        {(data) => {
          const total = totals(data.items);
          return (
            <>
              <dl className="kpis" aria-label={t('overview.kpisLabel')}>
                <Kpi label={t('overview.kpi.cases')} value={formatNumber(total.cases, locale)} testId="kpi-cases" />
                <Kpi label={t('overview.kpi.judged')} value={formatNumber(total.judged, locale)} />
                <Kpi label={t('overview.kpi.onTime')} value={formatPercent(total.onTimeShare, locale)} tone="ok" testId="kpi-on-time" />
                <Kpi label={t('overview.kpi.breaches')} value={formatNumber(total.breaches, locale)} tone="bad" testId="kpi-breaches" />
                <Kpi label={t('overview.kpi.overdueNow')} value={formatNumber(total.overdueNow, locale)} tone="warn" />
              </dl>
              <TableRegion label={t('overview.summaryTitle', { period: periodText })}>
                <table className="data" data-testid="summary-table">
                  <caption className="visually-hidden">{t('overview.summaryCaption', { period: periodText })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('col.provider')}</th>
                      <th scope="col">{t('col.service')}</th>
                      <th scope="col" className="num">{t('col.cases')}</th>
                      <th scope="col" className="num">{t('col.judged')}</th>
                      <th scope="col" className="num">{t('col.onTimeShare')}</th>
                      <th scope="col" className="num">{t('col.lateOrOutside')}</th>
                      <th scope="col" className="num">{t('col.overdueNow')}</th>
                      <th scope="col" className="num">{t('col.breaches')}</th>
                      <th scope="col"><span className="visually-hidden">{t('col.actions')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((r) => (
                      <tr key={`${r.providerId}|${r.service}`} data-provider={r.providerId} data-service={r.service}>
                        <th scope="row">{names.provider(r.providerId)}</th>
                        <td>{names.service(r.service)}</td>
                        <td className="num">{formatNumber(r.cases, locale)}</td>
                        <td className="num">{formatNumber(r.onTime + r.lateOrOutsideWindow, locale)}</td>
                        <td className="num">
                          <span className="share">
                            <meter min={0} max={1} low={0.8} high={0.95} optimum={1} value={r.onTimeShare ?? 0} aria-hidden="true" />
                            <span data-testid="on-time-share">{formatPercent(r.onTimeShare, locale)}</span>
                          </span>
                        </td>
                        <td className="num">{formatNumber(r.lateOrOutsideWindow, locale)}</td>
                        <td className="num">{formatNumber(r.overdueNow, locale)}</td>
                        <td className="num" data-testid="breaches">
                          {formatNumber(r.breaches, locale)}
                        </td>
                        <td>
                          <button type="button" className="link" onClick={() => set({ providerId: r.providerId, service: r.service, stepId: undefined })}>
                            {t('overview.showBreaches')}
                            <span className="visually-hidden">
                              {' '}
                              {names.provider(r.providerId)}, {names.service(r.service)}
                            </span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
              <p className="muted small">{t('overview.asOf', { time: formatDateTime(data.asOf, locale) })}</p>
            </>
          );
        }}
      </Loaded>

      <h2 id="trend-title">{t('overview.trendTitle')}</h2>
      <p className="muted small">{route.providerId || route.service ? t('overview.trendFiltered', { provider: route.providerId ? names.provider(route.providerId) : t('common.allProviders'), service: route.service ? names.service(route.service) : t('common.allServices') }) : t('overview.trendAll')}</p>
      <Loaded load={trend} what={t('overview.trendWhat')} isEmpty={(d) => d.items.length === 0} empty={t('overview.noTrend')}>
        {(data) => <Trend rows={data.items} periodText={periodText} />}
      </Loaded>

      <Breaches query={breachQuery} periodText={periodText} />
    </section>
  );
}

function Filters({ route, onApply }: { route: OverviewRoute; onApply: (patch: Partial<OverviewRoute>) => void }) {
  const { t } = useI18n();
  const names = useNames();
  const { providers: all } = useReference();
  const { me } = useSession();
  // A director reads only the own provider's figures: the API refuses the others, so they are not offered.
  const providers = me?.role === 'director' ? all.filter((p) => p.id === me.providerId) : all;
  const [form, setForm] = useState({ from: route.from ?? '', to: route.to ?? '', providerId: route.providerId ?? '', service: route.service ?? '', stepId: route.stepId ?? '', kind: route.kind ?? 'all' });
  useEffect(() => {
    setForm({ from: route.from ?? '', to: route.to ?? '', providerId: route.providerId ?? '', service: route.service ?? '', stepId: route.stepId ?? '', kind: route.kind ?? 'all' });
  }, [route.from, route.to, route.providerId, route.service, route.stepId, route.kind]);
  const id = useId();
  const steps = names.stepsOf(form.service || undefined).sort((a, b) => a.service.localeCompare(b.service) || a.order - b.order);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onApply({ from: form.from || undefined, to: form.to || undefined, providerId: form.providerId || undefined, service: form.service || undefined, stepId: form.stepId || undefined, kind: form.kind === 'all' ? undefined : form.kind });
  };
  const preset = (from: string | undefined, to?: string) => onApply({ from, to });
  return (
    <form className="filters card" onSubmit={apply} aria-labelledby={`${id}-legend`}>
      <h2 id={`${id}-legend`} className="filters-title">
        {t('overview.filtersTitle')}
      </h2>
      <div className="filter-row">
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('common.from')}</label>
          <input id={`${id}-from`} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('common.to')}</label>
          <input id={`${id}-to`} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-provider`}>{t('col.provider')}</label>
          <select id={`${id}-provider`} value={form.providerId} onChange={(e) => setForm({ ...form, providerId: e.target.value })}>
            <option value="">{t('common.allProviders')}</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {names.provider(p.id)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-service`}>{t('col.service')}</label>
          <select id={`${id}-service`} value={form.service} onChange={(e) => setForm({ ...form, service: e.target.value, stepId: '' })}>
            <option value="">{t('common.allServices')}</option>
            {SERVICES.map((s) => (
              <option key={s} value={s}>
                {names.service(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-step`}>{t('col.step')}</label>
          <select id={`${id}-step`} value={form.stepId} onChange={(e) => setForm({ ...form, stepId: e.target.value })}>
            <option value="">{t('common.allSteps')}</option>
            {steps.map((s) => (
              <option key={s.id} value={s.id}>
                {form.service ? '' : `${names.service(s.service)} — `}
                {names.stepShort(s.id, 60)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('overview.kind')}</label>
          <select id={`${id}-kind`} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}` as 'kind.all')}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-button">
          <button type="submit" className="primary">
            {t('common.apply')}
          </button>
        </div>
      </div>
      <div className="presets" role="group" aria-label={t('overview.presets')}>
        <button type="button" onClick={() => preset(monthsAgo(11))}>
          {t('overview.last12')}
        </button>
        <button type="button" onClick={() => preset(monthsAgo(0).slice(0, 4) + '-01-01')}>
          {t('overview.thisYear')}
        </button>
        <button type="button" onClick={() => preset(undefined, undefined)}>
          {t('common.allTime')}
        </button>
      </div>
    </form>
  );
}

function Trend({ rows: given, periodText }: { rows: SummaryRow[]; periodText: string }) {
  const { t, locale } = useI18n();
  const rows = useMemo(() => fillMonths(given), [given]);
  const option = useMemo(() => {
    const months = rows.map((r) => formatMonth(r.month ?? '', locale));
    return {
      color: [COLORS.breaches, COLORS.onTime],
      legend: { top: 0, data: [t('overview.trendBreaches'), t('overview.trendOnTime')] },
      grid: { left: 48, right: 56, top: 36, bottom: rows.length > 24 ? 64 : 32 },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        formatter: (items: Array<{ dataIndex: number }>) => {
          const r = rows[items[0]?.dataIndex ?? 0];
          return `${months[items[0]?.dataIndex ?? 0]}\n${t('overview.trendBreaches')}: ${r.breaches}\n${t('overview.trendOnTime')}: ${formatPercent(r.onTimeShare, locale)}\n${t('col.cases')}: ${r.cases}`;
        },
      },
      xAxis: { type: 'category', data: months },
      yAxis: [
        { type: 'value', name: t('overview.trendBreaches'), minInterval: 1 },
        { type: 'value', name: t('overview.trendOnTime'), min: 0, max: 100, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } },
      ],
      // Every month is shown; with many months, a slider below narrows the view.
      dataZoom: rows.length > 24 ? [{ type: 'slider', bottom: 8 }, { type: 'inside' }] : [],
      series: [
        { name: t('overview.trendBreaches'), type: 'bar', data: rows.map((r) => r.breaches), barMaxWidth: 28 },
        { name: t('overview.trendOnTime'), type: 'line', yAxisIndex: 1, data: rows.map((r) => (r.onTimeShare === null ? null : Math.round(r.onTimeShare * 1000) / 10)), symbolSize: 6, connectNulls: true },
      ],
    };
  }, [rows, t, locale]);
  const worst = rows.reduce<SummaryRow | null>((w, r) => (!w || r.breaches > w.breaches ? r : w), null);
  const label = t('overview.trendAria', { period: periodText, months: rows.length, worst: worst?.month ? formatMonth(worst.month, locale) : '—', breaches: worst?.breaches ?? 0 });
  return (
    <figure className="chart-figure">
      <Chart option={option} label={label} testId="trend-chart" />
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}

function Breaches({ query, periodText }: { query: Record<string, string | undefined>; periodText: string }) {
  const { t, locale } = useI18n();
  const names = useNames();
  const api = useApi();
  const path = `/v1/compliance/breaches${queryString({ ...query, limit: PAGE })}`;
  const first = useLoad(path, (signal) => api.get<Page<Breach>>(path, signal));
  const [more, setMore] = useState<{ items: Breach[]; cursor: string | null; loading: boolean; error: unknown }>({ items: [], cursor: null, loading: false, error: null });
  const [exported, setExported] = useState<{ state: 'idle' | 'busy' | 'done' | 'error'; message?: string; error?: unknown }>({ state: 'idle' });
  useEffect(() => setMore({ items: [], cursor: null, loading: false, error: null }), [path]);

  const loadMore = async (cursor: string) => {
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await api.get<Page<Breach>>(`/v1/compliance/breaches${queryString({ ...query, limit: PAGE, after: cursor })}`);
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor, loading: false, error: null }));
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };

  const exportCsv = async () => {
    setExported({ state: 'busy' });
    try {
      const { text, filename } = await api.csv(`/v1/compliance/breaches${queryString({ ...query, limit: 10000 })}`);
      const rows = Math.max(0, text.trim().split('\n').length - 1);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported({ state: 'done', message: t('overview.exported', { rows, file: filename }) });
    } catch (error) {
      setExported({ state: 'error', error });
    }
  };

  const filtersText = [
    query.providerId ? names.provider(query.providerId) : t('common.allProviders'),
    query.service ? names.service(query.service) : t('common.allServices'),
    query.stepId ? names.stepShort(query.stepId, 50) : t('common.allSteps'),
    t(`kind.${query.kind ?? 'all'}` as 'kind.all'),
    periodText,
  ].join(' · ');

  return (
    <>
      <div className="section-head">
        <h2 id="breaches-title">{t('overview.breachesTitle')}</h2>
        <button type="button" onClick={() => void exportCsv()} disabled={exported.state === 'busy'}>
          {t('overview.exportCsv')}
        </button>
      </div>
      <p className="muted small">{filtersText}</p>
      <div aria-live="polite">
        {exported.state === 'busy' ? <p className="state state-loading">{t('overview.exporting')}</p> : null}
        {exported.state === 'done' ? <p className="state state-ok">{exported.message}</p> : null}
      </div>
      {exported.state === 'error' ? <ErrorState error={exported.error} what={t('overview.exportWhat')} /> : null}
      <Loaded load={first} what={t('overview.breachesWhat')} isEmpty={(d) => d.items.length === 0} empty={t('overview.noBreaches')}>
        {(data) => {
          const items = [...data.items, ...more.items];
          const cursor = more.items.length ? more.cursor : data.nextCursor;
          return (
            <>
              <TableRegion label={t('overview.breachesTitle')}>
                <table className="data" data-testid="breach-table">
                  <caption className="visually-hidden">{t('overview.breachCaption', { count: items.length })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('col.case')}</th>
                      <th scope="col">{t('col.provider')}</th>
                      <th scope="col">{t('col.service')}</th>
                      <th scope="col">{t('col.step')}</th>
                      <th scope="col">{t('col.started')}</th>
                      <th scope="col">{t('col.due')}</th>
                      <th scope="col">{t('col.completed')}</th>
                      <th scope="col">{t('col.breach')}</th>
                      <th scope="col" className="num">{t('col.overBy')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((b) => (
                      <tr key={`${b.caseId}|${b.stepId}`}>
                        <td>
                          <Link to={{ name: 'case', id: b.caseId }} className="mono" aria-label={t('overview.openCase', { id: b.caseId })}>
                            {b.caseId.slice(0, 8)}
                          </Link>
                        </td>
                        <td>{names.provider(b.providerId)}</td>
                        <td>{names.service(b.service)}</td>
                        <td className="step-cell" title={names.step(b.stepId)}>
                          {names.stepShort(b.stepId, 44)}
                        </td>
                        <td className="nowrap">{formatDateTime(b.startedAt, locale)}</td>
                        <td className="nowrap">{formatDateTime(b.dueAt, locale)}</td>
                        <td className="nowrap">{b.completedAt ? formatDateTime(b.completedAt, locale) : t('common.notYet')}</td>
                        <td>
                          <VerdictBadge verdict={b.breach} />
                        </td>
                        <td className="num nowrap">{formatAmount(b.excess, t)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
              <p className="muted small" aria-live="polite">
                {t('overview.breachCaption', { count: items.length })}
              </p>
              {more.error ? <ErrorState error={more.error} what={t('overview.breachesWhat')} /> : null}
              {cursor ? (
                <button type="button" onClick={() => void loadMore(cursor)} disabled={more.loading}>
                  {more.loading ? t('common.loadingMore') : t('common.loadMore')}
                </button>
              ) : null}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
