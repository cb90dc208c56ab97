import { randomUUID } from 'node:crypto';
import { decideCase, foldCase, initialCaseState, type CaseCommand, type CaseEvent, type CaseState, type CommandMetadata } from '@sped/domain';
import { regulationFor, regulationById } from '@sped/regulations';
import type { NewEvent } from '@sped/event-store';

type Role = 'clerk' | 'head' | 'executor';
const actor = (role: Role, providerId: string) => ({ role, userId: `${role}-1`, providerId });
const sealed = (tag: string) => ({ personId: randomUUID(), sealed: `v1.test.${tag}` });

/** Drives the real decider to produce a valid event sequence for one case. */
export class CaseScript {
  readonly caseId = randomUUID();
  readonly events: CaseEvent[] = [];
  private state: CaseState = initialCaseState;

  constructor(
    readonly service: 'home-education' | 'pmpc-examination' = 'home-education',
    readonly providerId = 'school-1',
  ) {}

  private run(type: string, data: Record<string, unknown>, role: Role, at: string): this {
    const metadata: CommandMetadata = { actor: actor(role, this.providerId) as CommandMetadata['actor'], now: at, occurredAt: at };
    const command = { type, data, metadata } as CaseCommand;
    const regulation = this.state.status === 'none' ? regulationFor(this.service, at.slice(0, 10)).regulation : regulationById(this.state.regulationId)!;
    const produced = decideCase(command, this.state, { regulation, clockSkewMs: 60_000, newId: randomUUID });
    this.events.push(...produced);
    this.state = foldCase(produced, this.state);
    return this;
  }

  submit(at: string) {
    return this.run('SubmitApplication', { caseId: this.caseId, serviceCode: this.service, providerId: this.providerId, channel: 'office', applicant: sealed('a'), child: sealed('c'), documents: [{ kind: 'application' }] }, 'clerk', at);
  }
  accept(at: string) {
    return this.run('AcceptDocuments', { journalNumber: 'J-1' }, 'clerk', at);
  }
  receipt(at: string) {
    return this.run('IssueReceipt', {}, 'clerk', at);
  }
  sendToHead(at: string) {
    return this.run('SendToHead', {}, 'clerk', at);
  }

  get streamId() {
    return `case-${this.caseId}`;
  }

  /** The events as the store takes them. */
  newEvents(): NewEvent[] {
    return this.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
  }
}
