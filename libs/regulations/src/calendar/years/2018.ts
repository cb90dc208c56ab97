import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';
import type { LegalSource } from '../../regulation.types.js';

const TRANSFERS: LegalSource = {
  issuer: 'Government of the Republic of Kazakhstan',
  document: 'Decree on the transfer of days off in 2018',
  note: 'As listed in KZ-CALENDAR.md ("Transfers of days off"); the act\'s number and date are not recorded in the project\'s sources.',
};

const transfers: CalendarTransfer[] = [
  { kind: 'swap', workingDay: '2018-03-03', dayOff: '2018-03-09', source: TRANSFERS },
  { kind: 'swap', workingDay: '2018-04-28', dayOff: '2018-04-30', source: TRANSFERS },
  { kind: 'swap', workingDay: '2018-05-05', dayOff: '2018-05-08', source: TRANSFERS },
  { kind: 'swap', workingDay: '2018-08-25', dayOff: '2018-08-31', source: TRANSFERS },
  { kind: 'swap', workingDay: '2018-12-29', dayOff: '2018-12-31', source: TRANSFERS },
];

export const year2018: CalendarYearData = {
  year: 2018,
  kurbanAit: { date: '2018-08-21', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
