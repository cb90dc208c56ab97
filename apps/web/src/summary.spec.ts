import { fillMonths, totals } from './summary.js';
import type { SummaryRow } from './types.js';

const row = (over: Partial<SummaryRow>): SummaryRow => ({ cases: 0, steps: 0, completed: 0, onTime: 0, onTimeShare: null, breaches: 0, lateOrOutsideWindow: 0, overdueNow: 0, open: 0, notJudged: 0, ...over });

describe('The overview totals', () => {
  it('weighs the on-time share by the steps judged, not by the rows', () => {
    const t = totals([row({ cases: 10, onTime: 90, lateOrOutsideWindow: 10, breaches: 12, overdueNow: 2 }), row({ cases: 2, onTime: 1, lateOrOutsideWindow: 9, breaches: 9 })]);
    expect(t).toEqual({ cases: 12, judged: 110, onTimeShare: 91 / 110, breaches: 21, overdueNow: 2 });
  });

  it('has no on-time share when nothing was judged', () => {
    expect(totals([]).onTimeShare).toBeNull();
  });
});

describe('The monthly trend', () => {
  it('shows months without a started step as empty months, across a year end', () => {
    const filled = fillMonths([row({ month: '2020-01', breaches: 3 }), row({ month: '2019-11', breaches: 1 })]);
    expect(filled.map((r) => [r.month, r.breaches, r.onTimeShare])).toEqual([
      ['2019-11', 1, null],
      ['2019-12', 0, null],
      ['2020-01', 3, null],
    ]);
  });
});
