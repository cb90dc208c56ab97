import type { ReactNode } from 'react';
import { ApiError } from '../api.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/index.js';
import type { Load } from '../load.js';
import type { Amount, Norm } from '../types.js';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function LoadingState({ what }: { what: string }) {
  const { t } = useI18n();
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('state.loading', { what })}
    </p>
  );
}

export function ErrorState({ error, what, title, onRetry }: { error: unknown; what: string; title?: string; onRetry?: () => void }) {
  const { t } = useI18n();
  const problem = error instanceof ApiError ? error.problem : null;
  const reason = problem
    ? problem.status === 0
      ? t('state.unreachable')
      : (problem.detail ?? problem.title)
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title ?? t('state.error', { what })}</p>
      <p>
        {reason}
        {problem && problem.status > 0 ? <span className="muted"> ({t('state.httpStatus', { status: problem.status })})</span> : null}
      </p>
      {problem?.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field + e.message}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** Loading, error and empty states around whatever a view shows once its data is there. */
export function Loaded<D>({ load, what, isEmpty, empty, children }: { load: Load<D> & { reload(): void }; what: string; isEmpty?: (data: D) => boolean; empty?: ReactNode; children: (data: D) => ReactNode }) {
  if (load.status === 'error') return <ErrorState error={load.error} what={what} onRetry={load.reload} />;
  if (load.data === undefined) return load.status === 'idle' ? null : <LoadingState what={what} />;
  return (
    <>
      {load.status === 'loading' ? <LoadingState what={what} /> : null}
      {isEmpty?.(load.data) ? <EmptyState>{empty}</EmptyState> : children(load.data)}
    </>
  );
}

const TONE: Record<string, string> = {
  'on-time': 'ok',
  answered: 'ok',
  completed: 'ok',
  late: 'bad',
  overdue: 'bad',
  'too-early': 'bad',
  'too-late': 'bad',
  'at-risk': 'warn',
  open: 'info',
  'not-judged': 'neutral',
};

export function VerdictBadge({ verdict }: { verdict: string | null | undefined }) {
  const { tv } = useI18n();
  if (!verdict) return <span className="muted">—</span>;
  return <span className={`badge badge-${TONE[verdict] ?? 'neutral'}`}>{tv('verdict', verdict)}</span>;
}

export function Kpi({ label, value, tone, testId }: { label: string; value: ReactNode; tone?: 'bad' | 'warn' | 'ok'; testId?: string }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** A wide table scrolls inside a labelled region that the keyboard can reach. */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** Working minutes as hours and minutes; days in the norm's kind of day. */
export function formatAmount(a: Amount | null | undefined, t: T): string {
  if (!a) return '—';
  if (a.unit === 'minutes') {
    const h = Math.floor(a.amount / 60);
    const m = a.amount % 60;
    if (h === 0) return t('unit.minutes', { n: m });
    return m === 0 ? t('unit.hours', { n: h }) : `${t('unit.hours', { n: h })} ${t('unit.minutes', { n: m })}`;
  }
  return t(a.unit === 'working-days' ? 'unit.working-days' : 'unit.calendar-days', { n: a.amount });
}

const UNIT_KEYS: Record<string, MessageKey> = { minutes: 'unit.minutes', hours: 'unit.hours', 'working-days': 'unit.working-days', 'calendar-days': 'unit.calendar-days' };

export function formatNorm(norm: Norm, t: T): string {
  if (norm.kind === 'none') return t('norm.none');
  if (norm.kind === 'window') return t('norm.window', { min: norm.min, max: t(UNIT_KEYS[norm.unit], { n: norm.max }) });
  return t('norm.limit', { amount: t(UNIT_KEYS[norm.unit], { n: norm.amount }) });
}

/** The paragraph and the start of the document's name (the full name is in `formatSourceFull`). */
export function formatSource(norm: Norm): string {
  const s = norm.source;
  const doc = s.document.length > 64 ? `${s.document.slice(0, 63).trimEnd()}…` : s.document;
  return [s.paragraph ? `§ ${s.paragraph}` : null, doc].filter(Boolean).join(' · ');
}

export function formatSourceFull(norm: Norm): string {
  const s = norm.source;
  return [s.document, s.paragraph ? `§ ${s.paragraph}` : null].filter(Boolean).join(', ');
}
