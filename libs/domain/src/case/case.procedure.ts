import type { CaseEventType, Channel, RegulationVersion, ServiceCode, ServiceDefinition, StepDefinition } from '@sped/regulations';
import { DomainError } from '../shared/domain-error.js';
import type { ExistingCase, RecordedAction } from './case.state.js';

/**
 * The regulation's procedure applied to a case: which steps apply, which one is current, and which
 * actions must precede which. Shared by the decider (to enforce) and the views (to show).
 */

export function serviceIn(regulation: RegulationVersion, code: ServiceCode): ServiceDefinition {
  const service = regulation.services.find((s) => s.code === code);
  if (!service) {
    throw new DomainError(
      'SERVICE_NOT_IN_REGULATION',
      `Regulation ${regulation.id} does not govern the service ${code}`,
      'serviceCode',
    );
  }
  return service;
}

/** The steps that apply on the channel, in the regulation's order. */
export function applicableSteps(service: ServiceDefinition, channel: Channel): StepDefinition[] {
  return service.steps.filter((s) => !s.channels || s.channels.includes(channel)).sort((a, b) => a.order - b.order);
}

export function stepEvents(step: StepDefinition): CaseEventType[] {
  return [step.completedBy, ...(step.activities ?? []), ...(step.alsoCompletedBy ?? [])];
}

export function completesStep(step: StepDefinition, type: CaseEventType): boolean {
  return step.completedBy === type || (step.alsoCompletedBy ?? []).includes(type);
}

export function completionOf(state: ExistingCase, step: StepDefinition): RecordedAction | undefined {
  return state.actions.find((a) => a.stepId === step.id && a.completesStep);
}

/** The action that started the step: the earliest recorded action of its `startsOn` type. */
export function startOf(state: ExistingCase, step: StepDefinition): RecordedAction | undefined {
  let first: RecordedAction | undefined;
  for (const a of state.actions) {
    if (a.type === step.startsOn && (!first || a.occurredAt < first.occurredAt)) first = a;
  }
  return first;
}

/** The first applicable step not yet completed; undefined once every step is. */
export function currentStep(state: ExistingCase, steps: StepDefinition[]): StepDefinition | undefined {
  return steps.find((s) => !completionOf(state, s));
}

/** Actions that by their nature come right after documents are accepted, when no step names them. */
const AFTER_ACCEPTANCE: readonly CaseEventType[] = ['ReceiptIssued', 'AcceptanceNotificationSent'];

type Slot =
  | { kind: 'submission' }
  | { kind: 'step'; order: number; completes: boolean }
  | { kind: 'after-acceptance' }
  | { kind: 'after-steps' }
  | { kind: 'terminal' }
  | { kind: 'free' };

function slotOf(action: Pick<RecordedAction, 'type' | 'stepId' | 'completesStep'>, steps: StepDefinition[]): Slot {
  if (action.type === 'ApplicationSubmitted') return { kind: 'submission' };
  if (action.type === 'ApplicationRefused' || action.type === 'ApplicationWithdrawn') return { kind: 'terminal' };
  if (action.stepId !== null) {
    const step = steps.find((s) => s.id === action.stepId);
    return step ? { kind: 'step', order: step.order, completes: action.completesStep } : { kind: 'free' };
  }
  if (AFTER_ACCEPTANCE.includes(action.type)) return { kind: 'after-acceptance' };
  if (action.type === 'ResultIssued') return { kind: 'after-steps' };
  return { kind: 'free' };
}

/**
 * Whether `a` must have happened no later than `b`: the submission before everything; earlier steps
 * before later ones; a step's activities before its completion; documents accepted before the receipt or
 * notification; every step before an issue that no step names; everything before a refusal or withdrawal.
 * Activities of one step may happen in any order among themselves.
 */
export function mustPrecede(
  a: Pick<RecordedAction, 'type' | 'stepId' | 'completesStep'>,
  b: Pick<RecordedAction, 'type' | 'stepId' | 'completesStep'>,
  steps: StepDefinition[],
): boolean {
  const sa = slotOf(a, steps);
  const sb = slotOf(b, steps);
  if (sa.kind === 'submission') return sb.kind !== 'submission';
  if (sb.kind === 'terminal') return sa.kind !== 'terminal';
  if (sa.kind === 'step' && sb.kind === 'step') {
    return sa.order < sb.order || (sa.order === sb.order && !sa.completes && sb.completes);
  }
  if (sa.kind === 'step' && sb.kind === 'after-steps') return true;
  if (a.type === 'DocumentsAccepted' && sb.kind === 'after-acceptance') return true;
  return false;
}
