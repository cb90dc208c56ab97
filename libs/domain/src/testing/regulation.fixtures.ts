import type {
  CalendarWindow,
  CaseEventType,
  Localized,
  Norm,
  ParticipantRole,
  RefusalGround,
  RegulationVersion,
  ServiceDefinition,
  StepDefinition,
} from '@sped/regulations';

/**
 * Small regulations mirroring REGULATIONS.md, for rule-by-rule decider tests that must not depend on how the
 * real data words things. End-to-end tests use the real data from @sped/regulations.
 */

const l = (en: string): Localized => ({ kk: en, ru: en, en });
const src = (paragraph: string) => ({ issuer: 'fixture', document: 'fixture', paragraph });
const limit = (amount: number, unit: 'minutes' | 'hours' | 'calendar-days' | 'working-days'): Norm => ({
  kind: 'limit',
  amount,
  unit,
  source: src('norm'),
});
const none: Norm = { kind: 'none', note: 'no term stated', source: src('none') };

function step(
  id: string,
  order: number,
  performedBy: ParticipantRole[],
  norm: Norm,
  startsOn: CaseEventType,
  completedBy: CaseEventType,
  more: Partial<StepDefinition> = {},
): StepDefinition {
  return { id, order, action: l(id), performedBy, norm, startsOn, completedBy, produces: l(completedBy), source: src(id), ...more };
}

export const REFUSAL_GROUNDS: RefusalGround[] = [
  { code: 'incomplete-documents', text: l('incomplete set of documents'), source: src('refusal') },
  { code: 'expired-documents', text: l('expired documents'), source: src('refusal') },
];

function service(code: ServiceDefinition['code'], steps: StepDefinition[], more: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    code,
    name: l(code),
    providerKinds: [l('provider')],
    channels: ['office'],
    participants: ['clerk', 'head', 'executor'],
    result: [l('result')],
    refusalGrounds: REFUSAL_GROUNDS,
    windows: [],
    steps,
    source: src(code),
    ...more,
  };
}

const refusable = { alsoCompletedBy: ['ApplicationRefused'] as CaseEventType[] };

export const ADMISSION_WINDOWS: CalendarWindow[] = [
  { id: 'admission', description: l('admission no later than 30 August'), to: '08-30', source: src('window') },
  { id: 'first-grade', description: l('first grade from 1 July to 30 August'), from: '07-01', to: '08-30', grade: 1, source: src('window') },
];

/** Source A: four services, office only. */
export const FIXTURE_A: RegulationVersion = {
  id: 'fixture-a',
  title: l('fixture A'),
  source: src('A'),
  inForce: { from: '2019-01-01', to: '2020-02-20' },
  services: [
    service('pmpc-examination', [
      step('pmpc-1', 1, ['clerk'], limit(15, 'minutes'), 'ApplicationSubmitted', 'SentToHead', { activities: ['DocumentsAccepted'], ...refusable }),
      step('pmpc-2', 2, ['head'], limit(1, 'hours'), 'SentToHead', 'ExecutorAppointed', { activities: ['InitialExaminationHeld'] }),
      step('pmpc-3', 3, ['executor'], limit(29, 'calendar-days'), 'ExecutorAppointed', 'ResultDrawnUp', { activities: ['ExaminationHeld'] }),
      step('pmpc-4', 4, ['head'], limit(4, 'hours'), 'ResultDrawnUp', 'ResultSentToExecutor', { activities: ['ResultSigned'] }),
      step('pmpc-5', 5, ['executor', 'clerk'], limit(15, 'minutes'), 'ResultSentToExecutor', 'ResultIssued'),
    ]),
    service('rehabilitation', [
      step('rehab-1', 1, ['clerk'], limit(15, 'minutes'), 'ApplicationSubmitted', 'SentToHead', { activities: ['DocumentsAccepted'], ...refusable }),
      step('rehab-2', 2, ['head'], limit(60, 'minutes'), 'SentToHead', 'ExecutorAppointed', { activities: ['ContractConcluded'] }),
      step('rehab-3', 3, ['executor'], { kind: 'window', min: 89, max: 364, unit: 'calendar-days', source: src('window') }, 'ExecutorAppointed', 'ResultDrawnUp', {
        activities: ['SessionHeld'],
      }),
      step('rehab-4', 4, ['head'], limit(4, 'hours'), 'ResultDrawnUp', 'ResultSentToExecutor', { activities: ['ResultSigned'] }),
      step('rehab-5', 5, ['executor', 'clerk'], limit(15, 'minutes'), 'ResultSentToExecutor', 'ResultIssued'),
    ]),
    service(
      'special-school-admission',
      [
        step('adm-1', 1, ['executor'], limit(15, 'minutes'), 'ApplicationSubmitted', 'DocumentsAccepted', refusable),
        step('adm-2', 2, ['executor'], limit(15, 'minutes'), 'DocumentsAccepted', 'ResultDrawnUp'),
        step('adm-3', 3, ['head'], limit(15, 'minutes'), 'ResultDrawnUp', 'ResultSentToExecutor', { activities: ['ResultSigned'] }),
      ],
      { participants: ['head', 'executor'], windows: ADMISSION_WINDOWS },
    ),
    service('home-education', [
      step('hed-1', 1, ['clerk'], limit(15, 'minutes'), 'ApplicationSubmitted', 'SentToHead', { activities: ['DocumentsAccepted'], ...refusable }),
      step('hed-2', 2, ['head'], limit(3, 'hours'), 'SentToHead', 'ExecutorAppointed'),
      step('hed-3', 3, ['executor'], limit(2, 'working-days'), 'ExecutorAppointed', 'ResultDrawnUp'),
      step('hed-4', 4, ['head'], limit(4, 'hours'), 'ResultDrawnUp', 'ResultSentToExecutor', { activities: ['ResultSigned'] }),
      step('hed-5', 5, ['executor', 'clerk'], limit(15, 'minutes'), 'ResultSentToExecutor', 'ResultIssued'),
    ]),
  ],
};

/** Source B: home education by the later rules, office or portal. */
export const FIXTURE_B: RegulationVersion = {
  id: 'fixture-b',
  title: l('fixture B'),
  source: src('B'),
  inForce: { from: '2020-02-21', to: null },
  services: [
    service(
      'home-education',
      [
        step('hedb-1o', 1, ['clerk'], none, 'ApplicationSubmitted', 'SentToHead', {
          activities: ['DocumentsAccepted', 'ReceiptIssued'],
          channels: ['office'],
          ...refusable,
        }),
        step('hedb-1p', 1, ['clerk'], limit(2, 'working-days'), 'ApplicationSubmitted', 'AcceptanceNotificationSent', {
          activities: ['DocumentsAccepted'],
          channels: ['portal'],
          ...refusable,
        }),
        step('hedb-2p', 2, ['clerk'], none, 'AcceptanceNotificationSent', 'SentToHead', { channels: ['portal'] }),
        step('hedb-3', 3, ['head'], none, 'SentToHead', 'ExecutorAppointed', { activities: ['ClassAndLanguageSet'] }),
        step('hedb-4', 4, ['executor'], none, 'ExecutorAppointed', 'ResultDrawnUp'),
        step('hedb-5', 5, ['head'], none, 'ResultDrawnUp', 'ResultSigned'),
        step('hedb-6', 6, ['executor', 'clerk'], none, 'ResultSigned', 'ResultIssued'),
      ],
      { channels: ['office', 'portal'] },
    ),
  ],
};

/** FIXTURE_A with a PMPC service that knows one ground of refusal only. */
export const FIXTURE_A_ONE_GROUND: RegulationVersion = {
  ...FIXTURE_A,
  services: FIXTURE_A.services.map((s) => (s.code === 'pmpc-examination' ? { ...s, refusalGrounds: [REFUSAL_GROUNDS[0]] } : s)),
};

/** FIXTURE_A whose PMPC acceptance step names no document acceptance (a refusal is then bounded by the step alone). */
export const FIXTURE_A_BARE_ACCEPTANCE: RegulationVersion = {
  ...FIXTURE_A,
  services: FIXTURE_A.services.map((s) =>
    s.code === 'pmpc-examination' ? { ...s, steps: s.steps.map((st) => (st.id === 'pmpc-1' ? { ...st, activities: [] } : st)) } : s,
  ),
};

/** FIXTURE_B whose office step names no receipt: the receipt is then placed by the decider's own rule. */
export const FIXTURE_B_NO_RECEIPT_STEP: RegulationVersion = {
  ...FIXTURE_B,
  services: FIXTURE_B.services.map((s) => ({
    ...s,
    steps: s.steps.map((st) => (st.id === 'hedb-1o' ? { ...st, activities: ['DocumentsAccepted'] as CaseEventType[] } : st)),
  })),
};
