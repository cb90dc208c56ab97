import { useId } from 'react';
import { queryString } from '../api.js';
import { Loaded } from '../components/ui.js';
import { useI18n } from '../i18n/context.js';
import { useLoad } from '../load.js';
import { useNames, useReference } from '../reference.js';
import { navigate } from '../router.js';
import { useApi } from '../session.js';
import type { ComplaintItem, Page } from '../types.js';
import { ComplaintTable } from './workload.js';

const STATUSES = ['open', 'at-risk', 'overdue', 'answered', 'all'];

/** The complaint register for investigators: each complaint's review term, and a link to replay its case. */
export function ComplaintsView({ status = 'open', providerId }: { status?: string; providerId?: string }) {
  const { t } = useI18n();
  const names = useNames();
  const api = useApi();
  const { providers } = useReference();
  const ids = { status: useId(), provider: useId() };
  const path = `/v1/complaints${queryString({ status, providerId, limit: 500 })}`;
  const load = useLoad(path, (signal) => api.get<Page<ComplaintItem>>(path, signal));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('complaints.title')}
      </h1>
      <p className="lead">{t('complaints.intro')}</p>
      <div className="filter-row card">
        <div className="field">
          <label htmlFor={ids.status}>{t('col.status')}</label>
          <select id={ids.status} value={status} onChange={(e) => navigate({ name: 'complaints', status: e.target.value, providerId })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`complaintFilter.${s}` as 'complaintFilter.open')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.provider}>{t('col.provider')}</label>
          <select id={ids.provider} value={providerId ?? ''} onChange={(e) => navigate({ name: 'complaints', status, providerId: e.target.value || undefined })}>
            <option value="">{t('common.allProviders')}</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {names.provider(p.id)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Loaded load={load} what={t('complaints.what')} isEmpty={(d) => d.items.length === 0} empty={t('complaints.none')}>
        {(d) => (
          <>
            <p className="muted small" aria-live="polite">
              {t('complaints.count', { count: d.items.length })}
            </p>
            <ComplaintTable items={d.items} showProvider />
          </>
        )}
      </Loaded>
    </section>
  );
}
