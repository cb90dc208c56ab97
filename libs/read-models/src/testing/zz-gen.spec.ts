import { eventCount, randomHistory, seededPick } from './random-history.js';
it('times', () => {
  const t = Date.now();
  const h = randomHistory(seededPick(7), { cases: 100, complaints: 30, maxCommands: 14 });
  console.log(eventCount(h), Date.now() - t, 'ms');
});
