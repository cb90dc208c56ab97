import type { RegulationVersion } from '../regulation.types.js';
import { ComplaintTermsGapError, RegulationDataError, RegulationGapError } from '../errors.js';
import { almatyRegion604of2018 } from './almaty-region-604-2018.js';
import { homeEducationRules2020 } from './home-education-rules-2020.js';
import { complaintTermsLawPublicServices } from './complaint-terms-law-public-services.js';
import { RegulationRegistry, complaintTermsFor, listRegulations, regulationById, regulationFor, stepNorm, stepsFor } from './registry.js';
import { validateComplaintTerms, validateRegulationVersion } from './regulation.validate.js';

const clone = <T>(x: T): T => structuredClone(x);

function version(id: string): RegulationVersion {
  const v = regulationById(id);
  if (!v) throw new Error(`no version ${id}`);
  return v;
}

// The malformed-file cases deliberately write values of the wrong type into the data.
type Malformable = any;

describe('Choosing the regulation in force', () => {
  it.each([
    ['pmpc-examination', '2019-01-17', 'almaty-region-604-2018'],
    ['rehabilitation', '2019-06-03', 'almaty-region-604-2018'],
    ['special-school-admission', '2019-08-01', 'almaty-region-604-2018'],
    ['home-education', '2020-02-10', 'almaty-region-604-2018'],
    ['home-education', '2020-02-11', 'home-education-rules-2020'],
    ['home-education', '2025-09-01', 'home-education-rules-2020'],
  ] as const)('governs %s on %s by %s', (service, date, id) => {
    const { regulation, service: definition } = regulationFor(service, date);
    expect(regulation.id).toBe(id);
    expect(definition.code).toBe(service);
  });

  describe('when no version covers the date', () => {
    it('names the service, the date and where the earliest version starts', () => {
      expect(() => regulationFor('home-education', '2017-05-01')).toThrow(
        new RegulationGapError('home-education', '2017-05-01', 'the earliest version starts 2019-01-17 (almaty-region-604-2018)'),
      );
      expect(() => regulationFor('home-education', '2017-05-01')).toThrow(/^no regulation for home-education on 2017-05-01: the earliest version starts 2019-01-17/);
    });

    it('says when the last version ended for a service Source A governed alone', () => {
      expect(() => regulationFor('pmpc-examination', '2024-06-03')).toThrow(
        'no regulation for pmpc-examination on 2024-06-03: the latest version (almaty-region-604-2018) ended 2020-02-10',
      );
    });

    it('names both sides of a gap between two versions', () => {
      const later: RegulationVersion = { ...clone(homeEducationRules2020), id: 'later', inForce: { from: '2021-01-01', to: null } };
      const earlier: RegulationVersion = { ...clone(homeEducationRules2020), id: 'earlier', inForce: { from: '2020-01-01', to: '2020-06-30' } };
      const registry = new RegulationRegistry([
        { file: 'earlier.ts', data: earlier },
        { file: 'later.ts', data: later },
      ]);
      expect(() => registry.regulationFor('home-education', '2020-09-01')).toThrow(
        'no regulation for home-education on 2020-09-01: the gap between earlier (ended 2020-06-30) and later (starts 2021-01-01)',
      );
      expect(registry.gaps('home-education', '2020-01-01', '2021-12-31')).toEqual([{ from: '2020-07-01', to: '2020-12-31' }]);
    });

    it('refuses a date that is not a calendar date', () => {
      expect(() => regulationFor('home-education', '2024-02-30')).toThrow(RangeError);
    });
  });

  it('covers home education without a gap from Source A\'s first day on', () => {
    const registry = new RegulationRegistry(
      listRegulations().map((v) => ({ file: v.id, data: v })),
      [],
    );
    expect(registry.gaps('home-education', '2019-01-17', '2030-12-31')).toEqual([]);
  });

  it('marks both bounds of Source A and the start of Source B as estimates, with a note saying why', () => {
    const a = version('almaty-region-604-2018');
    expect(a.inForce).toMatchObject({ from: '2019-01-17', to: '2020-02-10', estimated: { from: true, to: true } });
    expect(a.inForce.note).toMatch(/publication/);
    const b = version('home-education-rules-2020');
    expect(b.inForce).toMatchObject({ from: '2020-02-11', to: null, estimated: { from: true } });
  });

  it('hands out data no caller can change for the others', () => {
    const { service } = regulationFor('home-education', '2019-06-03');
    expect(() => {
      (service.steps[2].norm as { amount: number }).amount = 20;
    }).toThrow(TypeError);
    expect(regulationFor('home-education', '2019-06-03').service.steps[2].norm).toMatchObject({ amount: 2, unit: 'working-days' });
  });

  it('finds a version by id and nothing for an unknown id', () => {
    expect(regulationById('almaty-region-604-2018')?.services).toHaveLength(4);
    expect(regulationById('no-such-version')).toBeUndefined();
  });

  it('gives the norm of every step of every version by its three keys (what read models keep), with its source', () => {
    for (const v of listRegulations()) {
      for (const s of v.services) for (const st of s.steps) expect(stepNorm(v.id, s.code, st.id)).toBe(st.norm);
    }
    const portal = stepNorm('home-education-rules-2020', 'home-education', regulationFor('home-education', '2021-03-01').service.steps[0].id);
    expect(portal?.source.document).toBeTruthy();
    expect(stepNorm('home-education-rules-2020', 'home-education', 'no-such-step')).toBeUndefined();
    expect(stepNorm('no-such-version', 'home-education', 'x')).toBeUndefined();
    // A step id of one version does not resolve under another service.
    const first = version('almaty-region-604-2018').services[0];
    const other = version('almaty-region-604-2018').services.find((s) => s.code !== first.code && !s.steps.some((t) => t.id === first.steps[0].id));
    if (other) expect(stepNorm('almaty-region-604-2018', other.code, first.steps[0].id)).toBeUndefined();
  });
});

describe('Steps per channel', () => {
  it('gives the office path of Source B: acceptance with receipt, the head sets class and language, the order', () => {
    const steps = stepsFor('home-education', 'office', '2024-03-04');
    expect(steps.map((s) => [s.id, s.startsOn, s.completedBy])).toEqual([
      ['home-b-office-1', 'ApplicationSubmitted', 'SentToHead'],
      ['home-b-office-2', 'SentToHead', 'ClassAndLanguageSet'],
      ['home-b-3', 'ClassAndLanguageSet', 'ResultIssued'],
    ]);
    expect(steps[0].activities).toEqual(['DocumentsAccepted', 'ReceiptIssued']);
  });

  it('gives the portal path of Source B: 2 working days to notify acceptance or refuse, then the head and the order', () => {
    const steps = stepsFor('home-education', 'portal', '2024-03-04');
    expect(steps.map((s) => s.id)).toEqual(['home-b-portal-1', 'home-b-portal-2', 'home-b-3']);
    expect(steps[0]).toMatchObject({ completedBy: 'AcceptanceNotificationSent', alsoCompletedBy: ['ApplicationRefused'] });
    expect(steps[0].norm).toMatchObject({ kind: 'limit', amount: 2, unit: 'working-days' });
  });

  it('refuses the portal for a service Source A offers only through the office', () => {
    expect(() => stepsFor('home-education', 'portal', '2019-06-03')).toThrow(/not provided through the portal channel/);
  });

  it('gives admission three steps and no clerk, as the seed does', () => {
    const { service } = regulationFor('special-school-admission', '2019-07-01');
    expect(service.participants).toEqual(['head', 'executor']);
    expect(stepsFor(service, 'office').map((s) => [s.performedBy, s.completedBy])).toEqual([
      [['executor'], 'DocumentsAccepted'],
      [['executor'], 'ResultDrawnUp'],
      [['head'], 'ResultSentToExecutor'],
    ]);
  });

  it('records the activities inside the steps: examinations, contract, sessions, signature', () => {
    const steps = (code: 'pmpc-examination' | 'rehabilitation') => regulationFor(code, '2019-06-03').service.steps;
    expect(steps('pmpc-examination').map((s) => s.activities ?? [])).toEqual([
      ['DocumentsAccepted'],
      ['InitialExaminationHeld'],
      ['ExaminationHeld'],
      ['ResultSigned'],
      [],
    ]);
    expect(steps('rehabilitation').map((s) => s.activities ?? [])).toEqual([['DocumentsAccepted'], ['ContractConcluded'], ['SessionHeld'], ['ResultSigned'], []]);
  });
});

describe('Complaint terms', () => {
  it('gives 5 working days at the provider and 15 at the authorized body', () => {
    expect(complaintTermsFor('2024-05-02').terms.map((t) => [t.addressee, t.amount, t.unit])).toEqual([
      ['provider', 5, 'working-days'],
      ['authorized-body', 15, 'working-days'],
    ]);
  });

  it('is a gap, not a guess, before the sources state the terms', () => {
    expect(() => complaintTermsFor('2019-06-03')).toThrow(ComplaintTermsGapError);
    expect(() => complaintTermsFor('2019-06-03')).toThrow('no complaint terms on 2019-06-03: the earliest complaint terms start 2020-02-11');
  });

  it('rejects complaint terms that lack the authorized body', () => {
    const bad = clone(complaintTermsLawPublicServices);
    bad.terms = bad.terms.filter((t) => t.addressee === 'provider');
    expect(() => validateComplaintTerms(bad, 'complaints.ts')).toThrow('complaints.ts: terms: needs a term for complaints to the authorized-body');
  });
});

describe('Validating a regulation data file', () => {
  const valid = (): Malformable => clone(almatyRegion604of2018);

  it('accepts the registered files', () => {
    expect(() => validateRegulationVersion(almatyRegion604of2018, 'a.ts')).not.toThrow();
    expect(() => validateRegulationVersion(homeEducationRules2020, 'b.ts')).not.toThrow();
  });

  it.each<[string, (v: Malformable) => void, string]>([
    ['a negative amount', (v) => (v.services[0].steps[2].norm.amount = -29), 'services[0].steps[2].norm.amount: must be a positive whole number'],
    ['a fractional day amount', (v) => (v.services[0].steps[2].norm.amount = 2.5), 'services[0].steps[2].norm.amount: must be a positive whole number'],
    ['an unknown unit', (v) => (v.services[0].steps[0].norm.unit = 'seconds'), 'services[0].steps[0].norm.unit: must be one of'],
    ['a window whose min is not below its max', (v) => (v.services[1].steps[2].norm.min = 400), 'services[1].steps[2].norm.max: must be greater than min (400)'],
    ['an unknown event', (v) => (v.services[0].steps[1].completedBy = 'HeadAppointed'), 'services[0].steps[1].completedBy: "HeadAppointed" is not a case event type'],
    ['a broken chain of events', (v) => (v.services[0].steps[3].startsOn = 'SentToHead'), 'services[0].steps[3].startsOn: on the office channel it must start on ResultDrawnUp'],
    ['a role the service does not have', (v) => (v.services[2].steps[0].performedBy = ['clerk']), 'services[2].steps[0].performedBy[0]: "clerk" is not a participant of the service'],
    ['a misspelled field', (v) => (v.services[0].steps[1].activites = ['ResultSigned']), 'services[0].steps[1].activites: is not a known field'],
    ['a norm without its quote', (v) => delete v.services[0].steps[0].norm.source.quote, 'services[0].steps[0].norm.source.quote: a norm needs the Kazakh quote'],
    ['a "none" norm without a note', (v) => (v.services[0].steps[0].norm = { kind: 'none', source: v.services[0].steps[0].source }), 'services[0].steps[0].norm.note: must be a non-empty string'],
    ['an impossible date', (v) => (v.inForce.from = '2019-02-30'), 'inForce.from: must be a calendar date YYYY-MM-DD'],
    ['an end before the start', (v) => (v.inForce.to = '2018-01-01'), 'inForce.to: must not be before from'],
    ['a bad window', (v) => (v.services[2].windows[1].from = '09-01'), 'services[2].windows[1].from: must not be after to (08-30)'],
    ['a service twice', (v) => (v.services[1].code = 'pmpc-examination'), 'services[1].code: pmpc-examination is defined twice'],
    ['a step channel the service lacks', (v) => (v.services[0].steps[0].channels = ['portal']), 'services[0].steps[0].channels[0]: "portal" is not a channel of the service'],
  ])('names the file and the field for %s', (_, mutate, message) => {
    const data = valid();
    mutate(data);
    expect(() => validateRegulationVersion(data, 'regulations/broken.ts')).toThrow(RegulationDataError);
    expect(() => validateRegulationVersion(data, 'regulations/broken.ts')).toThrow(`regulations/broken.ts: ${message}`);
  });

  it('refuses two versions governing the same service on overlapping dates', () => {
    const overlapping = { ...clone(homeEducationRules2020), id: 'overlap', inForce: { from: '2020-01-01', to: null } };
    expect(
      () =>
        new RegulationRegistry([
          { file: 'a.ts', data: almatyRegion604of2018 },
          { file: 'overlap.ts', data: overlapping },
        ]),
    ).toThrow('overlap.ts: inForce: home-education is also governed by almaty-region-604-2018 (a.ts) on overlapping dates');
  });

  it('refuses two versions with one id', () => {
    expect(
      () =>
        new RegulationRegistry([
          { file: 'a.ts', data: almatyRegion604of2018 },
          { file: 'b.ts', data: { ...clone(almatyRegion604of2018), inForce: { from: '2030-01-01', to: null } } },
        ]),
    ).toThrow('b.ts: id: almaty-region-604-2018 is also the id of a.ts');
  });
});
