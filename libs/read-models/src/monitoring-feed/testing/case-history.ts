import { randomUUID } from 'node:crypto';
import { decideCase, foldCase, initialCaseState, type CaseCommand, type CaseEvent, type CaseState, type CommandMetadata } from '@sped/domain';
import type { NewEvent, RecordedEvent } from '@sped/event-store';
import { regulationById, regulationFor } from '@sped/regulations';

type Role = 'clerk' | 'head' | 'executor' | 'system' | 'admin';
const PROVIDER_ROLES = new Set<Role>(['clerk', 'head', 'executor']);
const sealed = (tag: string) => ({ personId: randomUUID(), sealed: `v1.test.${tag}` });

/**
 * Drives the real decider through a case (home education under the 2020 rules by default) and hands
 * out its events either as the store takes them or as the store would deliver them (with positions).
 */
export class CaseHistory {
  readonly caseId = randomUUID();
  readonly events: CaseEvent[] = [];
  private state: CaseState = initialCaseState;

  constructor(
    readonly service: 'home-education' | 'pmpc-examination' = 'home-education',
    readonly providerId = 'school-1',
  ) {}

  get streamId() {
    return `case-${this.caseId}`;
  }

  do(type: CaseCommand['type'], data: Record<string, unknown>, role: Role, at: string): this {
    const metadata: CommandMetadata = { actor: { role, userId: `${role}-1`, providerId: PROVIDER_ROLES.has(role) ? this.providerId : null }, now: at, occurredAt: at };
    const command = { type, data, metadata } as CaseCommand;
    const regulation = this.state.status === 'none' ? regulationFor(this.service, at.slice(0, 10)).regulation : regulationById(this.state.regulationId)!;
    const produced = decideCase(command, this.state, { regulation, clockSkewMs: 60_000, newId: randomUUID });
    this.events.push(...produced);
    this.state = foldCase(produced, this.state);
    return this;
  }

  submit(at: string, channel: 'office' | 'portal' = 'office') {
    return this.do(
      'SubmitApplication',
      { caseId: this.caseId, serviceCode: this.service, providerId: this.providerId, channel, applicant: sealed('applicant'), child: sealed('child'), documents: [{ kind: 'application' }], grade: null },
      'clerk',
      at,
    );
  }

  /** The id of the latest event of a type. */
  eventId(type: CaseEvent['type']): string {
    const found = [...this.events].reverse().find((e) => e.type === type);
    if (!found) throw new Error(`no ${type} in this history`);
    return found.id;
  }

  newEvents(): NewEvent[] {
    return this.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
  }

  /** As the store would deliver them, at consecutive global positions from `firstPosition`. */
  recorded(firstPosition = 1): RecordedEvent[] {
    return this.events.map((e, i) => ({
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      streamId: this.streamId,
      streamVersion: i + 1,
      position: String(firstPosition + i),
      recordedAt: e.metadata.recordedAt,
    }));
  }
}
