/** Arithmetic on the compliance summary's rows (no React, unit-tested). */
import type { SummaryRow } from './types.js';

/** Totals over provider-and-service rows: judged steps are those on time, late or outside their window. */
export function totals(rows: SummaryRow[]) {
  const sum = (f: (r: SummaryRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const onTime = sum((r) => r.onTime);
  const judged = sum((r) => r.onTime + r.lateOrOutsideWindow);
  return { cases: sum((r) => r.cases), judged, onTimeShare: judged ? onTime / judged : null, breaches: sum((r) => r.breaches), overdueNow: sum((r) => r.overdueNow) };
}

/** Every month from the first to the last, so months without a started step show as gaps rather than vanish. */
export function fillMonths(rows: SummaryRow[]): SummaryRow[] {
  const known = rows.filter((r) => r.month).sort((a, b) => (a.month as string).localeCompare(b.month as string));
  if (!known.length) return [];
  const byMonth = new Map(known.map((r) => [r.month as string, r]));
  const out: SummaryRow[] = [];
  let [y, m] = (known[0].month as string).split('-').map(Number);
  const last = known.at(-1)?.month as string;
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    out.push(byMonth.get(month) ?? { month, cases: 0, steps: 0, completed: 0, onTime: 0, onTimeShare: null, breaches: 0, lateOrOutsideWindow: 0, overdueNow: 0, open: 0, notJudged: 0 });
    if (month >= last) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
