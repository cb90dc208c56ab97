import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';
import type { LegalSource } from '../../regulation.types.js';

const TRANSFERS: LegalSource = {
  issuer: 'Government of the Republic of Kazakhstan',
  document: 'Decree on the transfer of days off in 2022',
  note: 'As listed in KZ-CALENDAR.md ("Transfers of days off"); the act\'s number and date are not recorded in the project\'s sources.',
};

const transfers: CalendarTransfer[] = [
  { kind: 'swap', workingDay: '2022-03-05', dayOff: '2022-03-07', source: TRANSFERS },
  { kind: 'swap', workingDay: '2022-08-27', dayOff: '2022-08-29', source: TRANSFERS },
  { kind: 'swap', workingDay: '2022-10-22', dayOff: '2022-10-24', source: TRANSFERS },
];

export const year2022: CalendarYearData = {
  year: 2022,
  kurbanAit: { date: '2022-07-09', note: 'A Saturday; religious holidays are not carried over.', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
