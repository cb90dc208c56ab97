/**
 * Source B: the rules (қағида) of the public service "Acceptance of documents for organizing free individual
 * home education ...", written under Article 10(1) of the Law "On public services" of 15 Apr 2013. They replace
 * appendix 4 of resolution No. 604 (Source A) for home education. Original text: shared/seeds/004_52c1e34e407a1298.txt.
 * Each `quote` is the Kazakh text of the seed (whitespace collapsed); the seed tests check every one of them.
 * Russian and English texts are working translations; the Kazakh text is the source.
 */
import type { LegalSource, Localized, RegulationVersion } from '../regulation.types.js';

const SEED = '004_52c1e34e407a1298.txt';

const RULES_TITLE =
  'Rules of the public service "Acceptance of documents for organizing free individual home education for children who cannot attend ' +
  'primary, basic secondary or general secondary school for a long time for health reasons"';

const RULES: LegalSource = {
  issuer: 'Not named in the project\'s copy of the rules',
  document: RULES_TITLE,
  seed: SEED,
  note:
    'The copy names neither the approving act, its issuer, number, date nor registration. It is written under Art. 10(1) of the ' +
    'Law "On public services" of 15 Apr 2013 (paragraph 1).',
};

function src(paragraph: string, quote: string, note?: string): LegalSource {
  return { ...RULES, paragraph, quote, ...(note ? { note } : {}) };
}

const NO_TERM = 'The rules state no term for this step.';

const OFFICE_QUOTE =
  'Құжаттар топтамасын көрсетілген қызметті беруші кеңсесі арқылы көрсетілген кезде көрсетілетін қызметті беруші өтініш пен құжаттар топтамасын қабылдайды, көрсетілетін қызметті берушінің басшысына береді. Көрсетілетін қызметті берушінің кеңсе қызметкері көрсетілетін қызметті алушыға құжаттардың қабылданғаны туралы қолхат (еркін нысанда) береді.';

const PORTAL_QUOTE =
  'Көрсетілетін қызметті беруші екі жұмыс күні ішінде көрсетілетін қызметті алушының электрондық сұрау салуын өңдеуді (тексеруді, тіркеуді) жүзеге асырады және көрсетілетін қызметті алушының порталдағы "жеке кабинетіне" осы Қағидаларға 3-қосымшаға сәйкес құжаттарды қабылдау туралы хабарламаны жолдайды немесе электрондық құжат нысанында осы Қағидаларға 2-қосымшаға сәйкес өтінішті одан әрі қараудан дәлелді бас тартуды дайындап порталдағы "жеке кабинетіне" жолдайды.';

const HEAD_QUOTE =
  'Көрсетілетін қызметті алушының құжаттарын көрсетілетін қызметті берушінің басшысы оқыту сыныбын, тілін анықтау үшін қарайды. Басшы құжаттарды қарағаннан кейін баланы үйде жеке тегін оқытуды ұйымдастыру үшін мамандарға береді.';

const ORDER_QUOTE = 'Көрсетілетін қызметті беруші үйде жеке тегін оқуға қабылдау туралы бұйрықты қалыптастырады.';

const REFUSAL_QUOTE =
  'Көрсетілетін қызметті алушы құжаттардың толық емес тізбесін және (немесе) қолданылу мерзімі өтіп кеткен құжаттарды ұсынған кезде көрсетілетін қызметті беруші көрсетілген мерзімде өтінішті одан әрі қараудан дәлелді бас тартуды осы Қағидаларға 2-қосымшаға сәйкес нысан бойынша жібереді.';

const REFUSAL_NOTE =
  'A motivated refusal to consider the application further (appendix 2 of the rules), sent "within the stated term" (көрсетілген мерзімде): ' +
  'the rules state that term only for the portal (2 working days, paragraph 5).';

const HEAD_ACTION: Localized = {
  kk: 'көрсетілетін қызметті алушының құжаттарын оқыту сыныбын, тілін анықтау үшін қарау және мамандарға беру',
  ru: 'рассмотрение документов для определения класса и языка обучения и передача специалистам',
  en: 'review the documents to set the class and the language of instruction, and pass them to the specialists',
};
const CLASS_SET: Localized = {
  kk: 'оқыту сыныбы мен тілі анықталды, құжаттар мамандарға берілді',
  ru: 'класс и язык обучения определены, документы переданы специалистам',
  en: 'class and language set, documents passed to the specialists',
};

export const homeEducationRules2020: RegulationVersion = {
  id: 'home-education-rules-2020',
  title: {
    kk: '"Бастауыш, негізгі орта, жалпы орта білім беру ұйымдарына денсаулығына байланысты ұзақ уақыт бойы бара алмайтын балаларды үйде жеке тегін оқытуды ұйымдастыру үшін құжаттар қабылдау" мемлекеттік көрсетілетін қызмет қағидасы',
    ru: 'Правила оказания государственной услуги "Приём документов для организации индивидуального бесплатного обучения на дому детей, которые по состоянию здоровья в течение длительного времени не могут посещать организации начального, основного среднего, общего среднего образования"',
    en: RULES_TITLE,
  },
  source: src(
    '1',
    '"Мемлекеттік көрсетілетін қызметтер туралы" Қазақстан Республикасының 2013 жылғы 15 сәуірдегі заңының (бұдан әрі – Заң) 10-бабының 1) тармақшасына сәйкес әзірленді',
  ),
  inForce: {
    from: '2020-02-11',
    to: null,
    estimated: { from: true },
    note:
      'The rules state no date of entry into force and no repeal. FROM is derived, not stated: the project\'s digest (REGULATIONS.md) ' +
      'says these rules replace Source A for home education, so they are taken to govern from the day after Source A\'s last day ' +
      '(2020-02-10, itself an estimate), which keeps the coverage contiguous. Caution: a third-party copy (not one of the project\'s ' +
      'sources) attributes identical text to appendix 3 of an order of the Minister of Education and Science of 27 May 2020 No. 223; if that ' +
      'is confirmed, these rules apply only from that order\'s entry into force, and the interval before it is governed by neither version ' +
      'here. TO: none stated.',
  },
  services: [
    {
      code: 'home-education',
      name: {
        kk: 'Бастауыш, негізгі орта, жалпы орта білім беру ұйымдарына денсаулығына байланысты ұзақ уақыт бойы бара алмайтын балаларды үйде жеке тегін оқытуды ұйымдастыру үшін құжаттар қабылдау',
        ru: 'Приём документов для организации индивидуального бесплатного обучения на дому детей, которые по состоянию здоровья в течение длительного времени не могут посещать организации начального, основного среднего, общего среднего образования',
        en: 'Acceptance of documents for organizing free individual home education for children who cannot attend primary, basic secondary or general secondary school for a long time for health reasons',
      },
      providerKinds: [
        {
          kk: 'бастауыш, негізгі орта, жалпы орта білім беру ұйымдары',
          ru: 'организации начального, основного среднего, общего среднего образования',
          en: 'primary, basic secondary and general secondary education organizations',
        },
      ],
      channels: ['office', 'portal'],
      participants: ['clerk', 'head', 'executor'],
      result: [
        {
          kk: 'үйде жеке тегін оқуға қабылдау туралы бұйрық',
          ru: 'приказ о зачислении на индивидуальное бесплатное обучение на дому',
          en: 'an order on admission to free individual home education',
        },
      ],
      refusalGrounds: [
        {
          code: 'incomplete-documents',
          text: { kk: 'құжаттардың толық емес тізбесі', ru: 'неполный пакет документов', en: 'an incomplete set of documents' },
          source: src('4', REFUSAL_QUOTE, REFUSAL_NOTE),
        },
        {
          code: 'expired-documents',
          text: { kk: 'қолданылу мерзімі өтіп кеткен құжаттар', ru: 'документы с истёкшим сроком действия', en: 'expired documents' },
          source: src('4', REFUSAL_QUOTE, REFUSAL_NOTE),
        },
      ],
      windows: [],
      obligations: [
        {
          id: 'monitoring-stage',
          text: {
            kk: 'мемлекеттік қызметті көрсету сатысы туралы мәліметтерді мемлекеттік қызметтер көрсету мониторингісінің ақпараттық жүйесіне енгізу',
            ru: 'внесение сведений о стадии оказания государственной услуги в информационную систему мониторинга оказания государственных услуг',
            en: 'enter the stage of the service into the information system for monitoring public services',
          },
          source: src(
            '8',
            'Заңының 5-бабының 2-тармағының 11) тармақшасына сәйкес көрсетілетін қызметті беруші мемлекеттік қызметті көрсету сатысы туралы мемлекеттік қызметтер көрсету мониторингісінің ақпараттық жүйесіне енгізуді қамтамасыз етеді.',
            'Under Art. 5(2)(11) of the Law "On public services". The rules state no term for it.',
          ),
        },
        {
          id: 'no-documents-from-information-systems',
          text: {
            kk: 'ақпараттық жүйелерден алуға болатын құжаттарды көрсетілетін қызметті алушылардан талап етуге жол берілмейді',
            ru: 'не допускается истребование у услугополучателей документов, которые могут быть получены из информационных систем',
            en: 'documents obtainable from information systems may not be demanded from the recipient',
          },
          source: src('5', 'Көрсетілетін қызметті алушылардан ақпараттық жүйелерден алуға болатын құжаттарды талап етуге жол берілмейді.'),
        },
      ],
      source: src(
        '4',
        'Мемлекеттік көрсетілетін қызметті алу үшін жеке тұлға (бұдан әрі – көрсетілетін қызметті алушы) көрсетілетін қызметті берушіге көрсетілетін қызметті берушінің кеңсесі арқылы немесе "электрондық үкіметтің" веб-порталы арқылы www.egov.kz (бұдан әрі – портал) осы Қағидаларға 1-қосымшаға сәйкес құжаттар топтамасын ұсынады.',
        'Two channels: the provider\'s office or the e-government portal (section "Education"). The rules name the office clerk and the head; ' +
          'the "specialists" (мамандар) who organize home education are recorded as executors.',
      ),
      steps: [
        {
          id: 'home-b-office-1',
          order: 1,
          channels: ['office'],
          action: {
            kk: 'өтініш пен құжаттар топтамасын қабылдау, басшыға беру; құжаттардың қабылданғаны туралы қолхат беру',
            ru: 'приём заявления и пакета документов, передача руководителю; выдача расписки о приёме документов',
            en: 'accept the application and documents and pass them to the head; give the receipt of acceptance (free form)',
          },
          performedBy: ['clerk'],
          norm: { kind: 'none', note: NO_TERM, source: src('4', OFFICE_QUOTE) },
          startsOn: 'ApplicationSubmitted',
          completedBy: 'SentToHead',
          activities: ['DocumentsAccepted', 'ReceiptIssued'],
          alsoCompletedBy: ['ApplicationRefused'],
          produces: {
            kk: 'құжаттардың қабылданғаны туралы қолхат; құжаттар басшыға берілді',
            ru: 'расписка о приёме документов; документы переданы руководителю',
            en: 'receipt of acceptance given; documents passed to the head',
          },
          source: src('4', OFFICE_QUOTE, 'The provider accepts and passes the documents to the head; the office clerk gives the receipt.'),
        },
        {
          id: 'home-b-portal-1',
          order: 1,
          channels: ['portal'],
          action: {
            kk: 'электрондық сұрау салуды өңдеу (тексеру, тіркеу) және "жеке кабинетке" құжаттарды қабылдау туралы хабарламаны немесе дәлелді бас тартуды жолдау',
            ru: 'обработка (проверка, регистрация) электронного запроса и направление в "личный кабинет" уведомления о приёме документов или мотивированного отказа',
            en: 'process (check, register) the electronic request and send to the recipient\'s "personal cabinet" a notification of acceptance or a motivated refusal',
          },
          performedBy: ['clerk', 'executor', 'head'],
          norm: {
            kind: 'limit',
            amount: 2,
            unit: 'working-days',
            source: src(
              '5',
              'Көрсетілетін қызметті беруші екі жұмыс күні ішінде көрсетілетін қызметті алушының электрондық сұрау салуын өңдеуді (тексеруді, тіркеуді) жүзеге асырады',
              'A request arriving outside working time counts as received at the start of the next working period (DESIGN.md, Time): start the clock with effectiveStart(instant, \'portal\').',
            ),
          },
          startsOn: 'ApplicationSubmitted',
          completedBy: 'AcceptanceNotificationSent',
          alsoCompletedBy: ['ApplicationRefused'],
          produces: {
            kk: 'құжаттарды қабылдау туралы хабарлама (3-қосымша) немесе дәлелді бас тарту (2-қосымша) "жеке кабинетке" жолданды',
            ru: 'уведомление о приёме документов (приложение 3) или мотивированный отказ (приложение 2) направлены в "личный кабинет"',
            en: 'notification of acceptance (appendix 3) or motivated refusal (appendix 2) sent to the personal cabinet',
          },
          source: src('5', PORTAL_QUOTE, 'The rules give this step to the provider without naming a role, so any of its participants may perform it.'),
        },
        {
          id: 'home-b-office-2',
          order: 2,
          channels: ['office'],
          action: HEAD_ACTION,
          performedBy: ['head'],
          norm: { kind: 'none', note: NO_TERM, source: src('6', HEAD_QUOTE) },
          startsOn: 'SentToHead',
          completedBy: 'ClassAndLanguageSet',
          produces: CLASS_SET,
          source: src('6', HEAD_QUOTE),
        },
        {
          id: 'home-b-portal-2',
          order: 2,
          channels: ['portal'],
          action: HEAD_ACTION,
          performedBy: ['head'],
          norm: { kind: 'none', note: NO_TERM, source: src('6', HEAD_QUOTE) },
          startsOn: 'AcceptanceNotificationSent',
          completedBy: 'ClassAndLanguageSet',
          produces: CLASS_SET,
          source: src('6', HEAD_QUOTE, 'On the portal path the documents reach the head once the request is accepted (paragraph 6 applies to both channels).'),
        },
        {
          id: 'home-b-3',
          order: 3,
          action: {
            kk: 'үйде жеке тегін оқуға қабылдау туралы бұйрықты қалыптастыру',
            ru: 'формирование приказа о зачислении на индивидуальное бесплатное обучение на дому',
            en: 'issue the order on admission to free individual home education',
          },
          performedBy: ['head', 'executor'],
          norm: { kind: 'none', note: NO_TERM, source: src('7', ORDER_QUOTE) },
          startsOn: 'ClassAndLanguageSet',
          completedBy: 'ResultIssued',
          activities: ['ResultDrawnUp', 'ResultSigned'],
          produces: {
            kk: 'үйде жеке тегін оқуға қабылдау туралы бұйрық',
            ru: 'приказ о зачислении на индивидуальное бесплатное обучение на дому',
            en: 'the order on admission to free individual home education',
          },
          source: src('7', ORDER_QUOTE, 'The rules give this step to the provider without naming a role.'),
        },
      ],
    },
  ],
};
