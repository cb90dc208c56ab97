import type { Actor as DomainActor, CommandMetadata } from '@sped/domain';
import type { Idempotency } from '@sped/event-store';
import type { Actor } from '../auth/auth.js';
import { newUuid } from './ids.js';

export interface CommandOptions {
  ifMatch?: number;
  idempotency?: Idempotency;
  now?: Date;
}

/** What every command carries besides its data: the verified actor, the recording instant, the stated time. */
export function commandMetadata(actor: Actor, occurredAt: string | undefined, options: CommandOptions): CommandMetadata {
  return {
    actor: actor as DomainActor,
    now: (options.now ?? new Date()).toISOString(),
    ...(occurredAt ? { occurredAt } : {}),
    correlationId: options.idempotency?.key ?? newUuid(),
  };
}
