import { z } from 'zod';
import { checkIin } from '@sped/domain';

/** Shared input shapes. Every object is strict: an unknown field is refused and named. */

export const isoInstant = z
  .string({ message: 'must be a string' })
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO-8601 instant with an offset, e.g. 2024-03-29T10:15:00+05:00',
  });

export const isoDate = z
  .string({ message: 'must be a string' })
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v + 'T00:00:00Z')) && new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) === v, {
    message: 'must be a date YYYY-MM-DD',
  })
  // The legal clock and the working calendar are defined for these years; older or later dates mean a typo.
  .refine((v) => v >= '1900-01-01' && v <= '2199-12-31', { message: 'must be a date between 1900-01-01 and 2199-12-31' });

/** Identifiers chosen by people (provider ids, journal numbers): printable, bounded, no control characters. */
export const code = (max = 100) =>
  z
    .string({ message: 'must be a string' })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._/#№:-]*$/u, 'may contain letters, digits, spaces and . _ / # № : - only');

export const text = (max: number, min = 1) =>
  z
    .string({ message: 'must be a string' })
    .min(min, min > 1 ? `must be at least ${min} characters` : 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => ![...v].some((ch) => isControl(ch.charCodeAt(0))), 'must not contain control characters')
    // JSON carries a lone surrogate (\ud800) but no database or UTF-8 encoder takes it: refused here, not a 500 later.
    .refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode (a lone surrogate is not a character)');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** C0 controls other than tab, line feed and carriage return, and DEL. */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;
}

export const uuid = z.uuid({ message: 'must be a UUID' });

const iin = z.string({ message: 'must be a string' }).refine((v) => /^\d{12}$/.test(v), 'must be exactly 12 digits');

function iinConsistent<T extends { iin?: string; birthDate?: string }>(person: T, ctx: z.RefinementCtx) {
  if (!person.iin || !/^\d{12}$/.test(person.iin)) return;
  const check = checkIin(person.iin, person.birthDate);
  if (!check.ok) ctx.addIssue({ code: 'custom', path: [check.reason.startsWith('encodes birth date') ? 'birthDate' : 'iin'], message: `IIN ${check.reason}` });
}

export const applicantInput = z
  .strictObject({
    iin,
    fullName: text(200),
    birthDate: isoDate.optional(),
    relation: z.enum(['mother', 'father', 'guardian', 'self', 'other'], { message: 'must be mother, father, guardian, self or other' }).optional(),
    phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
    email: z.email({ message: 'must be an e-mail address' }).max(200).optional(),
    address: text(500).optional(),
  })
  .superRefine(iinConsistent);

export const childInput = z
  .strictObject({
    iin,
    fullName: text(200),
    birthDate: isoDate,
    medicalNotes: text(4000).optional(),
  })
  .superRefine(iinConsistent);

export type PersonInput = z.infer<typeof applicantInput> | z.infer<typeof childInput>;
