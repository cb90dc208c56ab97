import type { CalendarYearData, CalendarTransfer } from '../calendar.types.js';

/** None published for 2026 (KZ-CALENDAR.md); a later order is added by an operator or here. */
const transfers: CalendarTransfer[] = [];

export const year2026: CalendarYearData = {
  year: 2026,
  kurbanAit: { date: '2026-05-27', note: 'Announced; may still shift by a day. An operator corrects it with a 2026.json in CALENDAR_DATA_DIR.', source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', paragraph: 'Kurban Ait, first day', note: 'The date is announced yearly.' } },
  transfers,
  note: 'No transfers of days off published for 2026 (KZ-CALENDAR.md).',
  source: { issuer: 'Project data', document: 'KZ-CALENDAR.md', note: 'Cross-checked there against the labour ministry\'s production calendars and two open-source holiday libraries.' },
};
