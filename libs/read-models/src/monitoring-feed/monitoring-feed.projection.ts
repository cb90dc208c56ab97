import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { deterministicUuid, type RecordedEvent } from '@sped/event-store';
import {
  caseStage,
  evolveCase,
  initialCaseState,
  isCaseEventType,
  latestAction,
  type CaseEvent,
  type CaseStage,
  type ExistingCase,
  type RefusalGroundCode,
} from '@sped/domain';
import { regulationById, type ServiceDefinition } from '@sped/regulations';
import { isAfter, writeRows, type Projection } from '../projection.js';
import { MonitoringCaseMemory, MonitoringStageRecord, type StageRecordRefusal, type StageRecordResult } from './monitoring-feed.entity.js';

const CASE_PREFIX = 'case-';

/** Free-text values a person types (refusal motivation, withdrawal and correction reasons) may name people. */
const FREE_TEXT = new Set(['motivation', 'reason']);

export interface MonitoringFeedStep {
  memory: MonitoringCaseMemory | null;
  /** The stage record the event causes; null when the stage did not change. */
  record: MonitoringStageRecord | null;
}

/** The record id of the stage change an event causes: the same event always gives the same id. */
export const stageRecordId = (eventId: string) => deterministicUuid('monitoring-stage-record', eventId);

/**
 * Pure: folds one event into the case's memory with the domain's own `evolveCase` and emits a stage
 * record when `caseStage` differs before and after. An event at or before the memory's position
 * (redelivery) changes nothing and emits nothing.
 */
export function evolveMonitoringFeed(memory: MonitoringCaseMemory | null, event: RecordedEvent): MonitoringFeedStep {
  if (!isCaseEventType(event.type)) return { memory, record: null };
  if (memory && !isAfter(event.position, memory.lastPosition)) return { memory, record: null };
  const before = memory?.state ?? initialCaseState;
  const after = evolveCase(before, event as unknown as CaseEvent);
  if (after.status === 'none') return { memory, record: null };
  const from = caseStage(before);
  const to = caseStage(after);
  const next: MonitoringCaseMemory = { caseId: after.caseId, stage: to, lastPosition: event.position, state: withoutPersonalData(after) };
  if (to === null || to === from) return { memory: next, record: null };
  return { memory: next, record: stageRecord(after, event, from, to) };
}

function stageRecord(state: ExistingCase, event: RecordedEvent, from: CaseStage | null, to: CaseStage): MonitoringStageRecord {
  const service = serviceOf(state);
  return {
    recordId: stageRecordId(event.id),
    cursor: event.position,
    eventId: event.id,
    caseId: state.caseId,
    serviceCode: state.serviceCode,
    providerId: state.providerId,
    stage: to,
    previousStage: from,
    action: event.type,
    occurredAt: new Date(event.metadata.occurredAt),
    recordedAt: new Date(event.recordedAt),
    channel: state.channel,
    regulationId: state.regulationId,
    result: to === 'issued' ? resultOf(state, service) : null,
    refusal: to === 'refused' ? refusalOf(state, service) : null,
  };
}

function serviceOf(state: ExistingCase): ServiceDefinition | null {
  return regulationById(state.regulationId)?.services.find((s) => s.code === state.serviceCode) ?? null;
}

function resultOf(state: ExistingCase, service: ServiceDefinition | null): StageRecordResult {
  const number = latestAction(state, 'ResultDrawnUp')?.values['documentNumber'];
  return { documentKinds: service?.result ?? [], documentNumber: typeof number === 'string' ? number : null };
}

function refusalOf(state: ExistingCase, service: ServiceDefinition | null): StageRecordRefusal {
  const values = latestAction(state, 'ApplicationRefused')?.values ?? {};
  const codes = Array.isArray(values['grounds']) ? (values['grounds'] as RefusalGroundCode[]) : [];
  const form = values['form'] === 'paper' || values['form'] === 'electronic' ? values['form'] : null;
  return { grounds: codes.map((code) => ({ code, text: service?.refusalGrounds.find((g) => g.code === code)?.text ?? null })), form };
}

/** The state with sealed personal data and free text removed; the stage depends on neither. */
function withoutPersonalData(state: ExistingCase): ExistingCase {
  const plain = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([k]) => !FREE_TEXT.has(k)));
  return {
    ...state,
    applicant: { personId: state.applicant.personId, sealed: null },
    child: { personId: state.child.personId, sealed: null },
    actions: state.actions.map((a) => ({
      ...a,
      values: plain(a.values),
      corrections: a.corrections.map((c) => ({ ...c, reason: '', values: plain(c.values) })),
    })),
  };
}

/**
 * Writes the stage records in the runner's transaction; redelivery writes nothing twice. Delivery state
 * lives apart (`monitoring_delivery`, the worker's): a rebuild of this projection reproduces the same
 * record ids and cursors, so what was delivered stays delivered.
 */
export const monitoringFeedProjection: Projection = {
  name: 'monitoring-feed',
  tables: ['monitoring_feed', 'monitoring_feed_case'],
  async apply(manager: EntityManager, events: RecordedEvent[]) {
    const byCase = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(CASE_PREFIX) || !isCaseEventType(event.type)) continue;
      const caseId = event.streamId.slice(CASE_PREFIX.length);
      const list = byCase.get(caseId);
      if (list) list.push(event);
      else byCase.set(caseId, [event]);
    }
    if (byCase.size === 0) return;
    const memories = manager.getRepository(MonitoringCaseMemory);
    const known = await memories.findBy({ caseId: In([...byCase.keys()]) });
    const byId = new Map(known.map((m) => [m.caseId, m]));
    const changed: MonitoringCaseMemory[] = [];
    const records: MonitoringStageRecord[] = [];
    for (const [caseId, list] of byCase) {
      let memory = byId.get(caseId) ?? null;
      const start = memory;
      for (const event of list) {
        const step = evolveMonitoringFeed(memory, event);
        memory = step.memory;
        if (step.record) records.push(step.record);
      }
      if (memory && memory !== start) changed.push(memory);
    }
    await writeRows(manager, MonitoringCaseMemory, changed, 'upsert');
    if (records.length === 0) return;
    records.sort((a, b) => (BigInt(a.cursor) < BigInt(b.cursor) ? -1 : 1));
    await writeRows(manager, MonitoringStageRecord, records, 'ignore');
  },
};
