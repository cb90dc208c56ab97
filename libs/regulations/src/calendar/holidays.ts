import type { LegalSource, Localized } from '../regulation.types.js';
import type { HolidayRule } from './calendar.types.js';

const HOLIDAYS_LAW: LegalSource = {
  issuer: 'Republic of Kazakhstan',
  document: 'Law "On holidays in the Republic of Kazakhstan"',
  date: '2001-12-13',
  note: 'With its amendments up to 2022 and the 2026 changes (KZ-CALENDAR.md, "Holidays that are days off").',
};

function law(note?: string): LegalSource {
  return note ? { ...HOLIDAYS_LAW, note: `${HOLIDAYS_LAW.note} ${note}` } : HOLIDAYS_LAW;
}

/** The carry-over rule: KZ-CALENDAR.md, "Carry-over rule". */
export const CARRY_OVER_SOURCE: LegalSource = {
  issuer: 'Republic of Kazakhstan',
  document: 'Labour Code of the Republic of Kazakhstan',
  date: '2015-11-23',
  paragraph: 'Art. 84-85',
  note:
    'A national or state holiday on a Saturday or Sunday makes the next working day after the holiday (after the whole ' +
    'block of holidays, and past any further holiday) a day off; religious holidays are never carried over.',
};

export const FIVE_DAY_WEEK_SOURCE: LegalSource = {
  issuer: 'Republic of Kazakhstan',
  document: 'Labour Code of the Republic of Kazakhstan',
  date: '2015-11-23',
  note: 'Five-day working week: Saturday and Sunday are days off.',
};

export const KURBAN_AIT_NAME: Localized = { kk: 'Құрбан айт', ru: 'Курбан айт', en: 'Kurban Ait (first day)' };

/** Fixed-date holidays that are days off, with the years each applies. Kurban Ait is yearly data (`years/`). */
export const HOLIDAY_RULES: readonly HolidayRule[] = [
  { id: 'new-year-1', date: '01-01', name: { kk: 'Жаңа жыл', ru: 'Новый год', en: 'New Year' }, religious: false, source: law() },
  { id: 'new-year-2', date: '01-02', name: { kk: 'Жаңа жыл', ru: 'Новый год', en: 'New Year (second day)' }, religious: false, source: law() },
  {
    id: 'orthodox-christmas',
    date: '01-07',
    name: { kk: 'Православиелік Рождество', ru: 'Православное Рождество', en: 'Orthodox Christmas' },
    religious: true,
    source: law(),
  },
  {
    id: 'womens-day',
    date: '03-08',
    name: { kk: 'Халықаралық әйелдер күні', ru: 'Международный женский день', en: "International Women's Day" },
    religious: false,
    source: law(),
  },
  {
    id: 'constitution-day-2027',
    date: '03-15',
    name: { kk: 'Конституция күні', ru: 'День Конституции', en: 'Constitution Day' },
    fromYear: 2027,
    religious: false,
    source: law('15 March is Constitution Day of the new Constitution of 2026, a day off from 2027.'),
  },
  { id: 'nauryz-1', date: '03-21', name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' }, religious: false, source: law('Three days since 2010.') },
  { id: 'nauryz-2', date: '03-22', name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' }, religious: false, source: law('Three days since 2010.') },
  { id: 'nauryz-3', date: '03-23', name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' }, religious: false, source: law('Three days since 2010.') },
  {
    id: 'unity-day',
    date: '05-01',
    name: { kk: 'Қазақстан халқының бірлігі мерекесі', ru: 'Праздник единства народа Казахстана', en: 'Unity Day of the People of Kazakhstan' },
    religious: false,
    source: law(),
  },
  {
    id: 'defender-day',
    date: '05-07',
    name: { kk: 'Отан қорғаушы күні', ru: 'День защитника Отечества', en: 'Defender of the Fatherland Day' },
    fromYear: 2013,
    religious: false,
    source: law(),
  },
  { id: 'victory-day', date: '05-09', name: { kk: 'Жеңіс күні', ru: 'День Победы', en: 'Victory Day' }, religious: false, source: law() },
  { id: 'capital-day', date: '07-06', name: { kk: 'Астана күні', ru: 'День Столицы', en: 'Capital Day' }, religious: false, source: law() },
  {
    id: 'constitution-day',
    date: '08-30',
    name: { kk: 'Конституция күні', ru: 'День Конституции', en: 'Constitution Day' },
    toYear: 2025,
    religious: false,
    source: law('Observed up to and including 2025; not observed in 2026.'),
  },
  {
    id: 'republic-day',
    date: '10-25',
    name: { kk: 'Республика күні', ru: 'День Республики', en: 'Republic Day' },
    fromYear: 2022,
    religious: false,
    source: law('A day off from 2022.'),
  },
  {
    id: 'first-president-day',
    date: '12-01',
    name: {
      kk: 'Қазақстан Республикасының Тұңғыш Президенті күні',
      ru: 'День Первого Президента Республики Казахстан',
      en: "First President's Day",
    },
    fromYear: 2012,
    toYear: 2021,
    religious: false,
    source: law('A day off 2012-2021.'),
  },
  { id: 'independence-day-1', date: '12-16', name: { kk: 'Тәуелсіздік күні', ru: 'День Независимости', en: 'Independence Day' }, religious: false, source: law() },
  {
    id: 'independence-day-2',
    date: '12-17',
    name: { kk: 'Тәуелсіздік күні', ru: 'День Независимости', en: 'Independence Day (second day)' },
    toYear: 2021,
    religious: false,
    source: law('The second day is a day off up to and including 2021.'),
  },
];

export function holidayAppliesIn(rule: HolidayRule, year: number): boolean {
  return (rule.fromYear === undefined || year >= rule.fromYear) && (rule.toYear === undefined || year <= rule.toYear);
}
