import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CalendarDataError } from '../errors.js';
import type { YearFile } from './calendar.js';

const YEAR_FILE = /^(\d{4})\.json$/;

/**
 * Reads an operator's calendar years: every `<year>.json` in `dir` (other files are ignored). The JSON has the
 * shape of `CalendarYearData`; it is validated when the calendar is built, and its `year` must match the name.
 */
export function loadCalendarYearFiles(dir: string): YearFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new CalendarDataError(dir, [{ path: '', message: `cannot read the calendar data directory (${(e as Error).message})` }]);
  }
  return names
    .map((name) => ({ name, match: YEAR_FILE.exec(name) }))
    .filter((n): n is { name: string; match: RegExpExecArray } => n.match !== null)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(({ name, match }) => {
      const file = path.join(dir, name);
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new CalendarDataError(file, [{ path: '', message: `not valid JSON (${(e as Error).message})` }]);
      }
      const year = Number(match[1]);
      if (typeof data === 'object' && data !== null && (data as { year?: unknown }).year !== year) {
        throw new CalendarDataError(file, [{ path: 'year', message: `must be ${year}, the year the file is named after` }]);
      }
      return { file, data };
    });
}
