import type { ComplaintAddressee } from '@sped/regulations';
import type { SealedPersonalData } from '../shared/actor.js';
import type { Command } from '../shared/messages.js';
import type { ComplaintOutcome, ComplaintSubject } from './complaint.events.js';

export type FileComplaint = Command<
  'FileComplaint',
  {
    complaintId: string;
    providerId: string;
    caseId?: string | null;
    subject: ComplaintSubject;
    addressee: ComplaintAddressee;
    complainant: SealedPersonalData;
    text: SealedPersonalData;
  }
>;
/** occurredAt = the registration instant; the review term runs from it. */
export type RegisterComplaint = Command<'RegisterComplaint', { registrationNumber: string }>;
export type ForwardComplaint = Command<'ForwardComplaint', { reason: string }>;
export type AnswerComplaint = Command<'AnswerComplaint', { outcome: ComplaintOutcome; answer: SealedPersonalData }>;
export type WithdrawComplaint = Command<'WithdrawComplaint', { reason?: string | null }>;
export type RecordCourtAppeal = Command<'RecordCourtAppeal', { court?: string | null }>;
export type EraseComplaintPersonalData = Command<'EraseComplaintPersonalData', { personId: string; reason: string }>;
/** The system records that the running review term expired unanswered; dueAt is computed by the caller with the calendar. */
export type RecordReviewTermPassed = Command<'RecordReviewTermPassed', { dueAt: string }>;

export type ComplaintCommand =
  | FileComplaint
  | RegisterComplaint
  | ForwardComplaint
  | AnswerComplaint
  | WithdrawComplaint
  | RecordCourtAppeal
  | EraseComplaintPersonalData
  | RecordReviewTermPassed;
export type ComplaintCommandType = ComplaintCommand['type'];

export const COMPLAINT_COMMAND_TYPES = [
  'FileComplaint',
  'RegisterComplaint',
  'ForwardComplaint',
  'AnswerComplaint',
  'WithdrawComplaint',
  'RecordCourtAppeal',
  'EraseComplaintPersonalData',
  'RecordReviewTermPassed',
] as const satisfies readonly ComplaintCommandType[];

const _allCommandsListed: ComplaintCommandType extends (typeof COMPLAINT_COMMAND_TYPES)[number] ? true : false = true;
void _allCommandsListed;
