import { z } from 'zod';
import { SESSION_ACTIVITIES, SESSION_FORMATS } from '@sped/domain';
import { SERVICE_CODES, CHANNELS } from '@sped/regulations';
import { applicantInput, childInput, code, isoInstant, text, uuid } from '../http/schemas.js';

const documents = z
  .array(z.strictObject({ kind: code(100) }), { message: 'must be a list of {"kind": "..."}' })
  .min(1, 'must list at least one document')
  .max(50, 'must list at most 50 documents');
const grade = z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0-12').max(12, 'must be 0-12');
const language = z.string({ message: 'must be a string' }).regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code such as kk or ru');
const occurredAt = isoInstant.optional();

export const submitApplicationBody = z.strictObject({
  service: z.enum(SERVICE_CODES as unknown as [string, ...string[]], { message: `must be one of ${SERVICE_CODES.join(', ')}` }),
  providerId: code(100),
  channel: z.enum(CHANNELS as unknown as [string, ...string[]], { message: `must be one of ${CHANNELS.join(', ')}` }).default('office'),
  occurredAt,
  applicant: applicantInput,
  child: childInput,
  documents,
  grade: grade.nullable().optional(),
});
export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;

const action = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.strictObject({ type: z.literal(type), occurredAt, ...shape });

const correctedData = z.strictObject({
  documents: documents.optional(),
  grade: grade.nullable().optional(),
  applicant: applicantInput.optional(),
  child: childInput.optional(),
  journalNumber: code(50).optional(),
  receiptNumber: code(50).nullable().optional(),
  executorId: code(100).optional(),
  contractNumber: code(50).optional(),
  format: z.enum(SESSION_FORMATS).optional(),
  activity: z.enum(SESSION_ACTIVITIES).optional(),
  language: language.optional(),
  documentNumber: code(50).nullable().optional(),
  grounds: z.array(z.enum(['incomplete-documents', 'expired-documents'])).min(1).optional(),
  motivation: text(4000, 10).optional(),
  reason: text(1000).nullable().optional(),
});

export const CASE_ACTIONS = [
  action('AcceptDocuments', { journalNumber: code(50) }),
  action('IssueReceipt', { receiptNumber: code(50).nullable().optional() }),
  action('SendToHead', {}),
  action('AppointExecutor', { executorId: code(100) }),
  action('HoldInitialExamination', {}),
  action('ConcludeContract', { contractNumber: code(50) }),
  action('HoldSession', {
    format: z.enum(SESSION_FORMATS, { message: `must be one of ${SESSION_FORMATS.join(', ')}` }),
    activity: z.enum(SESSION_ACTIVITIES, { message: `must be one of ${SESSION_ACTIVITIES.join(', ')}` }),
  }),
  action('HoldExamination', {}),
  action('SetClassAndLanguage', { grade, language }),
  action('DrawUpResult', { documentNumber: code(50).nullable().optional() }),
  action('SignResult', {}),
  action('SendResultToExecutor', {}),
  action('IssueResult', {}),
  action('SendAcceptanceNotification', {}),
  action('RefuseApplication', {
    grounds: z
      .array(z.enum(['incomplete-documents', 'expired-documents'], { message: 'must be incomplete-documents or expired-documents' }))
      .min(1, 'must name at least one ground'),
    motivation: text(4000, 10),
  }),
  action('WithdrawApplication', { reason: text(1000).nullable().optional() }),
  action('CorrectAction', {
    correctedEventId: uuid,
    reason: text(1000, 5),
    corrected: z.strictObject({ occurredAt, data: correctedData.optional() }).refine((c) => c.occurredAt !== undefined || c.data !== undefined, 'must correct occurredAt or data'),
  }),
  action('ErasePersonalData', { personId: uuid, reason: text(1000, 5) }),
] as const;

export const CASE_ACTION_TYPES = CASE_ACTIONS.map((a) => a.shape.type.value);

export const caseActionBody = z.discriminatedUnion('type', CASE_ACTIONS, {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${CASE_ACTION_TYPES.join(', ')}` : undefined),
});
export type CaseActionBody = z.infer<typeof caseActionBody>;
