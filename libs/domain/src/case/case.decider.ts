import { CHANNELS, SERVICE_CODES } from '@sped/regulations';
import type { CaseEventType, Channel, ParticipantRole, RegulationVersion, ServiceDefinition, StepDefinition } from '@sped/regulations';
import { isStaff, type Actor } from '../shared/actor.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { eventMetadata, type Decider } from '../shared/messages.js';
import { almatyDate, commandTimes, parseInstant, toUtc, type CommandTimes } from '../shared/time.js';
import {
  invalid,
  optionalText,
  requireInteger,
  requireOneOf,
  requireSealed,
  requireText,
  sameValue,
} from '../shared/validation.js';
import type { CaseCommand, SubmitApplication } from './case.commands.js';
import {
  CORRECTABLE_FIELDS,
  REPEATABLE_ACTIONS,
  SESSION_ACTIVITIES,
  SESSION_FORMATS,
  type CaseActionType,
  type CaseEvent,
  type CorrectedValues,
  type DocumentRef,
  type RefusalGroundCode,
  type StepActionType,
  type StepMark,
} from './case.events.js';
import {
  applicableSteps,
  completesStep,
  completionOf,
  currentStep,
  mustPrecede,
  serviceIn,
  startOf,
  stepEvents,
} from './case.procedure.js';
import { evolveCase, initialCaseState, latestAction, type CaseState, type ExistingCase, type RecordedAction } from './case.state.js';

/**
 * Inputs of `decideCase` besides the command and the state. Nothing here is read from the environment
 * inside the decider: the caller supplies the regulation, the clock (in the command) and the ids.
 */
export interface CaseDecideContext {
  /**
   * The regulation version governing the case. For SubmitApplication: the one in force for the service on
   * the application's Almaty local date (`regulationFor`). Afterwards: the case's own (`state.regulationId`),
   * even if a newer version is in force now.
   */
  regulation: RegulationVersion;
  /** How far a stated occurredAt may lie ahead of the recording instant (clock skew between devices). */
  clockSkewMs: number;
  /** Event id generator: UUIDs in production, a counter in tests. */
  newId: () => string;
}

/** Grades 0 (pre-school class) to 12. */
const MAX_GRADE = 12;

interface Ctx {
  state: ExistingCase;
  context: CaseDecideContext;
  service: ServiceDefinition;
  steps: StepDefinition[];
  command: CaseCommand;
}

/**
 * Decides what a command records on a case, by the regulation in force for it. Pure and synchronous:
 * throws a DomainError for a broken rule, returns [] for a repeat that changes nothing.
 */
export function decideCase(command: CaseCommand, state: CaseState, context: CaseDecideContext): CaseEvent[] {
  if (command.type === 'SubmitApplication') return submit(command, state, context);
  if (state.status === 'none') throw new DomainError('CASE_NOT_FOUND', 'No application has been submitted for this case');
  if (context.regulation.id !== state.regulationId) {
    throw new DomainError(
      'REGULATION_MISMATCH',
      `The case is governed by ${state.regulationId}, not by ${context.regulation.id}`,
    );
  }
  const service = serviceIn(context.regulation, state.serviceCode);
  const c: Ctx = { state, context, service, steps: applicableSteps(service, state.channel), command };
  switch (command.type) {
    case 'AcceptDocuments':
      return stepAction(c, 'DocumentsAccepted', { journalNumber: requireText(command.data.journalNumber, 'journalNumber', 100) });
    case 'IssueReceipt':
      return stepAction(c, 'ReceiptIssued', { receiptNumber: optionalText(command.data.receiptNumber, 'receiptNumber', 100) });
    case 'SendToHead':
      return stepAction(c, 'SentToHead', {});
    case 'AppointExecutor':
      return stepAction(c, 'ExecutorAppointed', { executorId: requireText(command.data.executorId, 'executorId', 200) });
    case 'HoldInitialExamination':
      return stepAction(c, 'InitialExaminationHeld', {});
    case 'ConcludeContract':
      return stepAction(c, 'ContractConcluded', { contractNumber: requireText(command.data.contractNumber, 'contractNumber', 100) });
    case 'HoldSession':
      return stepAction(c, 'SessionHeld', {
        format: requireOneOf(command.data.format, 'format', SESSION_FORMATS),
        activity: requireOneOf(command.data.activity, 'activity', SESSION_ACTIVITIES),
      });
    case 'HoldExamination':
      return stepAction(c, 'ExaminationHeld', {});
    case 'SetClassAndLanguage':
      return stepAction(c, 'ClassAndLanguageSet', {
        grade: requireInteger(command.data.grade, 'grade', 0, MAX_GRADE),
        language: requireLanguage(command.data.language, 'language'),
      });
    case 'DrawUpResult':
      return stepAction(c, 'ResultDrawnUp', { documentNumber: optionalText(command.data.documentNumber, 'documentNumber', 100) });
    case 'SignResult':
      return stepAction(c, 'ResultSigned', {});
    case 'SendResultToExecutor':
      return stepAction(c, 'ResultSentToExecutor', {});
    case 'IssueResult':
      return stepAction(c, 'ResultIssued', {});
    case 'SendAcceptanceNotification':
      return stepAction(c, 'AcceptanceNotificationSent', {});
    case 'RefuseApplication':
      return refuse(c, command.data);
    case 'WithdrawApplication':
      return withdraw(c, command.data);
    case 'CorrectAction':
      return correct(c, command.data);
    case 'RecordDeadlinePassed':
      return recordDeadline(c, command.data);
    case 'ErasePersonalData':
      return erasePersonalData(c, command.data);
    default:
      return assertNever(command, 'case command');
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState, CaseDecideContext> = {
  decide: decideCase,
  evolve: evolveCase,
  initialState: initialCaseState,
};

// ---------------------------------------------------------------------------------------------- helpers

function makeEvent<T extends CaseEventType>(
  c: { context: CaseDecideContext; command: CaseCommand },
  regulationId: string,
  type: T,
  data: Extract<CaseEvent, { type: T }>['data'],
  occurredAt: string,
  recordedAt: string,
): CaseEvent {
  return {
    id: c.context.newId(),
    type,
    data,
    metadata: eventMetadata(c.command.metadata, occurredAt, recordedAt, regulationId),
  } as CaseEvent;
}

function requireLanguage(value: unknown, field: string): string {
  const text = requireText(value, field, 8);
  if (!/^[a-z]{2,3}$/.test(text)) throw invalid(field, 'must be an ISO 639 language code such as kk or ru');
  return text;
}

function requireDocuments(value: unknown, field: string): DocumentRef[] {
  if (!Array.isArray(value) || value.length > 100) throw invalid(field, 'must be a list of at most 100 documents');
  return value.map((d, i) => {
    if (typeof d !== 'object' || d === null) throw invalid(`${field}[${i}]`, 'must be a document');
    return { kind: requireText((d as Record<string, unknown>)['kind'], `${field}[${i}].kind`, 100) };
  });
}

/** Rules common to every procedural action of the provider's staff. */
function requireProviderStaff(actor: Actor, providerId: string): void {
  if (!isStaff(actor)) {
    throw new DomainError('ROLE_NOT_ALLOWED', `The role ${actor.role} does not record procedural actions of a case`);
  }
  if (actor.providerId !== providerId) {
    throw new DomainError('PROVIDER_MISMATCH', `The case belongs to provider ${providerId}, not to ${actor.providerId ?? 'none'}`);
  }
}

function requireRole(actor: Actor, roles: readonly ParticipantRole[], what: string): void {
  if (!(roles as readonly string[]).includes(actor.role)) {
    throw new DomainError('ROLE_NOT_ALLOWED', `${what} is performed by ${roles.join(' or ')}, not by ${actor.role}`);
  }
}

function requireOpen(state: ExistingCase): void {
  if (state.status !== 'open') {
    throw new DomainError('CASE_CLOSED', `The case is ${state.status}: only corrections may be recorded`);
  }
}

type Placed = Pick<RecordedAction, 'type' | 'stepId' | 'completesStep'>;

/** The recorded actions that must not have happened later than the new one. */
function requireAfterPredecessors(state: ExistingCase, steps: StepDefinition[], action: Placed, occurredAt: string): void {
  for (const a of state.actions) {
    if (mustPrecede(a, action, steps) && a.occurredAt > occurredAt) {
      throw new DomainError(
        'OCCURRED_BEFORE_PREVIOUS_STEP',
        `${action.type} cannot have happened at ${occurredAt}, before ${a.type} at ${a.occurredAt}`,
        'occurredAt',
      );
    }
  }
}

function channelRule(type: CaseEventType, channel: Channel): void {
  // Source B: the receipt of acceptance is handed over at the office; the notification of acceptance goes to
  // the portal's personal cabinet.
  if (type === 'ReceiptIssued' && channel !== 'office') {
    throw new DomainError('CHANNEL_NOT_ALLOWED', 'A receipt is issued only for an application made at the office');
  }
  if (type === 'AcceptanceNotificationSent' && channel !== 'portal') {
    throw new DomainError('CHANNEL_NOT_ALLOWED', 'A notification of acceptance is sent only for an application made through the portal');
  }
}

// ------------------------------------------------------------------------------------------- submission

function submit(command: SubmitApplication, state: CaseState, context: CaseDecideContext): CaseEvent[] {
  const d = command.data;
  const caseId = requireText(d.caseId, 'caseId', 200);
  const serviceCode = requireOneOf(d.serviceCode, 'serviceCode', SERVICE_CODES);
  const providerId = requireText(d.providerId, 'providerId', 200);
  const channel = requireOneOf(d.channel, 'channel', CHANNELS);
  const applicant = requireSealed(d.applicant, 'applicant');
  const child = requireSealed(d.child, 'child');
  const documents = requireDocuments(d.documents, 'documents');
  const grade = d.grade === undefined || d.grade === null ? null : requireInteger(d.grade, 'grade', 0, MAX_GRADE);

  if (state.status !== 'none') {
    const same =
      state.caseId === caseId &&
      state.serviceCode === serviceCode &&
      state.providerId === providerId &&
      state.channel === channel &&
      sameValue(state.actions[0]?.values, { documents, grade });
    if (same) return [];
    throw new DomainError('CASE_ALREADY_EXISTS', `Case ${state.caseId} already exists`);
  }

  const regulation = context.regulation;
  const service = serviceIn(regulation, serviceCode);
  if (!service.channels.includes(channel)) {
    throw new DomainError('CHANNEL_NOT_ALLOWED', `${serviceCode} under ${regulation.id} is not applied for through the ${channel}`, 'channel');
  }
  const actor = command.metadata.actor;
  const steps = applicableSteps(service, channel);
  if (channel === 'office') {
    // At the office the application is taken by whoever performs the first step (the clerk; the executor
    // where the service has no clerk).
    requireProviderStaff(actor, providerId);
    requireRole(actor, steps[0]?.performedBy ?? [], 'Taking an application at the office');
  } else if (actor.role !== 'applicant' && actor.role !== 'system') {
    throw new DomainError('ROLE_NOT_ALLOWED', 'A portal application is submitted by the applicant or the portal gateway');
  }

  const times = commandTimes(command.metadata, context.clockSkewMs);
  const localDate = almatyDate(times.occurredMs);
  requireInForce(regulation, localDate);
  if (serviceCode === 'special-school-admission' && grade === null) {
    throw invalid('grade', 'is required for admission');
  }
  requireWithinWindows(service, localDate, grade);

  return [
    makeEvent(
      { context, command },
      regulation.id,
      'ApplicationSubmitted',
      {
        caseId,
        regulationId: regulation.id,
        serviceCode,
        providerId,
        channel,
        applicant,
        child,
        documents,
        grade,
        stepId: null,
        completesStep: false,
      },
      times.occurredAt,
      times.recordedAt,
    ),
  ];
}

function requireInForce(regulation: RegulationVersion, localDate: string): void {
  // inForce bounds are Almaty local dates, both inclusive (regulation.types.ts).
  const { from, to } = regulation.inForce;
  if (localDate < from || (to !== null && localDate > to)) {
    throw new DomainError(
      'REGULATION_NOT_IN_FORCE',
      `${regulation.id} is in force ${from}..${to ?? 'now'}; the application is dated ${localDate}`,
      'occurredAt',
    );
  }
}

/** The service's calendar windows (admission: until 30 August; first grade 1 July - 30 August), on the local date. */
function requireWithinWindows(service: ServiceDefinition, localDate: string, grade: number | null): void {
  const monthDay = localDate.slice(5);
  for (const w of service.windows) {
    if (w.grade !== undefined && w.grade !== grade) continue;
    if ((w.from !== undefined && monthDay < w.from) || monthDay > w.to) {
      throw new DomainError(
        'OUTSIDE_ADMISSION_WINDOW',
        `${w.description.en} (${w.from ?? '01-01'}..${w.to}); the application is dated ${localDate}`,
        'occurredAt',
      );
    }
  }
}

// ------------------------------------------------------------------------------------------ step actions

type Placement =
  | { kind: 'step'; step: StepDefinition; completes: boolean; roles: ParticipantRole[] }
  | { kind: 'unscheduled'; roles: ParticipantRole[]; ready: boolean; why: string }
  | { kind: 'repeat'; existing: RecordedAction; roles: ParticipantRole[] }
  | { kind: 'out-of-order'; step: StepDefinition; roles: ParticipantRole[] };

/** Roles of the step in which documents are accepted (for the receipt, notification and refusal). */
function acceptanceRoles(steps: StepDefinition[]): ParticipantRole[] {
  const step = steps.find((s) => stepEvents(s).includes('DocumentsAccepted')) ?? steps[0];
  return step?.performedBy ?? [];
}

function issueRoles(service: ServiceDefinition, steps: StepDefinition[]): ParticipantRole[] {
  // Source A: "issue the result to the recipient" is done by the executor or the office clerk.
  const roles = service.participants.filter((r) => r === 'executor' || r === 'clerk');
  return roles.length > 0 ? roles : (steps[steps.length - 1]?.performedBy ?? []);
}

function place(c: Ctx, type: StepActionType): Placement {
  const { state, steps, service } = c;
  const named = steps.filter((s) => stepEvents(s).includes(type));
  const repeatable = REPEATABLE_ACTIONS.includes(type);
  if (named.length === 0) {
    if (service.steps.some((s) => stepEvents(s).includes(type))) {
      throw new DomainError('CHANNEL_NOT_ALLOWED', `${type} is not part of the procedure on the ${state.channel} channel`);
    }
    // Actions the regulation mentions without making them a step of their own.
    let placement: Placement;
    if (type === 'ReceiptIssued' || type === 'AcceptanceNotificationSent') {
      const acceptanceNamed = steps.some((s) => stepEvents(s).includes('DocumentsAccepted'));
      const ready = !acceptanceNamed || state.actions.some((a) => a.type === 'DocumentsAccepted');
      placement = { kind: 'unscheduled', roles: acceptanceRoles(steps), ready, why: 'the documents are not yet accepted' };
    } else if (type === 'ResultIssued') {
      const ready = steps.every((s) => completionOf(state, s));
      placement = { kind: 'unscheduled', roles: issueRoles(service, steps), ready, why: 'the result is not yet ready' };
    } else {
      throw new DomainError('ACTION_NOT_IN_REGULATION', `${type} is not an action of ${service.code} under ${state.regulationId}`);
    }
    const existing = latestAction(state, type);
    return existing && !repeatable ? { kind: 'repeat', existing, roles: placement.roles } : placement;
  }
  const current = currentStep(state, steps);
  if (
    current &&
    stepEvents(current).includes(type) &&
    (repeatable || !state.actions.some((a) => a.type === type && a.stepId === current.id))
  ) {
    return { kind: 'step', step: current, completes: completesStep(current, type), roles: current.performedBy };
  }
  const existing = latestAction(state, type);
  if (existing && !repeatable) {
    const step = steps.find((s) => s.id === existing.stepId);
    return { kind: 'repeat', existing, roles: step?.performedBy ?? named[0].performedBy };
  }
  return { kind: 'out-of-order', step: named[0], roles: named[0].performedBy };
}

function stepAction(c: Ctx, type: StepActionType, values: Record<string, unknown>): CaseEvent[] {
  const { state, steps, command, context } = c;
  const actor = command.metadata.actor;
  requireProviderStaff(actor, state.providerId);
  channelRule(type, state.channel);
  const times = commandTimes(command.metadata, context.clockSkewMs);
  if (REPEATABLE_ACTIONS.includes(type)) {
    const duplicate = state.actions.some(
      (a) => a.type === type && a.occurredAt === times.occurredAt && sameValue(a.values, values),
    );
    if (duplicate) return [];
  }
  const placement = place(c, type);
  requireRole(actor, rolesFor(type, placement.roles), type);

  if (placement.kind === 'repeat') {
    if (sameValue(placement.existing.values, values)) return [];
    throw new DomainError(
      'ALREADY_RECORDED',
      `${type} is already recorded (event ${placement.existing.eventId}); correct it with CorrectAction`,
    );
  }
  requireOpen(state);
  let mark: StepMark;
  switch (placement.kind) {
    case 'out-of-order':
      throw new DomainError(
        'STEP_OUT_OF_ORDER',
        `${type} belongs to step ${placement.step.id}, which is ${completionOf(state, placement.step) ? 'already completed' : 'not reached yet'}`,
      );
    case 'unscheduled':
      if (!placement.ready) throw new DomainError('STEP_OUT_OF_ORDER', `${type} cannot be recorded: ${placement.why}`);
      mark = { stepId: null, completesStep: false };
      break;
    case 'step': {
      const { step } = placement;
      if (!startOf(state, step)) {
        throw new DomainError('STEP_OUT_OF_ORDER', `Step ${step.id} has not started: ${step.startsOn} is not recorded`);
      }
      if (placement.completes) {
        const missing = requiredActivities(step, state.channel).filter(
          (t) => t !== type && !state.actions.some((a) => a.type === t && a.stepId === step.id),
        );
        if (missing.length > 0) {
          throw new DomainError(
            'STEP_OUT_OF_ORDER',
            `Step ${step.id} cannot be completed by ${type} before ${missing.join(', ')}`,
            missing[0],
          );
        }
      }
      mark = { stepId: step.id, completesStep: placement.completes };
      break;
    }
    default:
      return assertNever(placement, 'placement');
  }
  requireAfterPredecessors(state, steps, { type, ...mark }, times.occurredAt);
  return [
    makeEvent(c, state.regulationId, type, { ...values, ...mark } as Extract<CaseEvent, { type: typeof type }>['data'], times.occurredAt, times.recordedAt),
  ];
}

/**
 * The signature on the result is the head's wherever the step includes the head: Source A gives every
 * signing step to the head alone; Source B's order step names head and executor without splitting the work.
 */
function rolesFor(type: StepActionType, stepRoles: ParticipantRole[]): ParticipantRole[] {
  if (type === 'ResultSigned' && stepRoles.includes('head')) return ['head'];
  return stepRoles;
}

/** A step's activities that must be recorded before it completes (those possible on the channel). */
function requiredActivities(step: StepDefinition, channel: Channel): CaseEventType[] {
  return [...new Set(step.activities ?? [])].filter(
    (t) => !(t === 'ReceiptIssued' && channel !== 'office') && !(t === 'AcceptanceNotificationSent' && channel !== 'portal'),
  );
}

// ---------------------------------------------------------------------------------- refusal, withdrawal

/**
 * Whether the case is still at acceptance: its current step is the one a refusal may end (a step naming
 * ApplicationRefused in `alsoCompletedBy`, else the first step), and nothing past acceptance is recorded
 * (office: the documents are not yet accepted - the refusal is a refusal to accept them; portal: the
 * notification of acceptance is not yet sent).
 */
function acceptanceStep(c: Ctx): StepDefinition | undefined {
  const { state, steps } = c;
  const current = currentStep(state, steps);
  if (!current) return undefined;
  const refusable = steps.filter((s) => (s.alsoCompletedBy ?? []).includes('ApplicationRefused'));
  const atAcceptance = refusable.length > 0 ? refusable.includes(current) : current === steps[0];
  if (!atAcceptance) return undefined;
  const pastAcceptance: CaseActionType = state.channel === 'office' ? 'DocumentsAccepted' : 'AcceptanceNotificationSent';
  return state.actions.some((a) => a.type === pastAcceptance) ? undefined : current;
}

function requireGrounds(service: ServiceDefinition, value: unknown, field: string): RefusalGroundCode[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(field, 'must name at least one ground');
  const allowed = service.refusalGrounds.map((g) => g.code);
  for (const g of value) {
    if (!allowed.includes(g as RefusalGroundCode)) {
      throw new DomainError(
        'REFUSAL_GROUND_NOT_ALLOWED',
        `${String(g)} is not a ground of refusal for ${service.code}; allowed: ${allowed.join(', ') || 'none'}`,
        field,
      );
    }
  }
  return [...new Set(value as RefusalGroundCode[])];
}

function refuse(c: Ctx, data: { grounds: RefusalGroundCode[]; motivation: string }): CaseEvent[] {
  const { state, service, steps, command, context } = c;
  const actor = command.metadata.actor;
  requireProviderStaff(actor, state.providerId);
  const grounds = requireGrounds(service, data.grounds, 'grounds');
  const motivation = requireText(data.motivation, 'motivation', 4000);
  const previous = latestAction(state, 'ApplicationRefused');
  if (state.status === 'refused' && previous && sameValue(previous.values['grounds'], grounds) && previous.values['motivation'] === motivation) {
    return [];
  }
  requireOpen(state);
  const step = acceptanceStep(c);
  if (!step) {
    throw new DomainError('REFUSAL_NOT_AT_ACCEPTANCE', 'An application is refused only at acceptance, before its documents are accepted');
  }
  requireRole(actor, step.performedBy, 'A refusal');
  const times = commandTimes(command.metadata, context.clockSkewMs);
  const mark: StepMark = { stepId: step.id, completesStep: completesStep(step, 'ApplicationRefused') };
  requireAfterPredecessors(state, steps, { type: 'ApplicationRefused', ...mark }, times.occurredAt);
  const form = state.channel === 'portal' ? 'electronic' : 'paper';
  return [makeEvent(c, state.regulationId, 'ApplicationRefused', { grounds, motivation, form, ...mark }, times.occurredAt, times.recordedAt)];
}

/**
 * A withdrawal is recorded by the provider's staff (the applicant's written withdrawal), or through the
 * portal by the applicant who submitted it or by the portal gateway.
 */
function withdraw(c: Ctx, data: { reason?: string | null }): CaseEvent[] {
  const { state, steps, command, context } = c;
  const actor = command.metadata.actor;
  const reason = optionalText(data.reason, 'reason', 2000);
  if (actor.role === 'applicant') {
    if (state.submittedBy.role !== 'applicant' || state.submittedBy.userId !== actor.userId) {
      throw new DomainError('NOT_OWN_APPLICATION', 'An applicant withdraws only an application they submitted through the portal');
    }
  } else if (actor.role === 'system') {
    if (state.channel !== 'portal') throw new DomainError('ROLE_NOT_ALLOWED', 'The portal gateway withdraws only portal applications');
  } else {
    requireProviderStaff(actor, state.providerId);
  }
  const previous = latestAction(state, 'ApplicationWithdrawn');
  if (state.status === 'withdrawn' && previous && previous.values['reason'] === reason) return [];
  requireOpen(state);
  const times = commandTimes(command.metadata, context.clockSkewMs);
  const step = currentStep(state, steps);
  const mark: StepMark = { stepId: step?.id ?? null, completesStep: step ? completesStep(step, 'ApplicationWithdrawn') : false };
  requireAfterPredecessors(state, steps, { type: 'ApplicationWithdrawn', ...mark }, times.occurredAt);
  return [makeEvent(c, state.regulationId, 'ApplicationWithdrawn', { reason, ...mark }, times.occurredAt, times.recordedAt)];
}

// ----------------------------------------------------------------------------------------- corrections

function validateCorrectedValue(c: Ctx, target: RecordedAction, field: keyof CorrectedValues, value: unknown): unknown {
  const f = `corrected.data.${field}`;
  switch (field) {
    case 'documents':
      return requireDocuments(value, f);
    case 'grade':
      if (target.type === 'ApplicationSubmitted' && (value === null || value === undefined)) {
        if (c.state.serviceCode === 'special-school-admission') throw invalid(f, 'is required for admission');
        return null;
      }
      return requireInteger(value, f, 0, MAX_GRADE);
    case 'applicant':
    case 'child':
      return requireSealed(value, f);
    case 'journalNumber':
    case 'contractNumber':
      return requireText(value, f, 100);
    case 'executorId':
      return requireText(value, f, 200);
    case 'receiptNumber':
    case 'documentNumber':
      return optionalText(value, f, 100);
    case 'format':
      return requireOneOf(value, f, SESSION_FORMATS);
    case 'activity':
      return requireOneOf(value, f, SESSION_ACTIVITIES);
    case 'language':
      return requireLanguage(value, f);
    case 'grounds':
      return requireGrounds(c.service, value, f);
    case 'motivation':
      return requireText(value, f, 4000);
    case 'reason':
      return optionalText(value, f, 2000);
    default:
      return assertNever(field, 'correctable field');
  }
}

/**
 * Corrections are made by the provider's staff: the role that recorded the action, or the head. An admin
 * cannot state when a procedural action happened, so does not correct (admins erase personal data).
 * Portal submissions (by the applicant or gateway) are corrected by the head.
 */
function correct(
  c: Ctx,
  data: { correctedEventId: string; reason: string; corrected: { occurredAt?: string; data?: CorrectedValues } },
): CaseEvent[] {
  const { state, steps, command, context, service } = c;
  const actor = command.metadata.actor;
  requireProviderStaff(actor, state.providerId);
  const targetId = requireText(data.correctedEventId, 'correctedEventId', 200);
  const reason = requireText(data.reason, 'reason', 4000);
  if (state.deadlinesPassed.some((d) => d.eventId === targetId)) {
    throw new DomainError('CORRECTION_TARGET_NOT_CORRECTABLE', 'A recorded deadline is a fact of the calendar, not an action', 'correctedEventId');
  }
  const target = state.actions.find((a) => a.eventIds.includes(targetId));
  if (!target) {
    throw new DomainError('CORRECTION_TARGET_UNKNOWN', `No action of this case has the event id ${targetId}`, 'correctedEventId');
  }
  const roles: ParticipantRole[] =
    isStaff(target.actor) && target.actor.role !== 'head' ? ['head', target.actor.role] : ['head'];
  requireRole(actor, roles, `Correcting ${target.type}`);

  const corrected = data.corrected ?? {};
  const changes: Record<string, unknown> = {};
  const allowed = CORRECTABLE_FIELDS[target.type];
  for (const [field, value] of Object.entries(corrected.data ?? {})) {
    if (value === undefined) continue;
    if (!(allowed as readonly string[]).includes(field)) {
      throw new DomainError(
        'CORRECTION_FIELD_NOT_ALLOWED',
        `${field} of ${target.type} cannot be corrected; correctable: ${['occurredAt', ...allowed].join(', ')}`,
        `corrected.data.${field}`,
      );
    }
    changes[field] = validateCorrectedValue(c, target, field as keyof CorrectedValues, value);
  }
  const newOccurredMs = corrected.occurredAt === undefined ? undefined : parseInstant(corrected.occurredAt, 'corrected.occurredAt');
  if (newOccurredMs === undefined && Object.keys(changes).length === 0) {
    throw invalid('corrected', 'names nothing to correct');
  }
  const newOccurredAt = newOccurredMs === undefined ? undefined : toUtc(newOccurredMs);

  if (target.eventId !== targetId) {
    // A retry of the correction that superseded the target changes nothing.
    const successor = target.corrections[target.eventIds.indexOf(targetId)];
    if (successor && successor.reason === reason && successor.occurredAt === newOccurredAt && sameCorrection(successor, changes)) return [];
    throw new DomainError(
      'CORRECTION_TARGET_UNKNOWN',
      `Event ${targetId} is already superseded by ${target.eventIds[target.eventIds.indexOf(targetId) + 1]}; correct that one`,
      'correctedEventId',
    );
  }

  const unchanged =
    (newOccurredAt === undefined || newOccurredAt === target.occurredAt) &&
    Object.entries(changes).every(([k, v]) => sameValue(currentValue(state, target, k), v));
  if (unchanged) return [];

  const times = commandTimes(command.metadata, context.clockSkewMs);
  if (newOccurredMs !== undefined && newOccurredAt !== undefined) {
    if (newOccurredMs > times.nowMs + context.clockSkewMs) {
      throw new DomainError('OCCURRED_IN_FUTURE', `The corrected occurredAt ${corrected.occurredAt} is in the future`, 'corrected.occurredAt');
    }
    for (const a of state.actions) {
      if (a === target) continue;
      if (mustPrecede(a, target, steps) && a.occurredAt > newOccurredAt) {
        throw new DomainError(
          'OCCURRED_BEFORE_PREVIOUS_STEP',
          `${target.type} cannot have happened at ${newOccurredAt}, before ${a.type} at ${a.occurredAt}`,
          'corrected.occurredAt',
        );
      }
      if (mustPrecede(target, a, steps) && a.occurredAt < newOccurredAt) {
        throw new DomainError(
          'OCCURRED_AFTER_NEXT_ACTION',
          `${target.type} cannot have happened at ${newOccurredAt}, after ${a.type} at ${a.occurredAt}`,
          'corrected.occurredAt',
        );
      }
    }
  }
  if (target.type === 'ApplicationSubmitted') {
    const occurredMs = newOccurredMs ?? Date.parse(target.occurredAt);
    const localDate = almatyDate(occurredMs);
    const regulation = context.regulation;
    requireInForce(regulation, localDate);
    const grade = 'grade' in changes ? (changes['grade'] as number | null) : state.grade;
    requireWithinWindows(service, localDate, grade);
  }

  const correctedPayload: { occurredAt?: string; data?: CorrectedValues } = {};
  if (newOccurredAt !== undefined) correctedPayload.occurredAt = newOccurredAt;
  if (Object.keys(changes).length > 0) correctedPayload.data = changes as CorrectedValues;
  return [
    makeEvent(
      c,
      state.regulationId,
      'ActionCorrected',
      {
        correctedEventId: targetId,
        correctedType: target.type,
        reason,
        corrected: correctedPayload,
        stepId: target.stepId,
        completesStep: target.completesStep,
      },
      times.occurredAt,
      times.recordedAt,
    ),
  ];
}

function currentValue(state: ExistingCase, target: RecordedAction, field: string): unknown {
  if (target.type === 'ApplicationSubmitted' && (field === 'applicant' || field === 'child')) {
    const person = state[field];
    return person.sealed === null ? null : { personId: person.personId, sealed: person.sealed };
  }
  return target.values[field];
}

function sameCorrection(record: RecordedAction['corrections'][number], changes: Record<string, unknown>): boolean {
  const values: Record<string, unknown> = {};
  const persons: Record<string, string> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'applicant' || k === 'child') persons[k] = (v as { personId: string }).personId;
    else values[k] = v;
  }
  return sameValue(record.values, values) && sameValue(record.persons, persons);
}

// ----------------------------------------------------------------------------- deadlines and erasure

/** The deadline sweeper (role 'system') records that a step's term expired while the step was open. */
function recordDeadline(c: Ctx, data: { stepId: string; dueAt: string }): CaseEvent[] {
  const { state, steps, command, context } = c;
  const actor = command.metadata.actor;
  if (actor.role !== 'system') throw new DomainError('ROLE_NOT_ALLOWED', 'Deadlines are recorded by the system');
  const stepId = requireText(data.stepId, 'stepId', 200);
  const step = steps.find((s) => s.id === stepId);
  if (!step) throw new DomainError('STEP_UNKNOWN', `No step ${stepId} applies to this case`, 'stepId');
  if (state.deadlinesPassed.some((d) => d.stepId === stepId)) return [];
  requireOpen(state);
  if (step.norm.kind === 'none') throw new DomainError('STEP_HAS_NO_TERM', `Step ${stepId} has no term in the regulation`, 'stepId');
  const dueMs = parseInstant(data.dueAt, 'dueAt');
  const times: CommandTimes = commandTimes({ ...command.metadata, occurredAt: undefined }, context.clockSkewMs);
  if (dueMs > times.nowMs) throw new DomainError('DEADLINE_NOT_REACHED', `The term of ${stepId} runs until ${data.dueAt}`, 'dueAt');
  const start = startOf(state, step);
  if (!start || completionOf(state, step)) {
    throw new DomainError('STEP_NOT_OPEN', `Step ${stepId} is ${start ? 'completed' : 'not started'}`, 'stepId');
  }
  const dueAt = toUtc(dueMs);
  if (dueAt < start.occurredAt) throw invalid('dueAt', `is before the step started (${start.occurredAt})`);
  return [makeEvent(c, state.regulationId, 'DeadlinePassed', { stepId, dueAt, completesStep: false }, dueAt, times.recordedAt)];
}

/** An admin erases a person's data (the application layer destroys the person's key); allowed on closed cases. */
function erasePersonalData(c: Ctx, data: { personId: string; reason: string }): CaseEvent[] {
  const { state, command, context } = c;
  if (command.metadata.actor.role !== 'admin') throw new DomainError('ROLE_NOT_ALLOWED', 'Personal data is erased by an admin');
  const personId = requireText(data.personId, 'personId', 200);
  const reason = requireText(data.reason, 'reason', 2000);
  if (!state.personIds.includes(personId)) throw new DomainError('PERSON_UNKNOWN', `The case holds no data of ${personId}`, 'personId');
  if (state.erasedPersonIds.includes(personId)) return [];
  const times = commandTimes({ ...command.metadata, occurredAt: undefined }, context.clockSkewMs);
  return [makeEvent(c, state.regulationId, 'PersonalDataErased', { personId, reason }, times.occurredAt, times.recordedAt)];
}

