import { isValidDate } from './calendar/days.js';

/** Collects problems with a data file by path (`services[0].steps[2].norm.amount`), so one error names them all. */
export class Checker {
  readonly problems: Array<{ path: string; message: string }> = [];

  fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  isObject(value: unknown, path: string): value is Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.fail(path, 'must be an object');
    return false;
  }

  string(obj: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
    const v = obj[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      this.fail(join(path, key), optional ? 'must be a non-empty string when present' : 'must be a non-empty string');
      return undefined;
    }
    return v;
  }

  date(obj: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
    const v = obj[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !isValidDate(v)) {
      this.fail(join(path, key), `must be a calendar date YYYY-MM-DD (got ${JSON.stringify(v)})`);
      return undefined;
    }
    return v;
  }

  array(obj: Record<string, unknown>, key: string, path: string, optional = false): unknown[] | undefined {
    const v = obj[key];
    if (v === undefined && optional) return undefined;
    if (!Array.isArray(v)) {
      this.fail(join(path, key), 'must be an array');
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(obj: Record<string, unknown>, key: string, allowed: readonly T[], path: string, optional = false): T | undefined {
    const v = obj[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(join(path, key), `must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
      return undefined;
    }
    return v as T;
  }

  localized(obj: Record<string, unknown>, key: string, path: string): void {
    this.localizedValue(obj[key], join(path, key));
  }

  localizedValue(v: unknown, path: string): void {
    if (!this.isObject(v, path)) return;
    for (const lang of ['kk', 'ru', 'en']) this.string(v, lang, path);
  }

  legalSource(obj: Record<string, unknown>, key: string, path: string): void {
    const p = join(path, key);
    const v = obj[key];
    if (!this.isObject(v, p)) return;
    this.string(v, 'issuer', p);
    this.string(v, 'document', p);
    for (const k of ['number', 'registration', 'appendix', 'paragraph', 'quote', 'note', 'seed']) this.string(v, k, p, true);
    this.date(v, 'date', p, true);
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
