// Shared
export { DomainError, assertNever } from './shared/domain-error.js';
export { ACTOR_ROLES, STAFF_ROLES, isStaff, type Actor, type ActorRole, type StaffRole, type SealedPersonalData } from './shared/actor.js';
export type { Command, CommandMetadata, Decider, DomainEvent, EventMetadata } from './shared/messages.js';
export { almatyDate } from './shared/time.js';

// Case
export * from './case/case.events.js';
export * from './case/case.commands.js';
export {
  initialCaseState,
  evolveCase,
  foldCase,
  latestAction,
  isClosed,
  type CaseState,
  type CaseStatus,
  type NoCase,
  type ExistingCase,
  type RecordedAction,
  type CorrectionRecord,
  type DeadlineRecord,
  type PersonRecord,
} from './case/case.state.js';
export { decideCase, caseDecider, type CaseDecideContext } from './case/case.decider.js';
export { applicableSteps, currentStep, serviceIn } from './case/case.procedure.js';
export { CASE_STAGES, caseStage, caseSteps, type CaseStage, type StepProgress, type StepStatus } from './case/case.views.js';

// Complaint
export * from './complaint/complaint.events.js';
export * from './complaint/complaint.commands.js';
export {
  initialComplaintState,
  evolveComplaint,
  foldComplaint,
  currentRegistration,
  runningReviewTerm,
  type ComplaintState,
  type ComplaintStatus,
  type NoComplaint,
  type ExistingComplaint,
  type Registration,
  type SealedRecord,
} from './complaint/complaint.state.js';
export { decideComplaint, complaintDecider, type ComplaintDecideContext } from './complaint/complaint.decider.js';

// Persons
export { checkIin, makeIin, iinCheckDigit, type IinCheck, type IinFacts } from './person/iin.js';
