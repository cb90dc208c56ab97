/**
 * Source A: resolution of the Almaty region akimat No. 604 of 21 Dec 2018, approving the regulations of four
 * public services in special education (its appendices 1-4). Original text: shared/seeds/000_21fa6f9b0f5fc9d7.txt.
 * Each `quote` is the Kazakh text of the seed (whitespace collapsed); the seed tests check every one of them.
 * Russian and English texts are working translations; the Kazakh text is the source.
 */
import type { LegalSource, Localized, RefusalGround, RegulationVersion } from '../regulation.types.js';

const SEED = '000_21fa6f9b0f5fc9d7.txt';

const RESOLUTION: LegalSource = {
  issuer: 'Akimat of Almaty region (Алматы облысының әкімдігі)',
  document: 'Resolution "On approving the regulations of public services in special education"',
  number: '604',
  date: '2018-12-21',
  registration: 'No. 4982 of 2018-12-27, Justice Department of Almaty region',
  seed: SEED,
};

const APPENDIX_TITLES: Record<string, string> = {
  '1': 'Regulation of the public service "Psychological-medical-pedagogical examination of children with disabilities and consultative help to them"',
  '2': 'Regulation of the public service "Rehabilitation and social adaptation of children and adolescents with developmental problems"',
  '3': 'Regulation of the public service "Acceptance of documents of children with disabilities for training under special general education programmes and admission to special education organizations"',
  '4': 'Regulation of the public service "Acceptance of documents for organizing free individual home education for children who cannot attend primary, basic secondary or general secondary school for a long time for health reasons"',
};

function src(appendix: string, paragraph: string, quote: string, note?: string): LegalSource {
  return {
    ...RESOLUTION,
    document: `${APPENDIX_TITLES[appendix]}, appendix ${appendix} to resolution No. 604`,
    appendix,
    paragraph,
    quote,
    ...(note ? { note } : {}),
  };
}

const ISSUE_STEP_NOTE =
  'The regulation does not say who issues the result; the executor or the office clerk may (the participants of paragraph 6).';

const OFFICE_ONLY =
  'Өтініш қабылдау және мемлекеттік көрсетілетін қызметтің нәтижесін беру көрсетілетін қызметті берушінің кеңсесі арқылы жүзеге асырылады.';

const REFUSAL_QUOTE =
  'Көрсетілетін қызметті алу үшін көрсетілетін қызметті алушы құжаттардың толық емес тізбесін және (немесе) қолданылу мерзімі өтіп кеткен құжаттарды ұсынған жағдайларда, көрсетілетін қызметті берушінің жұмыскері өтініштерді қабылдаудан бас тартады және Стандарттың қосымшасына сәйкес нысан бойынша құжаттарды қабылдаудан бас тарту туралы қолхат береді.';

const REFUSAL_QUOTE_REHAB =
  'Көрсетілетін қызметті алу үшін көрсетілетін қызметті алушы құжаттардың толық емес тізбесін және (немесе) қолданылу мерзімі өтіп кеткен құжаттарды ұсынған жағдайларда, көрсетілетін қызметті берушінің жұмыскері өтініштерді қабылдаудан бас тартады және Стандарттың 2-қосымшасына сәйкес нысан бойынша құжаттарды қабылдаудан бас тарту туралы қолхат береді.';

function refusals(appendix: string, quote: string): RefusalGround[] {
  return [
    {
      code: 'incomplete-documents',
      text: {
        kk: 'құжаттардың толық емес тізбесі',
        ru: 'неполный пакет документов',
        en: 'an incomplete set of documents',
      },
      source: src(appendix, '3', quote, 'The employee refuses to accept the application and issues a receipt of refusal.'),
    },
    {
      code: 'expired-documents',
      text: {
        kk: 'қолданылу мерзімі өтіп кеткен құжаттар',
        ru: 'документы с истёкшим сроком действия',
        en: 'expired documents',
      },
      source: src(appendix, '3', quote, 'The employee refuses to accept the application and issues a receipt of refusal.'),
    },
  ];
}

const PAPER: Localized = { kk: 'қағаз түрінде', ru: 'бумажная', en: 'paper' };

const TO_HEAD: Localized = {
  kk: 'көрсетілетін қызметті берушінің басшысына жолдау',
  ru: 'направление руководителю услугодателя',
  en: 'sent to the head of the provider',
};
const EXECUTOR_APPOINTED: Localized = {
  kk: 'көрсетілетін қызметті берушінің жауапты орындаушысын анықтау',
  ru: 'определение ответственного исполнителя услугодателя',
  en: 'the responsible executor appointed',
};
const FOR_SIGNATURE: Localized = {
  kk: 'мемлекеттік қызмет көрсету нәтижесін көрсетілетін қызметті берушінің басшысына қол қоюға жолдау',
  ru: 'направление результата оказания государственной услуги руководителю услугодателя на подпись',
  en: 'the result sent to the head of the provider for signature',
};
const TO_EXECUTOR: Localized = {
  kk: 'мемлекеттік қызмет көрсету нәтижесін көрсетілетін қызметті берушінің жауапты орындаушысына жолдау',
  ru: 'направление результата оказания государственной услуги ответственному исполнителю услугодателя',
  en: 'the result sent to the responsible executor of the provider',
};
const ISSUED: Localized = {
  kk: 'көрсетілетін қызметті алушыға мемлекеттік қызмет көрсету нәтижесін беру',
  ru: 'выдача результата оказания государственной услуги услугополучателю',
  en: 'the result issued to the recipient',
};

const SIGN_ACTION: Localized = {
  kk: 'мемлекеттік қызмет көрсету нәтижесіне қол қою және көрсетілетін қызметті берушінің жауапты орындаушысына жолдау',
  ru: 'подписание результата оказания государственной услуги и направление его ответственному исполнителю услугодателя',
  en: 'sign the result and send it to the responsible executor',
};
const ISSUE_ACTION: Localized = {
  kk: 'көрсетілетін қызметті алушыға мемлекеттік қызмет көрсету нәтижесін беру',
  ru: 'выдача результата оказания государственной услуги услугополучателю',
  en: 'issue the result to the recipient',
};

const SIGN_QUOTE_4H =
  'мемлекеттік қызмет көрсету нәтижесіне қол қою және көрсетілетін қызметті берушінің жауапты орындаушысына жолдау – 4 (төрт) сағат';
const ISSUE_QUOTE =
  'көрсетілетін қызметті алушыға мемлекеттік қызмет көрсету нәтижесін беру – 15 (он бес) минут';

const SCHOOLS: Localized = {
  kk: 'бастауыш, негізгі орта, жалпы орта білім беру ұйымдары',
  ru: 'организации начального, основного среднего, общего среднего образования',
  en: 'primary, basic secondary and general secondary education organizations',
};

export const almatyRegion604of2018: RegulationVersion = {
  id: 'almaty-region-604-2018',
  title: {
    kk: 'Арнайы білім беру саласындағы көрсетілетін мемлекеттік қызметтер регламенттерін бекіту туралы',
    ru: 'Об утверждении регламентов государственных услуг в сфере специального образования',
    en: 'On approving the regulations of public services in special education',
  },
  source: {
    ...RESOLUTION,
    paragraph: '5',
    quote:
      'Осы қаулы әділет органдарында мемлекеттік тіркелген күннен бастап күшіне енеді және алғашқы ресми жарияланған күнінен кейін күнтізбелік он күн өткен соң қолданысқа енгізіледі.',
    note:
      'Repealed by resolution of the Almaty region akimat No. 35 of 31 Jan 2020, effective ten calendar days after its first official publication ' +
      '(seed header: "Күші жойылды – Алматы облысы әкімдігінің 31.01.2020 № 35 қаулысымен (алғашқы ресми жарияланған күнінен кейін күнтізбелік он күн өткен соң қолданысқа енгізіледі)"). ' +
      'Based on the service standards approved by Order No. 174 of the Minister of Education and Science of 8 Apr 2015 (registered No. 11047).',
  },
  inForce: {
    from: '2019-01-17',
    to: '2020-02-10',
    estimated: { from: true, to: true },
    note:
      'Neither publication date is in the sources. Stated: adopted 2018-12-21; registered 2018-12-27 and in force (күшіне енеді) from ' +
      'registration; applied (қолданысқа енгізіледі) from the end of ten calendar days after the first official publication (paragraph 5), ' +
      'i.e. from publication day + 11. FROM: paragraph 3(2) orders the text sent for official publication within ten calendar days of ' +
      'registration, i.e. by 2019-01-06; taking that as the latest publication day gives 2019-01-17. The earliest possible day is ' +
      '2019-01-07 (publication on the registration day); 2019-01-07..2019-01-16 may still belong to the previous regulation (resolution ' +
      'No. 321 of 2015), so those dates are left uncovered rather than guessed. TO: the repealing resolution No. 35 is dated 2020-01-31 and ' +
      'applies ten calendar days after its first publication, so it cannot have applied before 2020-02-11; 2020-02-10 is the last day ' +
      'this regulation certainly applied. Check both against the official publication records and correct them here.',
  },
  services: [
    {
      code: 'pmpc-examination',
      name: {
        kk: 'Мүмкіндіктері шектеулі балаларды психологиялық-медициналық-педагогикалық тексеру және оларға консультациялық көмек көрсету',
        ru: 'Психолого-медико-педагогическое обследование детей с ограниченными возможностями и оказание им консультативной помощи',
        en: 'Psychological-medical-pedagogical examination of children with disabilities and consultative help to them',
      },
      providerKinds: [
        {
          kk: 'психологиялық-медициналық-педагогикалық консультациялар',
          ru: 'психолого-медико-педагогические консультации',
          en: 'psychological-medical-pedagogical consultations (PMPC)',
        },
      ],
      channels: ['office'],
      participants: ['clerk', 'head', 'executor'],
      result: [
        {
          kk: 'ұсынылатын оқыту, медициналық және әлеуметтік қызметтерді, білім беру бағдарламасының нысаны көрсетілген мемлекеттік жазбаша қорытынды',
          ru: 'письменное государственное заключение с рекомендуемыми образовательными, медицинскими и социальными услугами и формой образовательной программы',
          en: 'a written state conclusion stating the recommended educational, medical and social services and the form of the educational programme',
        },
      ],
      refusalGrounds: refusals('1', REFUSAL_QUOTE),
      windows: [],
      free: true,
      form: [PAPER],
      source: src('1', '1', OFFICE_ONLY, 'Free of charge, for individuals; applications and results go through the provider\'s office.'),
      steps: [
        {
          id: 'pmpc-1',
          order: 1,
          action: {
            kk: 'құжаттарды қабылдау, алдын ала жазылу журналына тіркеу және көрсетілетін қызметті берушінің басшысына бұрыштама қоюға жолдау',
            ru: 'приём документов, регистрация в журнале предварительной записи и направление руководителю услугодателя для наложения резолюции',
            en: 'accept the documents, register them in the pre-registration journal and send them to the head for a resolution',
          },
          performedBy: ['clerk'],
          norm: {
            kind: 'limit',
            amount: 15,
            unit: 'minutes',
            source: src('1', '5(1)', 'құжаттарды қабылдау, алдын ала жазылу журналына тіркеу және көрсетілетін қызметті берушінің басшысына бұрыштама қоюға жолдау – 15 (он бес) минут'),
          },
          startsOn: 'ApplicationSubmitted',
          completedBy: 'SentToHead',
          activities: ['DocumentsAccepted'],
          alsoCompletedBy: ['ApplicationRefused'],
          produces: TO_HEAD,
          source: src(
            '1',
            '5(1), 6(1)',
            'құжаттарды қабылдау, алдын ала жазылу журналына тіркеу және көрсетілетін қызметті берушінің басшысына бұрыштама қоюға жолдау – 15 (он бес) минут',
            'The office clerk (кеңсе қызметкері) is the first participant of paragraph 6.',
          ),
        },
        {
          id: 'pmpc-2',
          order: 2,
          action: {
            kk: 'құжаттарды қарау, алғашқы психологиялық-медициналық-педагогикалық тексеруді және кеңес беруді өткізу, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау',
            ru: 'рассмотрение документов, проведение первичного психолого-медико-педагогического обследования и консультирования, определение ответственного исполнителя',
            en: 'review the documents, hold the initial PMPC examination and consultation, appoint the responsible executor',
          },
          performedBy: ['head'],
          norm: {
            kind: 'limit',
            amount: 1,
            unit: 'hours',
            source: src('1', '5(2)', 'көрсетілетін қызметті берушінің жауапты орындаушысын анықтау – 1 (бір) сағат'),
          },
          startsOn: 'SentToHead',
          completedBy: 'ExecutorAppointed',
          activities: ['InitialExaminationHeld'],
          produces: EXECUTOR_APPOINTED,
          source: src(
            '1',
            '5(2)',
            'құжаттарды қарау, алғашқы психологиялық-медициналық -педагогикалық тексеруді және кеңес беруді өткізу, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау – 1 (бір) сағат',
            'The regulation does not name the performer of this step; appointing the executor is the head\'s act (paragraph 6(2)).',
          ),
        },
        {
          id: 'pmpc-3',
          order: 3,
          action: {
            kk: 'құжаттарды қарау, психологиялық-медициналық-педагогикалық тексеруді өткізу, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау',
            ru: 'рассмотрение документов, проведение психолого-медико-педагогического обследования, оформление результата и направление его руководителю на подпись',
            en: 'review the documents, hold the PMPC examination, draw up the result and send it to the head for signature',
          },
          performedBy: ['executor'],
          norm: {
            kind: 'limit',
            amount: 29,
            unit: 'calendar-days',
            source: src('1', '5(3)', 'басшысына қол қоюға жолдау – күнтізбелік 29 (жиырма тоғыз) күн'),
          },
          startsOn: 'ExecutorAppointed',
          completedBy: 'ResultDrawnUp',
          activities: ['ExaminationHeld'],
          produces: FOR_SIGNATURE,
          source: src(
            '1',
            '5(3)',
            'көрсетілетін қызметті берушінің жауапты орындаушысымен құжаттарды қарау, психологиялық-медициналық-педагогикалық тексеруді өткізу, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау – күнтізбелік 29 (жиырма тоғыз) күн',
          ),
        },
        {
          id: 'pmpc-4',
          order: 4,
          action: SIGN_ACTION,
          performedBy: ['head'],
          norm: { kind: 'limit', amount: 4, unit: 'hours', source: src('1', '5(4)', SIGN_QUOTE_4H) },
          startsOn: 'ResultDrawnUp',
          completedBy: 'ResultSentToExecutor',
          activities: ['ResultSigned'],
          produces: TO_EXECUTOR,
          source: src('1', '5(4)', SIGN_QUOTE_4H),
        },
        {
          id: 'pmpc-5',
          order: 5,
          action: ISSUE_ACTION,
          performedBy: ['executor', 'clerk'],
          norm: { kind: 'limit', amount: 15, unit: 'minutes', source: src('1', '5(5)', ISSUE_QUOTE) },
          startsOn: 'ResultSentToExecutor',
          completedBy: 'ResultIssued',
          produces: ISSUED,
          source: src('1', '5(5)', ISSUE_QUOTE, ISSUE_STEP_NOTE),
        },
      ],
    },
    {
      code: 'rehabilitation',
      name: {
        kk: 'Дамуында проблемалары бар балалар мен жасөспірімдерді оңалту және әлеуметтік бейімдеу',
        ru: 'Реабилитация и социальная адаптация детей и подростков с проблемами в развитии',
        en: 'Rehabilitation and social adaptation of children and adolescents with developmental problems',
      },
      providerKinds: [
        { kk: 'оңалту орталықтары', ru: 'реабилитационные центры', en: 'rehabilitation centres' },
        {
          kk: 'психологиялық-педагогикалық түзету кабинеттері',
          ru: 'кабинеты психолого-педагогической коррекции',
          en: 'psychological-pedagogical correction rooms',
        },
      ],
      channels: ['office'],
      participants: ['clerk', 'head', 'executor'],
      result: [
        {
          kk: 'Стандарттың 1-қосымшасына сәйкес берілген нысан бойынша анықтама',
          ru: 'справка по форме согласно приложению 1 к Стандарту',
          en: 'a certificate in the form of appendix 1 to the Standard',
        },
      ],
      refusalGrounds: refusals('2', REFUSAL_QUOTE_REHAB),
      windows: [],
      free: true,
      form: [
        {
          kk: 'жеке, топтамалардағы және топтағы сабақтар және кеңестер',
          ru: 'индивидуальные, подгрупповые и групповые занятия и консультации',
          en: 'individual, subgroup and group lessons and consultations',
        },
      ],
      source: src('2', '1', OFFICE_ONLY, 'Free of charge, for individuals; the result is presented on paper.'),
      steps: [
        {
          id: 'rehab-1',
          order: 1,
          action: {
            kk: 'құжаттарды қабылдау, тіркеу және көрсетілетін қызметті берушінің басшысына жолдау',
            ru: 'приём и регистрация документов, направление руководителю услугодателя',
            en: 'accept and register the documents and send them to the head',
          },
          performedBy: ['clerk'],
          norm: {
            kind: 'limit',
            amount: 15,
            unit: 'minutes',
            source: src('2', '5(1)', 'құжаттарды қабылдау, тіркеу және көрсетілетін қызметті берушінің басшысына жолдау – 15 (он бес) минут'),
          },
          startsOn: 'ApplicationSubmitted',
          completedBy: 'SentToHead',
          activities: ['DocumentsAccepted'],
          alsoCompletedBy: ['ApplicationRefused'],
          produces: TO_HEAD,
          source: src('2', '5(1), 6(1)', 'құжаттарды қабылдау, тіркеу және көрсетілетін қызметті берушінің басшысына жолдау – 15 (он бес) минут'),
        },
        {
          id: 'rehab-2',
          order: 2,
          action: {
            kk: 'құжаттарды қарау, мүмкіндігі шектеулі балаларды психологиялық-медициналық-педагогикалық түзетуге және әлеуметтік оңалтуға келісім шарт жасау, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау',
            ru: 'рассмотрение документов, заключение договора на психолого-медико-педагогическую коррекцию и социальную реабилитацию, определение ответственного исполнителя',
            en: 'review the documents, conclude the contract for psychological-medical-pedagogical correction and social rehabilitation, appoint the executor',
          },
          performedBy: ['head'],
          norm: {
            kind: 'limit',
            amount: 60,
            unit: 'minutes',
            source: src('2', '5(2)', 'көрсетілетін қызметті берушінің жауапты орындаушысын анықтау – 60 (алпыс) минут'),
          },
          startsOn: 'SentToHead',
          completedBy: 'ExecutorAppointed',
          activities: ['ContractConcluded'],
          produces: EXECUTOR_APPOINTED,
          source: src(
            '2',
            '5(2)',
            'құжаттарды қарау, мүмкіндігі шектеулі балаларды психологиялық - медициналық-педагогикалық түзетуге және әлеуметтік оңалтуға келісім шарт жасау, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау – 60 (алпыс) минут',
          ),
        },
        {
          id: 'rehab-3',
          order: 3,
          action: {
            kk: 'құжаттарды қарау, мүмкіндігі шектеулі балаларды психологиялық-медициналық-педагогикалық түзету және әлеуметтік оңалту курстарын өткізу, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау',
            ru: 'рассмотрение документов, проведение курсов коррекции и социальной реабилитации, оформление результата и направление его руководителю на подпись',
            en: 'review the documents, hold the correction and rehabilitation courses, draw up the result and send it to the head for signature',
          },
          performedBy: ['executor'],
          norm: {
            kind: 'window',
            min: 89,
            max: 364,
            unit: 'calendar-days',
            source: src(
              '2',
              '5(3)',
              'басшысына қол қоюға жолдау – күнтізбелік 89 (сексен тоғыз) күннен бастап күнтізбелік 364 (үш жүз алпыс төрт) күнге дейін',
              'A window, not a single limit: finishing before day 89 is as much a deviation as finishing after day 364.',
            ),
          },
          startsOn: 'ExecutorAppointed',
          completedBy: 'ResultDrawnUp',
          activities: ['SessionHeld'],
          produces: FOR_SIGNATURE,
          source: src(
            '2',
            '5(3)',
            'көрсетілетін қызметті берушінің жауапты орындаушысымен құжаттарды қарау, мүмкіндігі шектеулі балаларды психологиялық - медициналық-педагогикалық түзету және әлеуметтік оңалту курстарын өткізу, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау – күнтізбелік 89 (сексен тоғыз) күннен бастап күнтізбелік 364 (үш жүз алпыс төрт) күнге дейін',
          ),
        },
        {
          id: 'rehab-4',
          order: 4,
          action: SIGN_ACTION,
          performedBy: ['head'],
          norm: { kind: 'limit', amount: 4, unit: 'hours', source: src('2', '5(4)', SIGN_QUOTE_4H) },
          startsOn: 'ResultDrawnUp',
          completedBy: 'ResultSentToExecutor',
          activities: ['ResultSigned'],
          produces: TO_EXECUTOR,
          source: src('2', '5(4)', SIGN_QUOTE_4H),
        },
        {
          id: 'rehab-5',
          order: 5,
          action: ISSUE_ACTION,
          performedBy: ['executor', 'clerk'],
          norm: { kind: 'limit', amount: 15, unit: 'minutes', source: src('2', '5(5)', ISSUE_QUOTE) },
          startsOn: 'ResultSentToExecutor',
          completedBy: 'ResultIssued',
          produces: ISSUED,
          source: src('2', '5(5)', ISSUE_QUOTE, ISSUE_STEP_NOTE),
        },
      ],
    },
    {
      code: 'special-school-admission',
      name: {
        kk: 'Арнайы жалпы білім беретін оқу бағдарламалары бойынша оқыту үшін мүмкіндіктері шектеулі балалардың құжаттарын қабылдау және арнайы білім беру ұйымдарына қабылдау',
        ru: 'Приём документов детей с ограниченными возможностями для обучения по специальным общеобразовательным учебным программам и зачисление в специальные организации образования',
        en: 'Acceptance of documents of children with disabilities for training under special general education programmes and admission to special education organizations',
      },
      providerKinds: [{ kk: 'арнайы білім беру ұйымдары', ru: 'специальные организации образования', en: 'special education organizations' }, SCHOOLS],
      channels: ['office'],
      participants: ['head', 'executor'],
      result: [
        {
          kk: 'арнайы білім беру ұйымына немесе бастауыш, негізгі орта, жалпы орта білім беру ұйымына қабылданғаны туралы бұйрық',
          ru: 'приказ о зачислении в специальную организацию образования или организацию начального, основного среднего, общего среднего образования',
          en: 'an order on admission to the special education organization or the primary, basic secondary or general secondary school',
        },
      ],
      refusalGrounds: refusals('3', REFUSAL_QUOTE),
      windows: [
        {
          id: 'admission-deadline',
          description: {
            kk: 'арнайы білім беру ұйымына, бастауыш, негізгі орта, жалпы орта білім беру ұйымына қабылдау үшін — 30 тамыздан кешіктірмей',
            ru: 'для зачисления — не позднее 30 августа',
            en: 'admission no later than 30 August',
          },
          to: '08-30',
          source: src(
            '3',
            '5',
            'арнайы білім беру ұйымына, бастауыш, негізгі орта, жалпы орта білім беру ұйымына қабылдау үшін — 30 тамыздан кешіктірмей, бірінші сыныпқа — 1 шілдеден бастап 30 тамыз аралығында',
          ),
        },
        {
          id: 'first-grade',
          description: {
            kk: 'бірінші сыныпқа — 1 шілдеден бастап 30 тамыз аралығында',
            ru: 'в первый класс — с 1 июля по 30 августа',
            en: 'first grade: from 1 July to 30 August',
          },
          from: '07-01',
          to: '08-30',
          grade: 1,
          source: src(
            '3',
            '5',
            'арнайы білім беру ұйымына, бастауыш, негізгі орта, жалпы орта білім беру ұйымына қабылдау үшін — 30 тамыздан кешіктірмей, бірінші сыныпқа — 1 шілдеден бастап 30 тамыз аралығында',
          ),
        },
      ],
      free: true,
      form: [PAPER],
      source: src('3', '1, 6', OFFICE_ONLY, 'Participants are the head and the responsible executor only (paragraph 6): no office clerk.'),
      steps: [
        {
          id: 'admission-1',
          order: 1,
          action: {
            kk: 'құжаттарды қабылдау және журналға тіркеу',
            ru: 'приём документов и регистрация в журнале',
            en: 'accept the documents and register them in the journal',
          },
          performedBy: ['executor'],
          norm: {
            kind: 'limit',
            amount: 15,
            unit: 'minutes',
            source: src('3', '5(1)', 'құжаттарды қабылдау және журналға тіркеу – 15 (он бес) минуттан аспайды', 'No more than 15 minutes.'),
          },
          startsOn: 'ApplicationSubmitted',
          completedBy: 'DocumentsAccepted',
          alsoCompletedBy: ['ApplicationRefused'],
          produces: { kk: 'құжаттарды қабылдау және журналға тіркеу', ru: 'документы приняты и зарегистрированы в журнале', en: 'documents accepted and registered in the journal' },
          source: src(
            '3',
            '5(1)',
            'көрсетілетін қызметті берушінің жауапты орындаушысымен құжаттарды қабылдау және журналға тіркеу – 15 (он бес) минуттан аспайды',
          ),
        },
        {
          id: 'admission-2',
          order: 2,
          action: {
            kk: 'құжаттарды қарау, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау',
            ru: 'рассмотрение документов, оформление результата и направление его руководителю на подпись',
            en: 'review the documents, draw up the result and send it to the head for signature',
          },
          performedBy: ['executor'],
          norm: {
            kind: 'limit',
            amount: 15,
            unit: 'minutes',
            source: src('3', '5(2)', 'басшысына қол қоюға жолдау – 15 (он бес) минут'),
          },
          startsOn: 'DocumentsAccepted',
          completedBy: 'ResultDrawnUp',
          produces: FOR_SIGNATURE,
          source: src(
            '3',
            '5(2)',
            'көрсетілетін қызметті берушінің жауапты орындаушысымен құжаттарды қарау, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау – 15 (он бес) минут',
          ),
        },
        {
          id: 'admission-3',
          order: 3,
          action: SIGN_ACTION,
          performedBy: ['head'],
          norm: {
            kind: 'limit',
            amount: 15,
            unit: 'minutes',
            source: src('3', '5(3)', 'мемлекеттік қызмет көрсету нәтижесіне қол қою және көрсетілетін қызметті берушінің жауапты орындаушысына жолдау – 15 (он бес) минут'),
          },
          startsOn: 'ResultDrawnUp',
          completedBy: 'ResultSentToExecutor',
          activities: ['ResultSigned'],
          produces: TO_EXECUTOR,
          source: src(
            '3',
            '5(3)',
            'мемлекеттік қызмет көрсету нәтижесіне қол қою және көрсетілетін қызметті берушінің жауапты орындаушысына жолдау – 15 (он бес) минут',
            'The regulation has three steps: it states no step for issuing the order to the recipient, so none is recorded here.',
          ),
        },
      ],
    },
    {
      code: 'home-education',
      name: {
        kk: 'Бастауыш, негізгі орта, жалпы орта білім беру ұйымдарына денсаулығына байланысты ұзақ уақыт бойы бара алмайтын балаларды үйде жеке тегін оқытуды ұйымдастыру үшін құжаттар қабылдау',
        ru: 'Приём документов для организации индивидуального бесплатного обучения на дому детей, которые по состоянию здоровья в течение длительного времени не могут посещать организации начального, основного среднего, общего среднего образования',
        en: 'Acceptance of documents for organizing free individual home education for children who cannot attend primary, basic secondary or general secondary school for a long time for health reasons',
      },
      providerKinds: [SCHOOLS],
      channels: ['office'],
      participants: ['clerk', 'head', 'executor'],
      result: [
        {
          kk: 'құжаттарды қабылдау туралы қолхат (еркін нысанда)',
          ru: 'расписка о приёме документов (в произвольной форме)',
          en: 'a receipt of acceptance of the documents (free form)',
        },
        {
          kk: 'үйде жеке тегін оқыту туралы бұйрық',
          ru: 'приказ об индивидуальном бесплатном обучении на дому',
          en: 'an order on free individual home education',
        },
      ],
      refusalGrounds: refusals('4', REFUSAL_QUOTE),
      windows: [],
      free: true,
      form: [PAPER],
      source: src('4', '1', OFFICE_ONLY, 'Free of charge, for individuals.'),
      steps: [
        {
          id: 'home-1',
          order: 1,
          action: {
            kk: 'құжаттарды қабылдау, тіркеу және көрсетілетін қызметті берушінің басшысына бұрыштама қоюға жолдау',
            ru: 'приём и регистрация документов, направление руководителю для наложения резолюции',
            en: 'accept and register the documents and send them to the head for a resolution',
          },
          performedBy: ['clerk'],
          norm: {
            kind: 'limit',
            amount: 15,
            unit: 'minutes',
            source: src('4', '5(1)', 'құжаттарды қабылдау, тіркеу және көрсетілетін қызметті берушінің басшысына бұрыштама қоюға жолдау – 15 (он бес) минут'),
          },
          startsOn: 'ApplicationSubmitted',
          completedBy: 'SentToHead',
          activities: ['DocumentsAccepted', 'ReceiptIssued'],
          alsoCompletedBy: ['ApplicationRefused'],
          produces: TO_HEAD,
          source: src(
            '4',
            '5(1)',
            'құжаттарды қабылдау, тіркеу және көрсетілетін қызметті берушінің басшысына бұрыштама қоюға жолдау – 15 (он бес) минут',
            'The receipt of acceptance (result 1 of paragraph 3) is recorded as ReceiptIssued within this step; the regulation does not say at which step it is given.',
          ),
        },
        {
          id: 'home-2',
          order: 2,
          action: {
            kk: 'құжаттарды қарау, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау',
            ru: 'рассмотрение документов, определение ответственного исполнителя',
            en: 'review the documents and appoint the responsible executor',
          },
          performedBy: ['head'],
          norm: {
            kind: 'limit',
            amount: 3,
            unit: 'hours',
            source: src('4', '5(2)', 'құжаттарды қарау, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау – 3 (үш) сағат'),
          },
          startsOn: 'SentToHead',
          completedBy: 'ExecutorAppointed',
          produces: EXECUTOR_APPOINTED,
          source: src('4', '5(2)', 'құжаттарды қарау, көрсетілетін қызметті берушінің жауапты орындаушысын анықтау – 3 (үш) сағат'),
        },
        {
          id: 'home-3',
          order: 3,
          action: {
            kk: 'құжаттарды қарау, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау',
            ru: 'рассмотрение документов, оформление результата и направление его руководителю на подпись',
            en: 'review the documents, draw up the result and send it to the head for signature',
          },
          performedBy: ['executor'],
          norm: {
            kind: 'limit',
            amount: 2,
            unit: 'working-days',
            source: src('4', '5(3)', 'басшысына қол қоюға жолдау – 2 (екі) жұмыс күні'),
          },
          startsOn: 'ExecutorAppointed',
          completedBy: 'ResultDrawnUp',
          produces: FOR_SIGNATURE,
          source: src(
            '4',
            '5(3)',
            'көрсетілетін қызметті берушінің жауапты орындаушысымен құжаттарды қарау, мемлекеттік қызмет көрсету нәтижесін рәсімдеу және көрсетілетін қызметті берушінің басшысына қол қоюға жолдау – 2 (екі) жұмыс күні',
          ),
        },
        {
          id: 'home-4',
          order: 4,
          action: SIGN_ACTION,
          performedBy: ['head'],
          norm: { kind: 'limit', amount: 4, unit: 'hours', source: src('4', '5(4)', SIGN_QUOTE_4H) },
          startsOn: 'ResultDrawnUp',
          completedBy: 'ResultSentToExecutor',
          activities: ['ResultSigned'],
          produces: TO_EXECUTOR,
          source: src('4', '5(4)', SIGN_QUOTE_4H),
        },
        {
          id: 'home-5',
          order: 5,
          action: ISSUE_ACTION,
          performedBy: ['executor', 'clerk'],
          norm: { kind: 'limit', amount: 15, unit: 'minutes', source: src('4', '5(5)', ISSUE_QUOTE) },
          startsOn: 'ResultSentToExecutor',
          completedBy: 'ResultIssued',
          produces: ISSUED,
          source: src('4', '5(5)', ISSUE_QUOTE, ISSUE_STEP_NOTE),
        },
      ],
    },
  ],
};
