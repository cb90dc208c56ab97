import type { RecordedEvent } from '@sped/event-store';
import { caseStage, evolveCase, initialCaseState, isCaseEventType, type CaseEvent } from '@sped/domain';
import { keyedProjection } from '../projection.js';
import { CaseSummary } from './case-summary.entity.js';

const CASE_PREFIX = 'case-';

/** Pure: the row after the event. The domain's own `evolve` folds the state, so replay cannot diverge from decide. */
export function evolveCaseSummary(row: CaseSummary | null, event: RecordedEvent): CaseSummary | null {
  if (!isCaseEventType(event.type)) return row;
  const state = evolveCase(row?.state ?? initialCaseState, event as unknown as CaseEvent);
  if (state.status === 'none') return null;
  return {
    caseId: state.caseId,
    serviceCode: state.serviceCode,
    providerId: state.providerId,
    channel: state.channel,
    regulationId: state.regulationId,
    stage: caseStage(state) ?? 'submitted',
    status: state.status,
    executorId: state.executorId,
    submittedAt: new Date(state.actions[0]?.occurredAt ?? event.metadata.occurredAt),
    updatedAt: new Date(event.recordedAt),
    streamVersion: event.streamVersion,
    lastPosition: event.position,
    state,
  };
}

export const caseSummaryProjection = keyedProjection<CaseSummary>({
  name: 'case-summary',
  tables: ['case_summary'],
  entity: CaseSummary,
  key: 'caseId',
  keyOf: (event) => (event.streamId.startsWith(CASE_PREFIX) ? event.streamId.slice(CASE_PREFIX.length) : null),
  evolve: evolveCaseSummary,
});
