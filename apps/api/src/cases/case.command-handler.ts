import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  almatyDate,
  caseStreamId,
  decideCase,
  foldCase,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type CommandMetadata,
} from '@sped/domain';
import { RegulationGapError, regulationById, regulationFor, type ServiceCode } from '@sped/regulations';
import { ProblemError } from '../http/problem.js';
import type { Actor } from '../auth/auth.js';
import { executeCommand, type CommandResult } from '@sped/event-store';
import { newUuid } from '../shared/ids.js';
import { sealPerson } from '../shared/personal-data.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { commandMetadata, type CommandOptions } from '../shared/command-metadata.js';
import type { CaseActionBody, SubmitApplicationBody } from './case-actions.schemas.js';

/** Record one procedural action on a case (or open it with the application). */
export class RecordCaseAction {
  constructor(
    readonly caseId: string,
    readonly body: ({ type: 'SubmitApplication' } & SubmitApplicationBody) | CaseActionBody,
    readonly actor: Actor,
    readonly options: CommandOptions = {},
  ) {}
}

@CommandHandler(RecordCaseAction)
export class CaseCommandHandler implements ICommandHandler<RecordCaseAction, CommandResult> {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async execute(c: RecordCaseAction): Promise<CommandResult> {
    const metadata = commandMetadata(c.actor, c.body.occurredAt, c.options);
    const command = await this.toDomainCommand(c, metadata);
    const result = await executeCommand<CaseState>({
      store: this.runtime.eventStore,
      aggregateId: c.caseId,
      streamId: caseStreamId(c.caseId),
      ifMatch: c.options.ifMatch,
      idempotency: c.options.idempotency,
      cache: this.runtime.commandCache.cases,
      fold: (events, state) => foldCase(events as unknown as CaseEvent[], state),
      decide: (state) => decideCase(command, state, { regulation: this.regulationFor(command, state, metadata.now), clockSkewMs: this.runtime.config.clockSkewMs, newId: newUuid }),
    });
    if (command.type === 'ErasePersonalData') {
      // The erasure is recorded first; destroying the key after it means a failure here is retried, never unrecorded.
      await this.runtime.vault.erase(command.data.personId, c.actor.userId, command.data.reason);
    }
    return result;
  }

  private regulationFor(command: CaseCommand, state: CaseState, now: string) {
    if (command.type === 'SubmitApplication') {
      const date = almatyDate(Date.parse(command.metadata.occurredAt ?? now));
      try {
        return regulationFor(command.data.serviceCode, date).regulation;
      } catch (error) {
        if (error instanceof RegulationGapError) {
          throw new ProblemError(422, 'NO_REGULATION_IN_FORCE', 'No regulation in force', error.message, [{ field: command.metadata.occurredAt ? 'occurredAt' : 'service', message: error.message }]);
        }
        throw error;
      }
    }
    if (state.status === 'none') throw new ProblemError(404, 'CASE_NOT_FOUND', 'Case not found', 'No application has been submitted for this case.');
    const regulation = regulationById(state.regulationId);
    if (!regulation) throw new Error(`regulation ${state.regulationId} of a recorded case is not loaded`);
    return regulation;
  }

  private async toDomainCommand(c: RecordCaseAction, metadata: CommandMetadata): Promise<CaseCommand> {
    const vault = this.runtime.vault;
    const body = c.body;
    switch (body.type) {
      case 'SubmitApplication': {
        const b = body as SubmitApplicationBody & { type: 'SubmitApplication' };
        const [applicant, child] = await Promise.all([sealPerson(vault, b.applicant), sealPerson(vault, b.child)]);
        return {
          type: 'SubmitApplication',
          metadata,
          data: {
            caseId: c.caseId,
            serviceCode: b.service as ServiceCode,
            providerId: b.providerId,
            channel: b.channel as 'office' | 'portal',
            applicant,
            child,
            documents: b.documents,
            ...(b.grade !== undefined ? { grade: b.grade } : {}),
          },
        };
      }
      case 'CorrectAction': {
        const { applicant, child, ...rest } = body.corrected.data ?? {};
        const data = {
          ...rest,
          ...(applicant ? { applicant: await sealPerson(vault, applicant) } : {}),
          ...(child ? { child: await sealPerson(vault, child) } : {}),
        };
        return {
          type: 'CorrectAction',
          metadata,
          data: { correctedEventId: body.correctedEventId, reason: body.reason, corrected: { ...(body.corrected.occurredAt ? { occurredAt: body.corrected.occurredAt } : {}), ...(body.corrected.data ? { data } : {}) } },
        };
      }
      default: {
        const { type, occurredAt: _occurredAt, ...data } = body;
        return { type, data, metadata } as CaseCommand;
      }
    }
  }
}
