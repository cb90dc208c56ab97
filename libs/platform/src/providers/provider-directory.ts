import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEMO_PROVIDERS } from './demo-providers.js';
import { compileSchedule, DEFAULT_SCHEDULE, SERVICE_CODES, type WorkingSchedule } from '@sped/regulations';

const localized = z.strictObject({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
const schedule = z
  .strictObject({ id: z.string().optional(), periods: z.array(z.strictObject({ start: z.string(), end: z.string() })).min(1) })
  .superRefine((s, ctx) => {
    try {
      compileSchedule(s);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });
const provider = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/, 'must be lower-case letters, digits and dashes'),
  name: localized,
  kind: z.enum(['pmpc', 'rehabilitation-centre', 'correction-room', 'special-school', 'school']),
  region: z.string().min(1),
  services: z.array(z.enum(SERVICE_CODES as unknown as [string, ...string[]])).min(1),
  schedule: schedule.optional(),
});
const file = z.strictObject({ providers: z.array(provider) }).superRefine((f, ctx) => {
  const seen = new Set<string>();
  f.providers.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `duplicate provider id ${p.id}` });
    seen.add(p.id);
  });
});

export type Provider = z.infer<typeof provider>;

/** The providers this installation serves, with each one's working schedule (default 09:00-13:00, 14:00-18:00). */
export class ProviderDirectory {
  private readonly byId: Map<string, Provider>;

  constructor(readonly providers: Provider[]) {
    this.byId = new Map(providers.map((p) => [p.id, p]));
  }

  get(id: string): Provider | undefined {
    return this.byId.get(id);
  }

  /** The schedule working-time norms are counted in; a provider without one of its own keeps the default. */
  scheduleOf(id: string): WorkingSchedule {
    return (this.byId.get(id)?.schedule as WorkingSchedule | undefined) ?? DEFAULT_SCHEDULE;
  }
}

function validate(raw: unknown, where: string): ProviderDirectory {
  const parsed = file.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Providers ${where} are not valid:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return new ProviderDirectory(parsed.data.providers);
}

export const demoProviderDirectory = () => validate(DEMO_PROVIDERS, 'of the demo');

/** Reads and validates a providers file (PROVIDERS_FILE), or the demo providers; a bad file names the field. */
export function loadProviderDirectory(path?: string): ProviderDirectory {
  if (!path) return demoProviderDirectory();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Providers file ${path} could not be read as JSON: ${(error as Error).message}`);
  }
  return validate(raw, `in ${path}`);
}
