import type { RecordedEvent } from '@sped/event-store';
import { keyedProjection } from '../projection.js';
import { CaseSummary } from './case-summary.entity.js';

const CASE_PREFIX = 'case-';

/** The stage a case reaches with each event; events not listed leave it where it is. */
const STAGE_AFTER: Record<string, { stage: string; status: string }> = {
  ApplicationSubmitted: { stage: 'submitted', status: 'open' },
  DocumentsAccepted: { stage: 'accepted', status: 'open' },
  SentToHead: { stage: 'with-head', status: 'open' },
  AcceptanceNotificationSent: { stage: 'accepted', status: 'open' },
  ExecutorAppointed: { stage: 'with-executor', status: 'open' },
  ResultDrawnUp: { stage: 'result-drawn-up', status: 'open' },
  ResultSigned: { stage: 'signed', status: 'open' },
  ResultSentToExecutor: { stage: 'result-ready', status: 'open' },
  ResultIssued: { stage: 'issued', status: 'closed' },
  ApplicationRefused: { stage: 'refused', status: 'closed' },
  ApplicationWithdrawn: { stage: 'withdrawn', status: 'closed' },
};

interface SubmittedData {
  serviceCode?: string;
  service?: string;
  providerId?: string;
  channel?: string;
}

export function evolveCaseSummary(row: CaseSummary | null, event: RecordedEvent): CaseSummary | null {
  if (event.type === 'ApplicationSubmitted') {
    const data = (event.data ?? {}) as SubmittedData;
    return {
      caseId: event.streamId.slice(CASE_PREFIX.length),
      serviceCode: data.serviceCode ?? data.service ?? 'unknown',
      providerId: data.providerId ?? 'unknown',
      channel: data.channel ?? null,
      regulationId: (event.metadata.regulationId as string | undefined) ?? null,
      stage: 'submitted',
      status: 'open',
      submittedAt: new Date(event.metadata.occurredAt),
      updatedAt: new Date(event.recordedAt),
      streamVersion: event.streamVersion,
      lastPosition: event.position,
    };
  }
  if (!row) return null;
  const next = STAGE_AFTER[event.type];
  return {
    ...row,
    ...(next ?? {}),
    updatedAt: new Date(event.recordedAt),
    streamVersion: event.streamVersion,
  };
}

export const caseSummaryProjection = keyedProjection<CaseSummary>({
  name: 'case-summary',
  entity: CaseSummary,
  key: 'caseId',
  keyOf: (event) => (event.streamId.startsWith(CASE_PREFIX) ? event.streamId.slice(CASE_PREFIX.length) : null),
  evolve: evolveCaseSummary,
});
