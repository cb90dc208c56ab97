import { DEFAULT_SCHEDULE } from '@sped/regulations';
import { foldCase, type CaseEvent } from '@sped/domain';
import type { ExistingCase } from '@sped/domain';
import { CaseScript } from '../testing/fixtures.js';
import { caseStepRows } from './case-timeline.projection.js';

const stateOf = (s: CaseScript) => foldCase(s.events as CaseEvent[]) as ExistingCase;

describe('Case timeline rows', () => {
  it('gives every step of the regulation a row, the first open from the application with its due instant', () => {
    const s = new CaseScript('home-education').submit('2021-09-06T09:00:00+06:00');
    const rows = caseStepRows(stateOf(s), '1', DEFAULT_SCHEDULE);
    expect(rows.map((r) => [r.stepId, r.status])).toEqual([
      ['home-b-office-1', 'open'],
      ['home-b-office-2', 'not-started'],
      ['home-b-3', 'not-started'],
    ]);
    expect(rows[0].startedAt?.toISOString()).toBe('2021-09-06T03:00:00.000Z');
  });

  it('records a finished step with its verdict and the working time it took', () => {
    const s = new CaseScript('pmpc-examination', 'pmpc-1').submit('2019-06-03T09:00:00+06:00').accept('2019-06-03T09:05:00+06:00').sendToHead('2019-06-03T09:40:00+06:00');
    const [first] = caseStepRows(stateOf(s), '3', DEFAULT_SCHEDULE);
    // pmpc-1 has 15 minutes of working time; sent to the head after 40 minutes: late by 25.
    expect(first).toMatchObject({ stepId: 'pmpc-1', status: 'completed', verdict: 'late', excessAmount: 25, excessUnit: 'minutes', workingMinutes: 40 });
  });

  it('counts working time in the provider schedule', () => {
    const s = new CaseScript('pmpc-examination', 'pmpc-1').submit('2019-06-03T08:40:00+06:00').accept('2019-06-03T08:50:00+06:00').sendToHead('2019-06-03T08:55:00+06:00');
    const early = { id: 'early', periods: [{ start: '08:30', end: '17:30' }] };
    expect(caseStepRows(stateOf(s), '3', early)[0]).toMatchObject({ workingMinutes: 15, verdict: 'on-time' });
    expect(caseStepRows(stateOf(s), '3', DEFAULT_SCHEDULE)[0]).toMatchObject({ workingMinutes: 0, verdict: 'on-time' });
  });

  it('flags a step whose action was recorded after the end of the next working day', () => {
    // Accepted on Friday 10 September 2021: recording it on Monday is in time, on Tuesday it is late.
    const s = new CaseScript('home-education').submit('2021-09-10T09:00:00+06:00');
    s.accept('2021-09-10T09:05:00+06:00');
    const state = stateOf(s);
    const recordedOn = (at: string) => ({ ...state, actions: state.actions.map((a) => (a.type === 'DocumentsAccepted' ? { ...a, recordedAt: at } : a)) });
    expect(caseStepRows(recordedOn('2021-09-13T17:00:00+06:00'), '2', DEFAULT_SCHEDULE)[0].recordedLate).toBe(false);
    expect(caseStepRows(recordedOn('2021-09-14T09:00:00+06:00'), '2', DEFAULT_SCHEDULE)[0].recordedLate).toBe(true);
    expect(caseStepRows(state, '2', DEFAULT_SCHEDULE)[0].recordedLate).toBe(false);
  });
});
