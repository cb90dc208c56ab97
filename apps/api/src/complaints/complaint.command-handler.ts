import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  almatyDate,
  complaintStreamId,
  decideComplaint,
  foldComplaint,
  type CommandMetadata,
  type ComplaintCommand,
  type ComplaintEvent,
  type ComplaintState,
} from '@sped/domain';
import { ComplaintTermsGapError, complaintTermsFor, listComplaintTerms } from '@sped/regulations';
import type { Actor } from '../auth/auth.js';
import { ProblemError } from '../http/problem.js';
import { executeCommand, type CommandResult } from '@sped/event-store';
import { newUuid } from '../shared/ids.js';
import { sealPerson, sealText } from '../shared/personal-data.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { commandMetadata, type CommandOptions } from '../shared/command-metadata.js';
import type { ComplaintActionBody, FileComplaintBody } from './complaint-actions.schemas.js';

export class RecordComplaintAction {
  constructor(
    readonly complaintId: string,
    readonly body: ({ type: 'FileComplaint' } & FileComplaintBody) | ComplaintActionBody,
    readonly actor: Actor,
    readonly options: CommandOptions = {},
  ) {}
}

@CommandHandler(RecordComplaintAction)
export class ComplaintCommandHandler implements ICommandHandler<RecordComplaintAction, CommandResult> {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async execute(c: RecordComplaintAction): Promise<CommandResult> {
    const metadata = commandMetadata(c.actor, c.body.occurredAt, c.options);
    const command = await this.toDomainCommand(c, metadata);
    const complaintTerms = this.terms(command, metadata);
    const result = await executeCommand<ComplaintState>({
      store: this.runtime.eventStore,
      aggregateId: c.complaintId,
      streamId: complaintStreamId(c.complaintId),
      ifMatch: c.options.ifMatch,
      idempotency: c.options.idempotency,
      cache: this.runtime.commandCache.complaints,
      fold: (events, state) => foldComplaint(events as unknown as ComplaintEvent[], state),
      decide: (state) => decideComplaint(command, state, { complaintTerms, clockSkewMs: this.runtime.config.clockSkewMs, newId: newUuid }),
    });
    if (command.type === 'EraseComplaintPersonalData') await this.runtime.vault.erase(command.data.personId, c.actor.userId, command.data.reason);
    return result;
  }

  private async toDomainCommand(c: RecordComplaintAction, metadata: CommandMetadata): Promise<ComplaintCommand> {
    const body = c.body;
    const vault = this.runtime.vault;
    if (body.type === 'FileComplaint') {
      const complainant = await sealPerson(vault, body.complainant);
      return {
        type: 'FileComplaint',
        metadata,
        data: {
          complaintId: c.complaintId,
          providerId: body.providerId,
          caseId: body.caseId ?? null,
          subject: body.subject,
          addressee: body.addressee,
          complainant,
          text: await sealText(vault, complainant.personId, body.text),
        },
      };
    }
    if (body.type === 'AnswerComplaint') {
      // The answer is about the complainant: it is sealed under their key, so erasing them erases it too.
      const state = foldComplaint((await this.runtime.eventStore.readStream(complaintStreamId(c.complaintId))) as unknown as ComplaintEvent[]);
      if (state.status === 'none') throw new ProblemError(404, 'COMPLAINT_NOT_FOUND', 'Complaint not found', `No complaint ${c.complaintId} was filed.`);
      return { type: 'AnswerComplaint', metadata, data: { outcome: body.outcome, answer: await sealText(vault, state.complainant.personId, body.answer) } };
    }
    const { type, occurredAt: _occurredAt, ...data } = body;
    return { type, data, metadata } as ComplaintCommand;
  }

  /** Only a registration reads the terms; the others get the latest (the decider ignores them). */
  private terms(command: ComplaintCommand, metadata: CommandMetadata) {
    const all = listComplaintTerms();
    if (command.type !== 'RegisterComplaint') return all[all.length - 1];
    const date = almatyDate(Date.parse(metadata.occurredAt ?? metadata.now));
    try {
      return complaintTermsFor(date);
    } catch (error) {
      if (error instanceof ComplaintTermsGapError) throw new ProblemError(422, 'COMPLAINT_TERMS_NOT_IN_FORCE', 'No complaint terms in force', error.message, [{ field: 'occurredAt', message: error.message }]);
      throw error;
    }
  }
}
