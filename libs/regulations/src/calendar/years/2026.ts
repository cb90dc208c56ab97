import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';
import type { LegalSource } from '../../regulation.types.js';

const TRANSFERS: LegalSource = {
  issuer: 'Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan',
  document: 'Order on the transfer of days off in 2026',
  note: 'As listed in KZ-CALENDAR.md ("Transfers of days off"); the act\'s number and date are not recorded in the project\'s sources.',
};

const transfers: CalendarTransfer[] = [
];

export const year2026: CalendarYearData = {
  year: 2026,
  kurbanAit: { date: '2026-05-27', note: 'Announced; may still shift by a day. An operator corrects it with a 2026.json in CALENDAR_DATA_DIR.', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  note: 'No transfers of days off published for 2026 (KZ-CALENDAR.md).',
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
