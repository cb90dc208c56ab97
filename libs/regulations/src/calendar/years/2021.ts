import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';
import type { LegalSource } from '../../regulation.types.js';

const TRANSFERS: LegalSource = {
  issuer: 'Government of the Republic of Kazakhstan',
  document: 'Decree on the transfer of days off in 2021',
  note: 'As listed in KZ-CALENDAR.md ("Transfers of days off"); the act\'s number and date are not recorded in the project\'s sources.',
};

const transfers: CalendarTransfer[] = [
  { kind: 'swap', workingDay: '2021-07-03', dayOff: '2021-07-05', source: TRANSFERS },
];

export const year2021: CalendarYearData = {
  year: 2021,
  kurbanAit: { date: '2021-07-20', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
