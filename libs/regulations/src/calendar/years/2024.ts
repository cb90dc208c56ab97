import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';
import type { LegalSource } from '../../regulation.types.js';

const TRANSFERS: LegalSource = {
  issuer: 'Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan',
  document: 'Order on the transfer of days off in 2024',
  note: 'As listed in KZ-CALENDAR.md ("Transfers of days off"); the act\'s number and date are not recorded in the project\'s sources.',
};

const transfers: CalendarTransfer[] = [
  { kind: 'swap', workingDay: '2024-05-04', dayOff: '2024-05-08', source: TRANSFERS },
];

export const year2024: CalendarYearData = {
  year: 2024,
  kurbanAit: { date: '2024-06-16', note: 'A Sunday; the earlier calendar said 17 June, which stayed a working day.', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
