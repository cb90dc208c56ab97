import { z } from 'zod';
import { COMPLAINT_OUTCOMES, COMPLAINT_SUBJECTS } from '@sped/domain';
import { applicantInput, code, isoInstant, text, uuid } from '../http/schemas.js';

const occurredAt = isoInstant.optional();

export const fileComplaintBody = z.strictObject({
  providerId: code(100),
  caseId: uuid.nullable().optional(),
  subject: z.enum(COMPLAINT_SUBJECTS, { message: `must be one of ${COMPLAINT_SUBJECTS.join(', ')}` }),
  addressee: z.enum(['provider', 'authorized-body'], { message: 'must be provider or authorized-body' }),
  complainant: applicantInput,
  text: text(20000, 5),
  occurredAt,
});
export type FileComplaintBody = z.infer<typeof fileComplaintBody>;

const action = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.strictObject({ type: z.literal(type), occurredAt, ...shape });

export const COMPLAINT_ACTIONS = [
  action('RegisterComplaint', { registrationNumber: code(50) }),
  action('ForwardComplaint', { reason: text(2000, 5) }),
  action('AnswerComplaint', { outcome: z.enum(COMPLAINT_OUTCOMES, { message: `must be one of ${COMPLAINT_OUTCOMES.join(', ')}` }), answer: text(20000, 5) }),
  action('WithdrawComplaint', { reason: text(2000).nullable().optional() }),
  action('RecordCourtAppeal', { court: text(300).nullable().optional() }),
  action('EraseComplaintPersonalData', { personId: uuid, reason: text(1000, 5) }),
] as const;
export const COMPLAINT_ACTION_TYPES = COMPLAINT_ACTIONS.map((a) => a.shape.type.value);

export const complaintActionBody = z.discriminatedUnion('type', COMPLAINT_ACTIONS, {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${COMPLAINT_ACTION_TYPES.join(', ')}` : undefined),
});
export type ComplaintActionBody = z.infer<typeof complaintActionBody>;
