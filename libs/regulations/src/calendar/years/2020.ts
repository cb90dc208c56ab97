import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';
import type { LegalSource } from '../../regulation.types.js';

const TRANSFERS: LegalSource = {
  issuer: 'Government of the Republic of Kazakhstan',
  document: 'Decree on the transfer of days off in 2020',
  note: 'As listed in KZ-CALENDAR.md ("Transfers of days off"); the act\'s number and date are not recorded in the project\'s sources.',
};

const transfers: CalendarTransfer[] = [
  { kind: 'swap', workingDay: '2020-01-05', dayOff: '2020-01-03', source: TRANSFERS },
  { kind: 'swap', workingDay: '2020-12-20', dayOff: '2020-12-18', source: TRANSFERS },
  {
    kind: 'carry-over-moved',
    from: '2020-05-11',
    to: '2020-05-08',
    source: { ...TRANSFERS, note: 'The carry-over day for Victory Day (Sat 9 May) was moved from Mon 11 May to Fri 8 May; 11 May 2020 was a working day.' },
  },
];

export const year2020: CalendarYearData = {
  year: 2020,
  kurbanAit: { date: '2020-07-31', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
