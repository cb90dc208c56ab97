import { useEffect, useId, useState, type FormEvent } from 'react';
import { queryString } from '../api.js';
import { ErrorState, formatAmount, formatNorm, formatSource, formatSourceFull, Loaded, LoadingState, TableRegion, VerdictBadge } from '../components/ui.js';
import { almatyLocalToIso, formatDateTime, isoToAlmatyLocal } from '../format.js';
import { useI18n } from '../i18n/context.js';
import { useLoad } from '../load.js';
import { useNames } from '../reference.js';
import { Link, navigate } from '../router.js';
import { useApi } from '../session.js';
import type { CaseHistory, HistoryEvent } from '../types.js';
import { EventTable, localizedText } from './case-timeline.js';

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function EventCard({ event, index, total }: { event: HistoryEvent; index: number; total: number }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  const details = Object.entries(event.data).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  return (
    <article className="card" aria-labelledby="replay-event-title" data-testid="replay-event">
      <h2 id="replay-event-title">
        {t('replay.eventHeading', { n: index + 1, total })}: {tv('event', event.type)}
      </h2>
      <dl className="facts">
        {event.stepId ? (
          <div className="wide">
            <dt>{t('col.step')}</dt>
            <dd>{names.step(event.stepId)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('col.who')}</dt>
          <dd>
            {names.role(event.actor.role)} · <span className="mono">{event.actor.userId}</span>
          </dd>
        </div>
        <div>
          <dt>{t('col.happened')}</dt>
          <dd>{formatDateTime(event.occurredAt, locale)}</dd>
        </div>
        <div>
          <dt>{t('col.recorded')}</dt>
          <dd>
            {formatDateTime(event.recordedAt, locale)} {event.recordedLate ? <span className="badge badge-warn">{t('case.recordedLate')}</span> : null}
          </dd>
        </div>
      </dl>
      {details.length ? (
        <details>
          <summary>{t('replay.details')}</summary>
          <dl className="facts small">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt className="mono">{k}</dt>
                <dd>{v === 'sealed' ? t('replay.sealed') : valueText(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </article>
  );
}

function PointView({ point }: { point: CaseHistory }) {
  const { t, locale, tv } = useI18n();
  const names = useNames();
  const s = point.state;
  return (
    <>
      <p className="as-of" data-testid="replay-as-of">
        {t('replay.asOf', { time: formatDateTime(point.asOf, locale) })}
      </p>
      <article className="card" aria-labelledby="replay-state-title" data-testid="replay-state">
        <h2 id="replay-state-title">{t('replay.stateTitle')}</h2>
        {s ? (
          <dl className="facts">
            <div>
              <dt>{t('col.stage')}</dt>
              <dd data-testid="replay-stage">{tv('stage', s.stage)}</dd>
            </div>
            <div>
              <dt>{t('col.status')}</dt>
              <dd data-testid="replay-status">{tv('caseStatus', s.status)}</dd>
            </div>
            <div>
              <dt>{t('col.executor')}</dt>
              <dd className={s.executorId ? 'mono' : undefined}>{s.executorId ?? t('workload.unassigned')}</dd>
            </div>
            <div>
              <dt>{t('col.documents')}</dt>
              <dd>{s.documents.length}</dd>
            </div>
            <div>
              <dt>{t('col.service')}</dt>
              <dd>{names.service(s.service)}</dd>
            </div>
            <div>
              <dt>{t('col.provider')}</dt>
              <dd>{names.provider(s.providerId)}</dd>
            </div>
            <div className="wide">
              <dt>{t('col.regulation')}</dt>
              <dd>{localizedText(point.regulation?.title, locale) || s.regulationId}</dd>
            </div>
          </dl>
        ) : (
          <p>{t('replay.noState')}</p>
        )}
      </article>
      <h2>{t('replay.stepsTitle')}</h2>
      <TableRegion label={t('replay.stepsTitle')}>
        <table className="data" data-testid="replay-steps">
          <caption className="visually-hidden">{t('replay.stepsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('col.step')}</th>
              <th scope="col">{t('col.norm')}</th>
              <th scope="col">{t('col.started')}</th>
              <th scope="col">{t('col.completed')}</th>
              <th scope="col">{t('replay.verdictThen')}</th>
              <th scope="col">{t('col.due')}</th>
              <th scope="col">{t('col.overByOrLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {point.steps.map((step) => (
              <tr key={step.stepId} data-step={step.stepId}>
                <th scope="row" className="step-cell">
                  {names.step(step.stepId)}
                </th>
                <td>
                  {formatNorm(step.norm, t)}
                  <div className="muted small" title={formatSourceFull(step.norm)}>
                    {formatSource(step.norm)}
                    {step.norm.regulationId ? ` (${step.norm.regulationId})` : ''}
                  </div>
                </td>
                <td className="nowrap">{formatDateTime(step.startedAt, locale)}</td>
                <td className="nowrap">{step.completedAt ? formatDateTime(step.completedAt, locale) : '—'}</td>
                <td>{step.verdict ? <VerdictBadge verdict={step.verdict.status} /> : <span className="muted">{tv('stepStatus', step.status)}</span>}</td>
                <td className="nowrap">{formatDateTime(step.verdict?.dueAt, locale)}</td>
                <td className="nowrap">{step.verdict?.excess ? t('gantt.overBy', { amount: formatAmount(step.verdict.excess, t) }) : step.verdict?.remaining ? t('gantt.left', { amount: formatAmount(step.verdict.remaining, t) }) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {point.recordedLater.length ? (
        <>
          <h2>{t('replay.recordedLaterTitle')}</h2>
          <p className="muted small">{t('replay.recordedLaterIntro')}</p>
          <ul className="plain">
            {point.recordedLater.map((e) => (
              <li key={e.eventId}>
                {tv('event', e.type)} — {t('replay.laterLine', { happened: formatDateTime(e.occurredAt, locale), recorded: formatDateTime(e.recordedAt, locale) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** The investigator's replay: a slider over the case's events; at each, the state, the norms and the verdicts as known then. */
export function ReplayView({ id, position, at }: { id: string; position?: string; at?: string }) {
  const { t, locale, tv } = useI18n();
  const api = useApi();
  const ids = { slider: useId(), at: useId(), sliderHelp: useId() };
  const base = `/v1/cases/${id}/history`;
  const full = useLoad(base, (signal) => api.get<CaseHistory>(base, signal));
  const events = full.data?.events ?? [];
  const indexOfPosition = position ? events.findIndex((e) => e.position === position) : -1;
  const index = at ? -1 : indexOfPosition >= 0 ? indexOfPosition : events.length - 1;
  const current = index >= 0 ? events[index] : undefined;

  const pointPath = at ? `${base}${queryString({ at })}` : current ? `${base}${queryString({ position: current.position })}` : null;
  const point = useLoad(pointPath, (signal) => api.get<CaseHistory>(pointPath as string, signal));

  const [atInput, setAtInput] = useState(at ? isoToAlmatyLocal(at) : '');
  const [atError, setAtError] = useState<string | null>(null);
  useEffect(() => setAtInput(at ? isoToAlmatyLocal(at) : ''), [at]);

  const goTo = (i: number) => {
    const e = events[Math.max(0, Math.min(events.length - 1, i))];
    if (e) navigate({ name: 'replay', id, position: e.position }, { replace: true });
  };
  const submitAt = (e: FormEvent) => {
    e.preventDefault();
    const iso = almatyLocalToIso(atInput);
    if (!iso) {
      setAtError(t('replay.atInvalid'));
      return;
    }
    setAtError(null);
    navigate({ name: 'replay', id, at: iso }, { replace: true });
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('replay.title')} <span className="mono">{id.slice(0, 8)}</span>
      </h1>
      <p className="lead">{t('replay.intro')}</p>
      <p>
        <Link to={{ name: 'case', id }}>{t('replay.toTimeline')}</Link>
      </p>
      <Loaded load={full} what={t('replay.what')} isEmpty={(d) => d.events.length === 0} empty={t('replay.noEvents')}>
        {(d) => (
          <>
            <div className="card replay-controls">
              <div className="field slider-field">
                <label htmlFor={ids.slider}>{t('replay.sliderLabel')}</label>
                <div className="slider-row">
                  <button type="button" onClick={() => goTo(index - 1)} disabled={index <= 0} aria-label={t('replay.prev')}>
                    ‹
                  </button>
                  <input
                    id={ids.slider}
                    type="range"
                    min={1}
                    max={d.events.length}
                    step={1}
                    value={index >= 0 ? index + 1 : 1}
                    onChange={(e) => goTo(Number(e.target.value) - 1)}
                    aria-valuetext={current ? `${t('replay.eventHeading', { n: index + 1, total: d.events.length })}: ${tv('event', current.type)}, ${formatDateTime(current.recordedAt, locale)}` : t('replay.byInstant')}
                    aria-describedby={ids.sliderHelp}
                    data-testid="replay-slider"
                  />
                  <button type="button" onClick={() => goTo(index + 1)} disabled={index < 0 || index >= d.events.length - 1} aria-label={t('replay.next')}>
                    ›
                  </button>
                </div>
                <p id={ids.sliderHelp} className="help" data-testid="replay-position" aria-live="polite">
                  {current ? `${t('replay.eventHeading', { n: index + 1, total: d.events.length })}: ${tv('event', current.type)}` : t('replay.byInstant')}
                </p>
              </div>
              <form className="field at-field" onSubmit={submitAt}>
                <label htmlFor={ids.at}>{t('replay.atLabel')}</label>
                <div className="slider-row">
                  <input id={ids.at} type="datetime-local" value={atInput} onChange={(e) => setAtInput(e.target.value)} aria-invalid={atError ? true : undefined} />
                  <button type="submit">{t('replay.show')}</button>
                </div>
                {atError ? (
                  <p className="field-error" role="alert">
                    {atError}
                  </p>
                ) : null}
              </form>
            </div>
            {point.status === 'error' ? <ErrorState error={point.error} what={t('replay.pointWhat')} onRetry={point.reload} /> : null}
            {point.status === 'loading' ? <LoadingState what={t('replay.pointWhat')} /> : null}
            {current ? <EventCard event={current} index={index} total={d.events.length} /> : null}
            {point.data ? <PointView point={point.data} /> : null}
            <h2>{t('replay.allEvents')}</h2>
            <EventTable events={d.events} highlight={current?.eventId} caption={t('replay.allEvents')} />
          </>
        )}
      </Loaded>
    </section>
  );
}
