import { en } from './en.js';
import { kk } from './kk.js';
import { ru } from './ru.js';
import { CATALOGS, LOCALES, placeholders, translate, translateValue } from './index.js';

const keys = Object.keys(en).sort();
/** Messages that read the same in every language (codes and figures only). */
const LANGUAGE_NEUTRAL = new Set(['state.httpStatus', 'overview.trendFiltered', 'gantt.takenTip', 'norm.window', 'overview.periodRange']);

describe('The three catalogs of the dashboard', () => {
  it.each(LOCALES)('%s has exactly the English keys, none missing and none extra', (locale) => {
    expect(Object.keys(CATALOGS[locale]).sort()).toEqual(keys);
  });

  it.each(LOCALES)('%s has no empty message', (locale) => {
    const empty = keys.filter((k) => !CATALOGS[locale][k as keyof typeof en].trim());
    expect(empty).toEqual([]);
  });

  it.each(['kk', 'ru'] as const)('%s uses the same placeholders as English in every message', (locale) => {
    const mismatched = keys.filter((k) => placeholders(CATALOGS[locale][k as keyof typeof en]).join() !== placeholders(en[k as keyof typeof en]).join());
    expect(mismatched).toEqual([]);
  });

  it.each([
    ['kk', kk],
    ['ru', ru],
  ] as const)('%s is written in Cyrillic, not left in English', (_locale, catalog) => {
    const untranslated = keys.filter((k) => !LANGUAGE_NEUTRAL.has(k) && !/[\u0400-\u04FF]/.test(catalog[k as keyof typeof en]));
    expect(untranslated).toEqual([]);
  });

  it('fills placeholders and names API values in the chosen language', () => {
    expect(translate('ru', 'overview.breachCaption', { count: 12 })).toBe('Показано нарушений: 12');
    expect(translateValue('kk', 'stage', 'with-head')).toBe('Басшыда');
    expect(translateValue('en', 'stage', 'something-new')).toBe('something-new');
    expect(translateValue('en', 'stage', null)).toBe('—');
  });
});

describe('Numbers in messages', () => {
  it('picks the grammatical form for the number in each language', () => {
    expect(translate('en', 'unit.working-days', { n: 1 })).toBe('1 working day');
    expect(translate('en', 'unit.working-days', { n: 5 })).toBe('5 working days');
    expect(translate('ru', 'unit.working-days', { n: 1 })).toBe('1 рабочий день');
    expect(translate('ru', 'unit.working-days', { n: 3 })).toBe('3 рабочих дня');
    expect(translate('ru', 'unit.working-days', { n: 15 })).toBe('15 рабочих дней');
    expect(translate('kk', 'unit.working-days', { n: 15 })).toBe('15 жұмыс күні');
  });
});
