/** The three catalogs and plain translation (no React): every user-facing string lives in en.ts, kk.ts and ru.ts. */
import { en } from './en.js';
import { kk } from './kk.js';
import { ru } from './ru.js';

export const LOCALES = ['kk', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const CATALOGS: Record<Locale, Catalog> = { kk, ru, en };

/** Each language named in itself, as the switcher shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

const INTL: Record<Locale, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };
export const intlLocale = (locale: Locale): string => INTL[locale];

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

// `{n, plural, one {# day} few {# дня} other {# days}}`: the form for the number by the language's plural rules, # = the number.
const PLURAL = /\{(\w+), plural, ((?:[a-z]+ \{[^{}]*\}\s*)+)\}/g;

/** The placeholders of a message: `{count}` and `{count, plural, ...}` -> count (each once). */
export function placeholders(message: string): string[] {
  const names = [...message.matchAll(PLURAL)].map((m) => m[1]);
  names.push(...[...message.replace(PLURAL, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  return [...new Set(names)].sort();
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const message = CATALOGS[locale][key] ?? en[key] ?? key;
  const rules = pluralRules.get(locale) ?? new Intl.PluralRules(INTL[locale]);
  pluralRules.set(locale, rules);
  return message
    .replace(PLURAL, (whole, name: string, forms: string) => {
      if (!(name in vars)) return whole;
      const value = Number(vars[name]);
      const options = Object.fromEntries([...forms.matchAll(/([a-z]+) \{([^{}]*)\}/g)].map((m) => [m[1], m[2]]));
      const form = options[rules.select(value)] ?? options.other ?? '';
      return form.replace(/#/g, String(vars[name]));
    })
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A message for a value that comes from the API (`stage.with-head`); an unknown value shows as it is. */
export function translateValue(locale: Locale, prefix: string, value: string | null | undefined, vars?: Record<string, string | number>): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? translate(locale, key, vars) : value;
}
