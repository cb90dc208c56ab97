import { TokenBucketLimiter } from './rate-limit.js';

describe('Rate limit token bucket', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  describe('when a client sends a burst', () => {
    it('allows a minute\'s worth at once and refuses the next, saying when to retry', () => {
      const limiter = new TokenBucketLimiter(60, clock);
      for (let i = 0; i < 60; i++) expect(limiter.take('sub:a').allowed).toBe(true);
      expect(limiter.take('sub:a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    });

    it('keeps other clients\' budgets apart', () => {
      const limiter = new TokenBucketLimiter(2, clock);
      limiter.take('sub:a');
      limiter.take('sub:a');
      expect(limiter.take('sub:a').allowed).toBe(false);
      expect(limiter.take('sub:b').allowed).toBe(true);
    });
  });

  describe('when time passes', () => {
    it('refills at the configured rate, never beyond the burst', () => {
      const limiter = new TokenBucketLimiter(6, clock); // one every 10 s
      for (let i = 0; i < 6; i++) limiter.take('ip:1');
      expect(limiter.take('ip:1')).toEqual({ allowed: false, retryAfterSeconds: 10 });
      now += 4_000;
      expect(limiter.take('ip:1')).toEqual({ allowed: false, retryAfterSeconds: 6 });
      now += 6_000;
      expect(limiter.take('ip:1').allowed).toBe(true);
      expect(limiter.take('ip:1').allowed).toBe(false);
      now += 3_600_000;
      for (let i = 0; i < 6; i++) expect(limiter.take('ip:1').allowed).toBe(true);
      expect(limiter.take('ip:1').allowed).toBe(false);
    });

    it('does not hand out tokens when the clock steps back', () => {
      const limiter = new TokenBucketLimiter(1, clock);
      limiter.take('ip:1');
      now -= 120_000;
      expect(limiter.take('ip:1').allowed).toBe(false);
    });
  });

  describe('when very many clients appear', () => {
    it('forgets idle clients first, keeps a busy one\'s spent budget, and never tracks more than its maximum', () => {
      const limiter = new TokenBucketLimiter(10, clock, 100);
      for (let i = 0; i < 10; i++) limiter.take('sub:busy');
      for (let i = 0; i < 99; i++) limiter.take(`ip:${i}`);
      now += 30_000; // the idle buckets are full again, the busy one half
      limiter.take('ip:new');
      expect(limiter.size).toBe(2);
      for (let i = 0; i < 5; i++) expect(limiter.take('sub:busy').allowed).toBe(true);
      expect(limiter.take('sub:busy').allowed).toBe(false);
      for (let i = 0; i < 1000; i++) limiter.take(`ip:flood-${i}`);
      expect(limiter.size).toBeLessThanOrEqual(100);
    });

    it('refuses a limit that is not a positive whole number', () => {
      expect(() => new TokenBucketLimiter(0)).toThrow(RangeError);
      expect(() => new TokenBucketLimiter(1.5)).toThrow(RangeError);
    });
  });
});
