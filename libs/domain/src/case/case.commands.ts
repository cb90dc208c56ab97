import type { Channel, ServiceCode } from '@sped/regulations';
import type { SealedPersonalData } from '../shared/actor.js';
import type { Command } from '../shared/messages.js';
import type {
  CorrectedValues,
  DocumentRef,
  RefusalGroundCode,
  SessionActivity,
  SessionFormat,
  StepActionType,
} from './case.events.js';

/** Commands on a case. The case id is the stream's (`case-<id>`); only SubmitApplication carries it. */

export type SubmitApplication = Command<
  'SubmitApplication',
  {
    caseId: string;
    serviceCode: ServiceCode;
    providerId: string;
    channel: Channel;
    applicant: SealedPersonalData;
    child: SealedPersonalData;
    documents: DocumentRef[];
    /** Required for special-school admission (its windows depend on it); optional otherwise. */
    grade?: number | null;
  }
>;
export type AcceptDocuments = Command<'AcceptDocuments', { journalNumber: string }>;
export type IssueReceipt = Command<'IssueReceipt', { receiptNumber?: string | null }>;
export type SendToHead = Command<'SendToHead', Record<string, never>>;
export type AppointExecutor = Command<'AppointExecutor', { executorId: string }>;
export type HoldInitialExamination = Command<'HoldInitialExamination', Record<string, never>>;
export type ConcludeContract = Command<'ConcludeContract', { contractNumber: string }>;
export type HoldSession = Command<'HoldSession', { format: SessionFormat; activity: SessionActivity }>;
export type HoldExamination = Command<'HoldExamination', Record<string, never>>;
export type SetClassAndLanguage = Command<'SetClassAndLanguage', { grade: number; language: string }>;
export type DrawUpResult = Command<'DrawUpResult', { documentNumber?: string | null }>;
export type SignResult = Command<'SignResult', Record<string, never>>;
export type SendResultToExecutor = Command<'SendResultToExecutor', Record<string, never>>;
export type IssueResult = Command<'IssueResult', Record<string, never>>;
export type SendAcceptanceNotification = Command<'SendAcceptanceNotification', Record<string, never>>;
export type RefuseApplication = Command<'RefuseApplication', { grounds: RefusalGroundCode[]; motivation: string }>;
export type WithdrawApplication = Command<'WithdrawApplication', { reason?: string | null }>;
export type CorrectAction = Command<
  'CorrectAction',
  {
    /** The event to correct: the original, or the latest correction of it. */
    correctedEventId: string;
    reason: string;
    corrected: { occurredAt?: string; data?: CorrectedValues };
  }
>;
export type RecordDeadlinePassed = Command<'RecordDeadlinePassed', { stepId: string; dueAt: string }>;
export type ErasePersonalData = Command<'ErasePersonalData', { personId: string; reason: string }>;

export type CaseCommand =
  | SubmitApplication
  | AcceptDocuments
  | IssueReceipt
  | SendToHead
  | AppointExecutor
  | HoldInitialExamination
  | ConcludeContract
  | HoldSession
  | HoldExamination
  | SetClassAndLanguage
  | DrawUpResult
  | SignResult
  | SendResultToExecutor
  | IssueResult
  | SendAcceptanceNotification
  | RefuseApplication
  | WithdrawApplication
  | CorrectAction
  | RecordDeadlinePassed
  | ErasePersonalData;

export type CaseCommandType = CaseCommand['type'];

/** The event each step command records. */
export const STEP_COMMAND_EVENTS = {
  AcceptDocuments: 'DocumentsAccepted',
  IssueReceipt: 'ReceiptIssued',
  SendToHead: 'SentToHead',
  AppointExecutor: 'ExecutorAppointed',
  HoldInitialExamination: 'InitialExaminationHeld',
  ConcludeContract: 'ContractConcluded',
  HoldSession: 'SessionHeld',
  HoldExamination: 'ExaminationHeld',
  SetClassAndLanguage: 'ClassAndLanguageSet',
  DrawUpResult: 'ResultDrawnUp',
  SignResult: 'ResultSigned',
  SendResultToExecutor: 'ResultSentToExecutor',
  IssueResult: 'ResultIssued',
  SendAcceptanceNotification: 'AcceptanceNotificationSent',
} as const satisfies Record<string, StepActionType>;

export const CASE_COMMAND_TYPES = [
  'SubmitApplication',
  'AcceptDocuments',
  'IssueReceipt',
  'SendToHead',
  'AppointExecutor',
  'HoldInitialExamination',
  'ConcludeContract',
  'HoldSession',
  'HoldExamination',
  'SetClassAndLanguage',
  'DrawUpResult',
  'SignResult',
  'SendResultToExecutor',
  'IssueResult',
  'SendAcceptanceNotification',
  'RefuseApplication',
  'WithdrawApplication',
  'CorrectAction',
  'RecordDeadlinePassed',
  'ErasePersonalData',
] as const satisfies readonly CaseCommandType[];

// Every command type is listed: a compile error otherwise.
const _allCommandsListed: CaseCommandType extends (typeof CASE_COMMAND_TYPES)[number] ? true : false = true;
void _allCommandsListed;
