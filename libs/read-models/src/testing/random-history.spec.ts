import fc from 'fast-check';
import { evolveCase, evolveComplaint, initialCaseState, initialComplaintState, type CaseEvent, type CaseState, type ComplaintEvent, type ComplaintState } from '@sped/domain';
import { chunks, eventCount, interleave, pickFrom, randomHistory, seededPick } from './random-history.js';

describe('Random valid histories (test fixture)', () => {
  it('hold only events the deciders recorded, ending in every kind of outcome across many seeds', () => {
    const statuses = new Set<string>();
    const types = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      for (const stream of randomHistory(seededPick(seed), { cases: 4, complaints: 2, maxCommands: 14 })) {
        const events = stream.appends.flat();
        for (const e of events) types.add(e.type);
        if (stream.streamId.startsWith('case-')) {
          const state = events.reduce<CaseState>((s, e) => evolveCase(s, e as unknown as CaseEvent), initialCaseState);
          expect(state.status).not.toBe('none');
          statuses.add(`case:${state.status}`);
        } else {
          const state = events.reduce<ComplaintState>((s, e) => evolveComplaint(s, e as unknown as ComplaintEvent), initialComplaintState);
          expect(state.status).not.toBe('none');
          statuses.add(`complaint:${state.status}`);
        }
      }
    }
    expect([...statuses]).toEqual(expect.arrayContaining(['case:open', 'case:issued', 'case:refused', 'case:withdrawn', 'complaint:registered', 'complaint:answered']));
    expect([...types]).toEqual(expect.arrayContaining(['ApplicationSubmitted', 'ActionCorrected', 'DeadlinePassed', 'PersonalDataErased', 'ResultIssued', 'ComplaintFiled', 'ComplaintRegistered', 'ComplaintAnswered']));
  });

  it('interleaves streams in a global order that keeps each stream in order, and chunks it without losing an append', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 200 }), (choices) => {
        const pick = pickFrom(choices);
        const streams = randomHistory(pick, { cases: 3, complaints: 2, maxCommands: 6 });
        const plan = interleave(pick, streams);
        expect(plan.reduce((n, a) => n + a.events.length, 0)).toBe(eventCount(streams));
        const versions = new Map<string, number>();
        for (const a of plan) {
          expect(a.expectedVersion).toBe(versions.get(a.streamId) ?? 0);
          versions.set(a.streamId, a.expectedVersion + a.events.length);
        }
        expect(chunks(pick, plan, 4).flat()).toEqual(plan);
      }),
      { numRuns: 30 },
    );
  });
});
