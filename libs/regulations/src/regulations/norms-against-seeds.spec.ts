import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LegalSource, Norm, RegulationVersion } from '../regulation.types.js';
import { listComplaintTerms, listRegulations, regulationById } from './registry.js';

/** The project's copies of the original texts: shared/seeds beside the repository (SEEDS_DIR overrides). */
const SEEDS_DIR = process.env['SEEDS_DIR'] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/seeds');

/** Collapses whitespace (the seeds are PDF extractions with hard line breaks) and the stray spaces inside brackets. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
}

const seedText = new Map<string, string>();
function seed(name: string): string {
  let text = seedText.get(name);
  if (text === undefined) {
    text = normalize(readFileSync(path.join(SEEDS_DIR, name), 'utf8'));
    seedText.set(name, text);
  }
  return text;
}

type Expected =
  | { kind: 'limit'; amount: number; unit: string; phrase: string }
  | { kind: 'window'; min: number; max: number; unit: string; phrase: string }
  | { kind: 'none' };

/**
 * The norms as read from the seeds by hand, independently of the data files: a silent change of either the
 * data or a seed fails here. `phrase` is the Kazakh wording of the norm that the step's quote must contain.
 */
const EXPECTED: Array<[regulation: string, step: string, expected: Expected]> = [
  ['almaty-region-604-2018', 'pmpc-1', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'pmpc-2', { kind: 'limit', amount: 1, unit: 'hours', phrase: '– 1 (бір) сағат' }],
  ['almaty-region-604-2018', 'pmpc-3', { kind: 'limit', amount: 29, unit: 'calendar-days', phrase: '– күнтізбелік 29 (жиырма тоғыз) күн' }],
  ['almaty-region-604-2018', 'pmpc-4', { kind: 'limit', amount: 4, unit: 'hours', phrase: '– 4 (төрт) сағат' }],
  ['almaty-region-604-2018', 'pmpc-5', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'rehab-1', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'rehab-2', { kind: 'limit', amount: 60, unit: 'minutes', phrase: '– 60 (алпыс) минут' }],
  [
    'almaty-region-604-2018',
    'rehab-3',
    {
      kind: 'window',
      min: 89,
      max: 364,
      unit: 'calendar-days',
      phrase: '– күнтізбелік 89 (сексен тоғыз) күннен бастап күнтізбелік 364 (үш жүз алпыс төрт) күнге дейін',
    },
  ],
  ['almaty-region-604-2018', 'rehab-4', { kind: 'limit', amount: 4, unit: 'hours', phrase: '– 4 (төрт) сағат' }],
  ['almaty-region-604-2018', 'rehab-5', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'admission-1', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минуттан аспайды' }],
  ['almaty-region-604-2018', 'admission-2', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'admission-3', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'home-1', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['almaty-region-604-2018', 'home-2', { kind: 'limit', amount: 3, unit: 'hours', phrase: '– 3 (үш) сағат' }],
  ['almaty-region-604-2018', 'home-3', { kind: 'limit', amount: 2, unit: 'working-days', phrase: '– 2 (екі) жұмыс күні' }],
  ['almaty-region-604-2018', 'home-4', { kind: 'limit', amount: 4, unit: 'hours', phrase: '– 4 (төрт) сағат' }],
  ['almaty-region-604-2018', 'home-5', { kind: 'limit', amount: 15, unit: 'minutes', phrase: '– 15 (он бес) минут' }],
  ['home-education-rules-2020', 'home-b-office-1', { kind: 'none' }],
  ['home-education-rules-2020', 'home-b-portal-1', { kind: 'limit', amount: 2, unit: 'working-days', phrase: 'екі жұмыс күні ішінде' }],
  ['home-education-rules-2020', 'home-b-office-2', { kind: 'none' }],
  ['home-education-rules-2020', 'home-b-portal-2', { kind: 'none' }],
  ['home-education-rules-2020', 'home-b-3', { kind: 'none' }],
];

function stepOf(regulationId: string, stepId: string) {
  const step = version(regulationId).services.flatMap((s) => s.steps).find((s) => s.id === stepId);
  if (!step) throw new Error(`no step ${stepId} in ${regulationId}`);
  return { step };
}

function quoteOf(source: LegalSource): string {
  if (source.quote === undefined) throw new Error(`no quote in ${source.document} ${source.paragraph ?? ''}`);
  return normalize(source.quote);
}

function seedOf(source: LegalSource): string {
  if (source.seed === undefined) throw new Error(`no seed named by ${source.document} ${source.paragraph ?? ''}`);
  return seed(source.seed);
}

function expectQuotedInSeed(source: LegalSource): void {
  expect(seedOf(source)).toContain(quoteOf(source));
}

function version(id: string): RegulationVersion {
  const v = regulationById(id);
  if (!v) throw new Error(`no version ${id}`);
  return v;
}

/** Every legal source in a version that carries a quote. */
function quotedSources(version: RegulationVersion): LegalSource[] {
  const out: LegalSource[] = [version.source];
  for (const s of version.services) {
    out.push(s.source, ...s.refusalGrounds.map((g) => g.source), ...s.windows.map((w) => w.source), ...(s.obligations ?? []).map((o) => o.source));
    for (const step of s.steps) out.push(step.source, step.norm.source);
  }
  return out.filter((src) => src.quote !== undefined);
}

describe('The regulation data, checked against the original Kazakh texts', () => {
  it('has an expected norm for every step of every version, and no expectation for a step that does not exist', () => {
    const steps = listRegulations().flatMap((v) => v.services.flatMap((s) => s.steps.map((st) => `${v.id}/${st.id}`)));
    expect(EXPECTED.map(([r, s]) => `${r}/${s}`).sort()).toEqual(steps.sort());
  });

  describe.each(EXPECTED)('%s step %s', (regulationId, stepId, expected) => {
    const { step } = stepOf(regulationId, stepId);

    it('quotes text that is in the seed, for the step and for its norm', () => {
      expectQuotedInSeed(step.source);
      expectQuotedInSeed(step.norm.source);
    });

    it('has the norm the seed states', () => {
      const norm: Norm = step.norm;
      expect(norm.kind).toBe(expected.kind);
      if (expected.kind === 'limit' && norm.kind === 'limit') {
        expect({ amount: norm.amount, unit: norm.unit }).toEqual({ amount: expected.amount, unit: expected.unit });
        expect(quoteOf(norm.source)).toContain(expected.phrase);
        expect(seedOf(norm.source)).toContain(expected.phrase);
      } else if (expected.kind === 'window' && norm.kind === 'window') {
        expect({ min: norm.min, max: norm.max, unit: norm.unit }).toEqual({ min: expected.min, max: expected.max, unit: expected.unit });
        expect(quoteOf(norm.source)).toContain(expected.phrase);
      } else if (norm.kind === 'none') {
        expect(norm.note).toMatch(/no term/);
        expect(quoteOf(norm.source)).not.toMatch(/минут|сағат|жұмыс күні|күнтізбелік/);
      }
    });
  });

  it('quotes only text that is in the seeds, for every source of every version', () => {
    for (const version of listRegulations()) for (const src of quotedSources(version)) expectQuotedInSeed(src);
  });

  it('quotes the complaint terms (Law on public services, Art. 25(2)) from Source B: 5 and 15 working days', () => {
    const [terms] = listComplaintTerms();
    const byAddressee = Object.fromEntries(terms.terms.map((t) => [t.addressee, t]));
    expect(byAddressee['provider']).toMatchObject({ amount: 5, unit: 'working-days', startsOn: 'registration' });
    expect(byAddressee['authorized-body']).toMatchObject({ amount: 15, unit: 'working-days', startsOn: 'registration' });
    expect(byAddressee['provider'].source.quote).toContain('бес жұмыс күні ішінде');
    expect(byAddressee['authorized-body'].source.quote).toContain('он бес жұмыс күні ішінде');
    for (const t of terms.terms) expectQuotedInSeed(t.source);
  });

  it('states the admission windows of the seed: until 30 August, and 1 July - 30 August for the first grade', () => {
    const admission = version('almaty-region-604-2018').services.find((s) => s.code === 'special-school-admission');
    expect(admission?.windows.map(({ from, to, grade }) => ({ from, to, grade }))).toEqual([
      { from: undefined, to: '08-30', grade: undefined },
      { from: '07-01', to: '08-30', grade: 1 },
    ]);
    expect(seed('000_21fa6f9b0f5fc9d7.txt')).toContain('30 тамыздан кешіктірмей, бірінші сыныпқа — 1 шілдеден бастап 30 тамыз аралығында');
  });

  it('records the resolution\'s number, date and registration as the seed states them', () => {
    const a = version('almaty-region-604-2018');
    expect(a.source).toMatchObject({ number: '604', date: '2018-12-21' });
    expect(a.source.registration).toContain('4982');
    const text = seed('000_21fa6f9b0f5fc9d7.txt');
    expect(text).toContain('2018 жылғы 21 желтоқсандағы № 604 қаулысы');
    expect(text).toContain('2018 жылы 27 желтоқсанда № 4982');
    expect(text).toContain('31.01.2020 № 35');
  });
});
