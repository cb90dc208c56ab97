import { useMemo } from 'react';
import { graphic } from 'echarts/core';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts';
import { Chart, COLORS } from '../components/chart.js';
import { EmptyState, formatAmount, formatNorm, formatSource, formatSourceFull, Loaded, TableRegion, VerdictBadge } from '../components/ui.js';
import { almatyWallClockMs, formatDateTime } from '../format.js';
import { intlLocale, type Locale } from '../i18n/index.js';
import { useI18n } from '../i18n/context.js';
import { useLoad } from '../load.js';
import { useNames } from '../reference.js';
import { Link } from '../router.js';
import { useApi } from '../session.js';
import type { CaseHistory, CaseView, HistoryEvent, Localized, StepView } from '../types.js';

export const localizedText = (value: Localized | string | undefined, locale: Locale) => (value === undefined ? '' : typeof value === 'string' ? value : value[locale]);

type Segment = { value: [number, number, number]; tip: string };
type Kind = 'allowed' | 'taken' | 'late' | 'open';

function renderBar(kind: Kind) {
  return (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
    const row = api.value(0) as number;
    const start = api.coord([api.value(1), row]);
    const end = api.coord([api.value(2), row]);
    const band = (api.size?.([0, 1]) as number[])[1];
    const height = kind === 'allowed' ? band * 0.24 : band * 0.34;
    const y = kind === 'allowed' ? start[1] - band * 0.32 : start[1] - band * 0.04;
    const box = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    // A step of minutes beside one of weeks would vanish: every part keeps at least 3 px.
    const shape = graphic.clipRectByRect({ x: start[0], y, width: Math.max(end[0] - start[0], 3), height }, box);
    return shape ? { type: 'rect' as const, shape, style: api.style() } : null;
  };
}

/** A Gantt chart on Almaty wall-clock time: the norm's allowance (thin grey) above the time taken, late parts orange. */
function StepsGantt({ steps, now }: { steps: StepView[]; now: Date }) {
  const { t, locale } = useI18n();
  const names = useNames();
  const started = useMemo(() => steps.filter((s) => s.startedAt), [steps]);
  const option = useMemo(() => {
    const seg: Record<Kind, Segment[]> = { allowed: [], taken: [], late: [], open: [] };
    const nowMs = almatyWallClockMs(now);
    let anyOpen = false;
    started.forEach((s, i) => {
      const start = almatyWallClockMs(s.startedAt as string);
      const due = s.dueAt ? almatyWallClockMs(s.dueAt) : null;
      const name = names.step(s.stepId);
      const when = (a: string | Date) => formatDateTime(a, locale);
      if (due !== null) seg.allowed.push({ value: [i, start, due], tip: `${name}\n${t('gantt.allowedTip', { norm: formatNorm(s.norm, t), due: when(s.dueAt as string) })}` });
      if (s.status === 'completed' && s.completedAt) {
        const end = almatyWallClockMs(s.completedAt);
        const tip = `${name}\n${t('gantt.takenTip', { start: when(s.startedAt as string), end: when(s.completedAt) })}\n${t(`verdict.${s.verdict ?? 'not-judged'}` as 'verdict.late')}${s.excess ? ` · ${t('gantt.overBy', { amount: formatAmount(s.excess, t) })}` : ''}`;
        if (s.verdict === 'too-early') seg.late.push({ value: [i, start, end], tip });
        else if (due !== null && end > due) {
          seg.taken.push({ value: [i, start, due], tip });
          seg.late.push({ value: [i, due, end], tip });
        } else seg.taken.push({ value: [i, start, end], tip });
      } else if (s.status === 'open') {
        anyOpen = true;
        const tip = `${name}\n${t('gantt.openTip', { start: when(s.startedAt as string), due: s.dueAt ? when(s.dueAt) : '—' })}\n${s.remaining ? t('gantt.left', { amount: formatAmount(s.remaining, t) }) : s.excess ? t('gantt.overBy', { amount: formatAmount(s.excess, t) }) : ''}`;
        if (due !== null && nowMs > due) {
          seg.open.push({ value: [i, start, due], tip });
          seg.late.push({ value: [i, due, nowMs], tip });
        } else seg.open.push({ value: [i, start, nowMs], tip });
      }
    });
    const all = Object.values(seg).flatMap((list) => list.flatMap((x) => [x.value[1], x.value[2]]));
    const min = Math.min(...all);
    const max = Math.max(...all);
    const span = max - min;
    const pad = Math.max(span * 0.03, 60_000);
    const fmt = new Intl.DateTimeFormat(intlLocale(locale), span < 3 * 86_400_000 ? { timeZone: 'UTC', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
    const series = (kind: Kind, label: string, color: string) => ({
      name: label,
      type: 'custom',
      renderItem: renderBar(kind),
      itemStyle: { color },
      encode: { x: [1, 2], y: 0 },
      data: seg[kind],
      ...(kind === 'open' && anyOpen
        ? { markLine: { symbol: 'none', silent: true, lineStyle: { color: COLORS.now, type: 'dashed' }, label: { formatter: t('gantt.now'), color: COLORS.now }, data: [{ xAxis: nowMs }] } }
        : {}),
    });
    return {
      useUTC: true,
      legend: { top: 0 },
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: (p: { data: Segment }) => p.data.tip },
      grid: { left: 8, right: 24, top: 36, bottom: 56, containLabel: true },
      xAxis: { type: 'time', min: min - pad, max: max + pad, axisLabel: { formatter: (v: number) => fmt.format(new Date(v)), hideOverlap: true }, splitLine: { show: true } },
      yAxis: { type: 'category', inverse: true, data: started.map((s) => names.stepShort(s.stepId, 34)), axisTick: { show: false } },
      dataZoom: [
        { type: 'slider', xAxisIndex: 0, bottom: 8, height: 20, labelFormatter: (v: number) => fmt.format(new Date(v)) },
        { type: 'inside', xAxisIndex: 0 },
      ],
      series: [
        series('allowed', t('gantt.allowed'), COLORS.allowed),
        series('taken', t('gantt.taken'), COLORS.taken),
        series('open', t('gantt.open'), COLORS.open),
        series('late', t('gantt.late'), COLORS.late),
      ],
    };
  }, [started, now, names, t, locale]);
  if (!started.length) return <EmptyState>{t('case.noSteps')}</EmptyState>;
  const late = started.filter((s) => ['late', 'too-early', 'too-late', 'overdue'].includes(s.verdict ?? '')).length;
  const label = t('gantt.aria', { steps: started.length, late });
  return (
    <figure className="chart-figure">
      <Chart option={option} label={label} height={Math.max(220, started.length * 46 + 110)} testId="gantt-chart" />
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}

function StepTable({ steps }: { steps: StepView[] }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  return (
    <TableRegion label={t('case.stepsTitle')}>
      <table className="data" data-testid="steps-table">
        <caption className="visually-hidden">{t('case.stepsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.step')}</th>
            <th scope="col">{t('col.norm')}</th>
            <th scope="col">{t('col.started')}</th>
            <th scope="col">{t('col.due')}</th>
            <th scope="col">{t('col.completed')}</th>
            <th scope="col">{t('col.verdict')}</th>
            <th scope="col">{t('col.overByOrLeft')}</th>
            <th scope="col">{t('col.performedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.stepId} data-step={s.stepId}>
              <th scope="row" className="step-cell">
                {names.step(s.stepId)}
              </th>
              <td>
                {formatNorm(s.norm, t)}
                <div className="muted small" title={formatSourceFull(s.norm)}>
                  {formatSource(s.norm)}
                </div>
              </td>
              <td className="nowrap">{formatDateTime(s.startedAt, locale)}</td>
              <td className="nowrap">{formatDateTime(s.dueAt, locale)}</td>
              <td className="nowrap">{s.completedAt ? formatDateTime(s.completedAt, locale) : s.status === 'open' ? t('common.notYet') : '—'}</td>
              <td>
                {s.status === 'open' || s.status === 'completed' ? <VerdictBadge verdict={s.verdict} /> : <span className="muted">{tv('stepStatus', s.status)}</span>}
              </td>
              <td className="nowrap">{s.excess ? t('gantt.overBy', { amount: formatAmount(s.excess, t) }) : s.remaining ? t('gantt.left', { amount: formatAmount(s.remaining, t) }) : '—'}</td>
              <td>{s.performedBy ? `${names.role(s.performedBy.role)} · ${s.performedBy.userId}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

type EventRow = Pick<HistoryEvent, 'eventId' | 'type' | 'stepId' | 'actor' | 'occurredAt' | 'recordedAt'> & { recordedLate?: boolean };

export function EventTable({ events, highlight, caption }: { events: EventRow[]; highlight?: string; caption: string }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  return (
    <TableRegion label={caption}>
      <table className="data" data-testid="events-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">{t('col.what')}</th>
            <th scope="col">{t('col.who')}</th>
            <th scope="col">{t('col.happened')}</th>
            <th scope="col">{t('col.recorded')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={e.eventId} className={e.eventId === highlight ? 'current' : undefined} aria-current={e.eventId === highlight ? 'step' : undefined}>
              <td className="num">{i + 1}</td>
              <th scope="row">
                {tv('event', e.type)}
                {e.stepId ? <div className="muted small">{names.stepShort(e.stepId, 60)}</div> : null}
              </th>
              <td>
                {names.role(e.actor.role)}
                <div className="muted small mono">{e.actor.userId}</div>
              </td>
              <td className="nowrap">{formatDateTime(e.occurredAt, locale)}</td>
              <td className="nowrap">
                {formatDateTime(e.recordedAt, locale)}
                {e.recordedLate ? <span className="badge badge-warn">{t('case.recordedLate')}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** One case: its steps against their norms as a Gantt chart and a table, and every recorded event. */
export function CaseTimelineView({ id }: { id: string }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  const api = useApi();
  const path = `/v1/cases/${id}`;
  const load = useLoad(path, async (signal) => {
    const view = await api.get<CaseView>(path, signal);
    // The event list comes from the history (every event, with late recording flagged); the case's own actions otherwise.
    const history = await api.get<CaseHistory>(`${path}/history`, signal).catch(() => null);
    return { view, history, now: new Date() };
  });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('case.title')} <span className="mono">{id.slice(0, 8)}</span>
      </h1>
      <Loaded load={load} what={t('case.what')}>
        {({ view, history, now }) => (
          <>
            <div className="section-head">
              <p className="lead">
                {names.service(view.service)} · {names.provider(view.providerId)}
              </p>
              <Link to={{ name: 'replay', id }} className="button">
                {t('case.replayLink')}
              </Link>
            </div>
            <dl className="facts">
              <div>
                <dt>{t('col.case')}</dt>
                <dd className="mono">{view.id}</dd>
              </div>
              <div>
                <dt>{t('col.stage')}</dt>
                <dd data-testid="case-stage">{tv('stage', view.stage)}</dd>
              </div>
              <div>
                <dt>{t('col.status')}</dt>
                <dd>{tv('caseStatus', view.status)}</dd>
              </div>
              <div>
                <dt>{t('col.channel')}</dt>
                <dd>{tv('channel', view.channel)}</dd>
              </div>
              <div>
                <dt>{t('col.submitted')}</dt>
                <dd>{formatDateTime(view.submittedAt, locale)}</dd>
              </div>
              <div>
                <dt>{t('col.executor')}</dt>
                <dd className={view.executorId ? 'mono' : undefined}>{view.executorId ?? t('workload.unassigned')}</dd>
              </div>
              <div className="wide">
                <dt>{t('col.regulation')}</dt>
                <dd>
                  {localizedText(view.regulation.title, locale) || view.regulation.id}
                  {view.regulation.source ? <div className="muted small">{view.regulation.source.document}</div> : null}
                </dd>
              </div>
            </dl>
            <h2>{t('case.ganttTitle')}</h2>
            <StepsGantt steps={view.steps} now={now} />
            <h2>{t('case.stepsTitle')}</h2>
            <StepTable steps={view.steps} />
            <h2>{t('case.eventsTitle')}</h2>
            <p className="muted small">{t('case.eventsIntro')}</p>
            <EventTable
              caption={t('case.eventsTitle')}
              events={history?.events ?? view.actions.map((a) => ({ eventId: a.eventId, type: a.type, stepId: a.stepId, actor: a.actor, occurredAt: a.occurredAt, recordedAt: a.recordedAt }))}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}
