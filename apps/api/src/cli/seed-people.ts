import { makeIin } from '@sped/domain';
import type { Rng } from './seed-random.js';

/**
 * Fictional people for the demo data: Kazakh and Russian names combined at random, birth dates that fit
 * the service, and IINs that encode those birth dates (valid check digit, never a real person's on purpose).
 */

const KK_MALE = ['Нұрсұлтан', 'Ерасыл', 'Әлихан', 'Дәурен', 'Арман', 'Бауыржан', 'Ержан', 'Санжар', 'Алмас', 'Ерлан', 'Марат', 'Асқар', 'Нұрлан', 'Дамир', 'Темірлан', 'Әділет', 'Жандос', 'Мирас'];
const KK_FEMALE = ['Айгерім', 'Аружан', 'Мадина', 'Жансая', 'Гүлнар', 'Әсел', 'Дана', 'Томирис', 'Айша', 'Ақбота', 'Самал', 'Динара', 'Гүлмира', 'Назерке', 'Жанар', 'Ләззат', 'Іңкәр', 'Балнұр'];
const KK_SURNAMES = ['Ахметов', 'Сейтқалиев', 'Жұмабаев', 'Оспанов', 'Тоқтаров', 'Қасымов', 'Сәрсенбаев', 'Ержанов', 'Мұқанов', 'Бекенов', 'Әбдірахманов', 'Нұрғалиев', 'Исабеков', 'Темірбеков', 'Құдайбергенов', 'Байжанов'];
const RU_MALE = ['Артём', 'Максим', 'Дмитрий', 'Иван', 'Никита', 'Сергей', 'Андрей', 'Алексей', 'Михаил', 'Владимир', 'Егор', 'Кирилл'];
const RU_FEMALE = ['Анна', 'Мария', 'Екатерина', 'Ольга', 'Наталья', 'Татьяна', 'Дарья', 'Полина', 'Виктория', 'Елена', 'Ксения', 'Алина'];
const RU_SURNAMES = ['Иванов', 'Петров', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Новиков', 'Фёдоров', 'Морозов', 'Волков', 'Лебедев', 'Ковалёв', 'Никитин', 'Захаров'];
const RU_FATHERS: Array<[string, string, string]> = [
  ['Сергей', 'Сергеевич', 'Сергеевна'],
  ['Андрей', 'Андреевич', 'Андреевна'],
  ['Алексей', 'Алексеевич', 'Алексеевна'],
  ['Дмитрий', 'Дмитриевич', 'Дмитриевна'],
  ['Иван', 'Иванович', 'Ивановна'],
  ['Михаил', 'Михайлович', 'Михайловна'],
  ['Владимир', 'Владимирович', 'Владимировна'],
  ['Максим', 'Максимович', 'Максимовна'],
];
const TOWNS: Record<string, string[]> = {
  Almaty: ['Алматы қ., Әуезов ауданы', 'Алматы қ., Бостандық ауданы', 'г. Алматы, Алмалинский район'],
  'Almaty region': ['Талдықорған қ.', 'Қапшағай қ.', 'Есік қ.', 'г. Талдыкорган', 'Қарасай ауданы, Қаскелең қ.'],
};
const STREETS = ['Абай к-сі', 'Төле би к-сі', 'ул. Гагарина', 'Жансүгіров к-сі', 'ул. Ленина', 'Қабанбай батыр к-сі', 'мкр. Жетысу'];

const MEDICAL_NOTES = [
  'ДЦП, спастический тетрапарез; передвигается на коляске',
  'Расстройство аутистического спектра',
  'Задержка психического развития',
  'Нейросенсорная тугоухость II степени',
  'Слабовидение, миопия высокой степени',
  'Эпилепсия, частые приступы; заключение ВКК',
  'Тяжёлое нарушение речи (общее недоразвитие речи II уровня)',
  'Церебральды сал ауруы; арбамен жүреді',
  'Аутистік спектр бұзылысы',
  'Онкогематологическое заболевание, период химиотерапии',
];

export type Language = 'kk' | 'ru';
export type Sex = 'male' | 'female';

export interface ApplicantBody {
  iin: string;
  fullName: string;
  birthDate: string;
  relation: 'mother' | 'father' | 'guardian';
  phone: string;
  address?: string;
}

export interface ChildBody {
  iin: string;
  fullName: string;
  birthDate: string;
  medicalNotes: string;
}

export interface Family {
  language: Language;
  applicant: ApplicantBody;
  child: ChildBody;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A birth date `ageYears` (plus a random part of a year) before `onDate`. */
function birthDateFor(rng: Rng, onDate: string, ageYears: number): string {
  const [y, m, d] = onDate.split('-').map(Number);
  const ms = Date.UTC(y - ageYears, m - 1, d) - rng.int(1, 364) * 86_400_000;
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function iinFor(rng: Rng, birthDate: string, sex: Sex): string {
  return makeIin(birthDate, sex, rng.int(100, 9899));
}

function phone(rng: Rng): string {
  return `+7 7${rng.pick(['01', '02', '05', '07', '08', '47', '71', '75', '76', '77'])} ${rng.int(100, 999)} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}`;
}

/**
 * A child of `childAge` years on `onDate` and the parent or guardian who applies, with names of one
 * family (a Kazakh or a Russian one).
 */
export function makeFamily(rng: Rng, onDate: string, childAge: number, region: string): Family {
  const language: Language = rng.chance(0.7) ? 'kk' : 'ru';
  const childSex: Sex = rng.chance(0.5) ? 'male' : 'female';
  const relation = rng.weighted([
    ['mother', 70],
    ['father', 22],
    ['guardian', 8],
  ] as const);
  const parentSex: Sex = relation === 'father' ? 'male' : relation === 'mother' ? 'female' : rng.pick(['male', 'female'] as const);
  let childName: string;
  let parentName: string;
  if (language === 'kk') {
    const root = rng.pick(KK_SURNAMES);
    const father = rng.pick(KK_MALE);
    const surname = (sex: Sex) => (sex === 'male' ? root : `${root}а`);
    childName = `${surname(childSex)} ${rng.pick(childSex === 'male' ? KK_MALE : KK_FEMALE)} ${father}${childSex === 'male' ? 'ұлы' : 'қызы'}`;
    const parentFirst = parentSex === 'male' ? (relation === 'father' ? father : rng.pick(KK_MALE)) : rng.pick(KK_FEMALE);
    const parentSurname = relation === 'guardian' ? surname(parentSex).replace(root, rng.pick(KK_SURNAMES)) : surname(parentSex);
    parentName = `${parentSurname} ${parentFirst} ${rng.pick(KK_MALE)}${parentSex === 'male' ? 'ұлы' : 'қызы'}`;
  } else {
    const root = rng.pick(RU_SURNAMES);
    const [father, sonOf, daughterOf] = rng.pick(RU_FATHERS);
    const surname = (sex: Sex) => (sex === 'male' ? root : `${root}а`);
    childName = `${surname(childSex)} ${rng.pick(childSex === 'male' ? RU_MALE : RU_FEMALE)} ${childSex === 'male' ? sonOf : daughterOf}`;
    const [, pSon, pDaughter] = rng.pick(RU_FATHERS);
    const parentFirst = parentSex === 'male' ? (relation === 'father' ? father : rng.pick(RU_MALE)) : rng.pick(RU_FEMALE);
    const parentSurname = relation === 'guardian' ? surname(parentSex).replace(root, rng.pick(RU_SURNAMES)) : surname(parentSex);
    parentName = `${parentSurname} ${parentFirst} ${parentSex === 'male' ? pSon : pDaughter}`;
  }
  const childBirth = birthDateFor(rng, onDate, childAge);
  const parentBirth = birthDateFor(rng, childBirth, rng.int(20, 42));
  const town = rng.pick(TOWNS[region] ?? TOWNS['Almaty region']);
  return {
    language,
    child: { iin: iinFor(rng, childBirth, childSex), fullName: childName, birthDate: childBirth, medicalNotes: rng.pick(MEDICAL_NOTES) },
    applicant: {
      iin: iinFor(rng, parentBirth, parentSex),
      fullName: parentName,
      birthDate: parentBirth,
      relation,
      phone: phone(rng),
      ...(rng.chance(0.6) ? { address: `${town}, ${rng.pick(STREETS)}, ${rng.int(1, 140)}${rng.chance(0.4) ? `, пәтер ${rng.int(1, 90)}` : ''}` } : {}),
    },
  };
}

/** A portal account of an applicant: an opaque id, never the IIN (it lands in the event log's metadata). */
export function portalAccount(rng: Rng): string {
  return `egov-user-${rng.int(10_000_000, 99_999_999)}`;
}

// ------------------------------------------------------------------------------------------------ texts

export const REFUSAL_MOTIVATIONS: Record<'incomplete-documents' | 'expired-documents' | 'both', string[]> = {
  'incomplete-documents': [
    'Не представлено заключение ВКК о необходимости обучения на дому.',
    'Отсутствует копия свидетельства о рождении ребёнка.',
    'Медициналық қорытынды ұсынылмаған, құжаттар топтамасы толық емес.',
    'Не представлено заключение ПМПК; пакет документов неполный.',
  ],
  'expired-documents': [
    'Срок действия медицинского заключения истёк (выдано более года назад).',
    'Представленная справка формы 026/у просрочена.',
    'Медициналық анықтаманың қолданылу мерзімі өтіп кеткен.',
  ],
  both: [
    'Нет заключения ПМПК, а медицинская справка просрочена.',
    'Құжаттар толық емес және медициналық қорытындының мерзімі өткен.',
  ],
};

export const WITHDRAWAL_REASONS = [
  'Семья переезжает в другой регион.',
  'Заявитель отозвал заявление письменно.',
  'Ребёнок зачислен в другую организацию.',
  'Отбасы басқа қалаға көшті.',
  null,
];

export const COMPLAINT_TEXTS: Record<'decision' | 'action' | 'inaction', string[]> = {
  inaction: [
    'Прошло больше недели, а решения по заявлению нет, на звонки не отвечают.',
    'Өтінішім бойынша ешқандай жауап берілмеді.',
    'Заключение ПМПК до сих пор не выдано, сроки нарушены.',
    'Уведомление о приёме документов в личный кабинет не пришло.',
  ],
  action: [
    'Сотрудник канцелярии требовал документы, которые есть в информационных системах.',
    'Обследование провели без присутствия родителя.',
    'Кеңсе қызметкері құжаттарды қабылдаудан негізсіз бас тартты.',
  ],
  decision: [
    'Не согласна с отказом в приёме документов: все документы были приложены.',
    'Не согласен с назначенным классом обучения на дому.',
    'Оңалту курсының нәтижесімен келіспеймін.',
  ],
};

export const COMPLAINT_ANSWERS: Record<'satisfied' | 'partly-satisfied' | 'rejected', string[]> = {
  satisfied: ['Жалоба обоснована: результат выдан, с сотрудником проведена беседа.', 'Шағым негізді деп танылды, нәтиже берілді.'],
  'partly-satisfied': ['Жалоба обоснована частично: сроки нарушены на один день, решение по существу оставлено в силе.'],
  rejected: ['Нарушений не установлено: документы возвращены из-за просроченной справки.', 'Шағым негізсіз: мерзімдер сақталған.'],
};

export const FORWARD_REASONS = ['Жалоба касается действий руководителя услугодателя.', 'Заявитель просит рассмотрения уполномоченным органом.', 'Шағым уәкілетті органның құзыретіне жатады.'];
export const COURTS = ['Специализированный межрайонный административный суд Алматинской области', 'Алматы қаласының мамандандырылған ауданаралық әкімшілік соты', null];
export const COMPLAINT_WITHDRAWAL_REASONS = ['Вопрос решён, жалобу отзываю.', 'Мәселе шешілді.', null];
