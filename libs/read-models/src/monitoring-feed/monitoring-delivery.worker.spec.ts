import { backoffDelay } from './monitoring-delivery.worker.js';

describe('Monitoring delivery retry delay', () => {
  it('doubles with every failed attempt of the batch until the cap', () => {
    const top = (n: number) => backoffDelay(n, 100, 5_000, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 7].map(top)).toEqual([100, 200, 400, 800, 1600, 3200, 5000]);
    expect(top(500)).toBe(5_000);
  });

  it('spreads retries between half and the whole of the delay (jitter), never zero', () => {
    expect(backoffDelay(3, 100, 5_000, () => 0)).toBe(200);
    expect(backoffDelay(3, 100, 5_000, () => 0.5)).toBe(300);
    expect(backoffDelay(1, 1, 5_000, () => 0)).toBeGreaterThan(0);
  });
});
