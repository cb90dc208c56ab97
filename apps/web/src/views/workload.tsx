import { useId, useMemo } from 'react';
import { queryString } from '../api.js';
import { Chart } from '../components/chart.js';
import { formatAmount, Kpi, Loaded, TableRegion, VerdictBadge } from '../components/ui.js';
import { formatDate, formatDateTime, formatNumber } from '../format.js';
import { useI18n } from '../i18n/context.js';
import { useLoad } from '../load.js';
import { useNames, useReference } from '../reference.js';
import { Link, navigate } from '../router.js';
import { useApi, useSession } from '../session.js';
import type { CaseListItem, ComplaintItem, Page, Workload } from '../types.js';

const STAGES = ['submitted', 'accepted', 'with-head', 'with-executor', 'result-drawn-up', 'signed', 'result-ready'];
const STAGE_COLORS = ['#9db4d3', '#6b8fc4', '#1f5fa8', '#17457a', '#7c5aa6', '#b0579b', '#c2410c'];
const OWN_PROVIDER_ROLES = ['director', 'head'];

export function ComplaintTable({ items, showProvider }: { items: ComplaintItem[]; showProvider?: boolean }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  return (
    <TableRegion label={t('complaints.tableLabel')}>
      <table className="data" data-testid="complaints-table">
        <caption className="visually-hidden">{t('complaints.tableLabel')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.filed')}</th>
            {showProvider ? <th scope="col">{t('col.provider')}</th> : null}
            <th scope="col">{t('col.subject')}</th>
            <th scope="col">{t('col.addressee')}</th>
            <th scope="col">{t('col.status')}</th>
            <th scope="col">{t('col.registration')}</th>
            <th scope="col">{t('col.lastDay')}</th>
            <th scope="col">{t('col.term')}</th>
            <th scope="col">{t('col.case')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => {
            // The review term runs from registration until the answer; forwarding, withdrawal or a court appeal stop it.
            const running = c.status === 'registered' || c.status === 'answered';
            const v = running ? c.verdict : null;
            const left = v?.remaining ? t('complaints.daysLeft', { amount: formatAmount(v.remaining, t) }) : v?.excess ? t('gantt.overBy', { amount: formatAmount(v.excess, t) }) : '';
            return (
              <tr key={c.id} data-complaint={c.id}>
                <td className="nowrap">{formatDateTime(c.filedAt, locale)}</td>
                {showProvider ? <td>{names.provider(c.providerId)}</td> : null}
                <td>{tv('subject', c.subject)}</td>
                <td>{tv('addressee', c.addressee)}</td>
                <td>{tv('complaintStatus', c.status)}</td>
                <td className="mono">{c.registrationNumber ?? '—'}</td>
                <td className="nowrap">{v?.lastDay ? formatDate(`${v.lastDay}T12:00:00+05:00`, locale) : '—'}</td>
                <td>
                  {v ? (
                    <>
                      <VerdictBadge verdict={v.status} /> <span className="nowrap" data-testid="term-left">{left}</span>
                    </>
                  ) : (
                    <span className="muted" data-testid="term-left">
                      {c.status === 'filed' ? t('complaints.notRegistered') : t('complaints.termStopped')}
                    </span>
                  )}
                </td>
                <td>
                  {c.caseId ? (
                    <span className="link-list">
                      <Link to={{ name: 'case', id: c.caseId }} aria-label={t('complaints.openCase', { id: c.caseId })}>
                        {t('complaints.timeline')}
                      </Link>
                      <Link to={{ name: 'replay', id: c.caseId }} aria-label={t('complaints.replayCaseOf', { id: c.caseId })}>
                        {t('complaints.replay')}
                      </Link>
                    </span>
                  ) : (
                    <span className="muted">{t('complaints.noCase')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** A provider's director: open cases per executor and stage, what falls due, cases waiting for an executor, open complaints. */
export function WorkloadView({ providerId: chosen }: { providerId?: string }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  const api = useApi();
  const { me } = useSession();
  const { providers } = useReference();
  const pickerId = useId();
  const own = me && OWN_PROVIDER_ROLES.includes(me.role) ? me.providerId : null;
  // Without a chosen provider, start with the one that has the most open cases (an empty page tells nothing).
  const busiestPath = !own && !chosen ? `/v1/cases${queryString({ status: 'open', limit: 500 })}` : null;
  const busiest = useLoad(busiestPath, async (signal) => {
    const page = await api.get<Page<CaseListItem>>(busiestPath as string, signal);
    const counts = new Map<string, number>();
    for (const c of page.items) counts.set(c.providerId, (counts.get(c.providerId) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  });
  const fallback = busiest.status === 'ok' || busiest.status === 'error' ? (busiest.data ?? providers[0]?.id ?? null) : null;
  const providerId = own ?? chosen ?? fallback;

  const workloadPath = providerId ? `/v1/workload${queryString({ providerId: own ? undefined : providerId })}` : null;
  const workload = useLoad(workloadPath, (signal) => api.get<Workload>(workloadPath as string, signal));
  const casesPath = providerId ? `/v1/cases${queryString({ status: 'open', providerId, limit: 200 })}` : null;
  const cases = useLoad(casesPath, (signal) => api.get<Page<CaseListItem>>(casesPath as string, signal));
  const complaintsPath = providerId ? `/v1/complaints${queryString({ status: 'open', providerId, limit: 200 })}` : null;
  const complaints = useLoad(complaintsPath, (signal) => api.get<Page<ComplaintItem>>(complaintsPath as string, signal));

  const sortedCases = useMemo(
    () => [...(cases.data?.items ?? [])].sort((a, b) => (a.currentStep?.dueAt ?? '9999').localeCompare(b.currentStep?.dueAt ?? '9999')),
    [cases.data],
  );

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('workload.title')}
      </h1>
      {own ? null : (
        <div className="field inline-field">
          <label htmlFor={pickerId}>{t('col.provider')}</label>
          <select id={pickerId} value={providerId ?? ''} onChange={(e) => navigate({ name: 'workload', providerId: e.target.value })}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {names.provider(p.id)}
              </option>
            ))}
          </select>
        </div>
      )}
      <Loaded load={workload} what={t('workload.what')}>
        {(w) => (
          <>
            <p className="lead">{t('workload.intro', { provider: names.provider(w.providerId), time: formatDateTime(w.asOf, locale) })}</p>
            <dl className="kpis" aria-label={t('workload.kpisLabel')}>
              <Kpi label={t('workload.openCases')} value={formatNumber(w.total.openCases, locale)} testId="kpi-open" />
              <Kpi label={t('workload.dueToday')} value={formatNumber(w.total.dueToday, locale)} tone="warn" testId="kpi-due-today" />
              <Kpi label={t('workload.dueThisWeek')} value={formatNumber(w.total.dueThisWeek, locale)} testId="kpi-due-week" />
              <Kpi label={t('workload.overdue')} value={formatNumber(w.total.overdue, locale)} tone="bad" testId="kpi-overdue" />
              <Kpi label={t('workload.atRisk')} value={formatNumber(w.total.atRisk, locale)} tone="warn" />
            </dl>
            <h2>{t('workload.executorsTitle')}</h2>
            {w.executors.length === 0 ? (
              <p className="state state-empty">{t('workload.noOpen')}</p>
            ) : (
              <>
                <ExecutorChart workload={w} />
                <TableRegion label={t('workload.executorsTitle')}>
                  <table className="data" data-testid="executors-table">
                    <caption className="visually-hidden">{t('workload.executorsTitle')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('col.executor')}</th>
                        <th scope="col" className="num">{t('workload.openCases')}</th>
                        <th scope="col">{t('workload.byStage')}</th>
                        <th scope="col" className="num">{t('workload.dueToday')}</th>
                        <th scope="col" className="num">{t('workload.dueThisWeek')}</th>
                        <th scope="col" className="num">{t('workload.overdue')}</th>
                        <th scope="col" className="num">{t('workload.atRisk')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {w.executors.map((e) => (
                        <tr key={e.executorId ?? '-'}>
                          <th scope="row" className={e.executorId ? 'mono' : undefined}>
                            {e.executorId ?? t('workload.unassigned')}
                          </th>
                          <td className="num">{e.openCases}</td>
                          <td>
                            {Object.entries(e.byStage)
                              .map(([stage, n]) => `${tv('stage', stage)}: ${n}`)
                              .join(', ')}
                          </td>
                          <td className="num">{e.dueToday}</td>
                          <td className="num">{e.dueThisWeek}</td>
                          <td className="num">{e.overdue}</td>
                          <td className="num">{e.atRisk}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableRegion>
              </>
            )}
            <h2>{t('workload.waitingTitle')}</h2>
            {w.waitingForExecutor.length === 0 ? (
              <p className="state state-empty">{t('workload.noWaiting')}</p>
            ) : (
              <TableRegion label={t('workload.waitingTitle')}>
                <table className="data" data-testid="waiting-table">
                  <caption className="visually-hidden">{t('workload.waitingTitle')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('col.case')}</th>
                      <th scope="col">{t('col.service')}</th>
                      <th scope="col">{t('col.waitingSince')}</th>
                      <th scope="col">{t('col.due')}</th>
                      <th scope="col">{t('col.verdict')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {w.waitingForExecutor.map((c) => (
                      <tr key={c.caseId}>
                        <td>
                          <Link to={{ name: 'case', id: c.caseId }} className="mono" aria-label={t('overview.openCase', { id: c.caseId })}>
                            {c.caseId.slice(0, 8)}
                          </Link>
                        </td>
                        <td>{names.service(c.service)}</td>
                        <td className="nowrap">{formatDateTime(c.waitingSince, locale)}</td>
                        <td className="nowrap">{formatDateTime(c.dueAt, locale)}</td>
                        <td>
                          <VerdictBadge verdict={c.verdict} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
            )}
          </>
        )}
      </Loaded>

      <h2>{t('workload.casesTitle')}</h2>
      <Loaded load={cases} what={t('workload.casesWhat')} isEmpty={(d) => d.items.length === 0} empty={t('workload.noOpen')}>
        {() => (
          <TableRegion label={t('workload.casesTitle')}>
            <table className="data" data-testid="open-cases-table">
              <caption className="visually-hidden">{t('workload.casesTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('col.case')}</th>
                  <th scope="col">{t('col.service')}</th>
                  <th scope="col">{t('col.stage')}</th>
                  <th scope="col">{t('col.currentStep')}</th>
                  <th scope="col">{t('col.due')}</th>
                  <th scope="col">{t('col.verdict')}</th>
                  <th scope="col">{t('col.overByOrLeft')}</th>
                  <th scope="col">{t('col.executor')}</th>
                </tr>
              </thead>
              <tbody>
                {sortedCases.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={{ name: 'case', id: c.id }} className="mono" aria-label={t('overview.openCase', { id: c.id })}>
                        {c.id.slice(0, 8)}
                      </Link>
                    </td>
                    <td>{names.service(c.service)}</td>
                    <td>{tv('stage', c.stage)}</td>
                    <td className="step-cell">{c.currentStep ? names.stepShort(c.currentStep.stepId, 50) : '—'}</td>
                    <td className="nowrap">{formatDateTime(c.currentStep?.dueAt, locale)}</td>
                    <td>
                      <VerdictBadge verdict={c.currentStep?.verdict} />
                    </td>
                    <td className="nowrap">
                      {c.currentStep?.excess ? t('gantt.overBy', { amount: formatAmount(c.currentStep.excess, t) }) : c.currentStep?.remaining ? t('gantt.left', { amount: formatAmount(c.currentStep.remaining, t) }) : '—'}
                    </td>
                    <td className={c.executorId ? 'mono' : undefined}>{c.executorId ?? t('workload.unassigned')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </Loaded>

      <h2>{t('workload.complaintsTitle')}</h2>
      <Loaded load={complaints} what={t('workload.complaintsWhat')} isEmpty={(d) => d.items.length === 0} empty={t('workload.noComplaints')}>
        {(d) => <ComplaintTable items={d.items} />}
      </Loaded>
    </section>
  );
}

function ExecutorChart({ workload }: { workload: Workload }) {
  const { t, tv } = useI18n();
  const option = useMemo(() => {
    const executors = workload.executors.map((e) => e.executorId ?? t('workload.unassigned'));
    const stages = STAGES.filter((s) => workload.executors.some((e) => e.byStage[s]));
    return {
      color: stages.map((s) => STAGE_COLORS[STAGES.indexOf(s)]),
      legend: { top: 0 },
      tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: executors, inverse: true },
      series: stages.map((s) => ({ name: tv('stage', s), type: 'bar', stack: 'stage', barMaxWidth: 28, data: workload.executors.map((e) => e.byStage[s] ?? 0) })),
    };
  }, [workload, t, tv]);
  const label = t('workload.chartAria', { executors: workload.executors.length, open: workload.total.openCases });
  return (
    <figure className="chart-figure">
      <Chart option={option} label={label} height={Math.max(180, workload.executors.length * 44 + 80)} testId="executors-chart" />
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}
