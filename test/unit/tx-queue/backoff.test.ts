import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, nextRetryAt, pollDelayMs, retryDelayMs, withJitter } from '../../../extension/tx-queue/backoff';

describe('transaction queue backoff', () => {
  it('retries after 5 s, then doubles, and never waits more than 10 minutes', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 10_000].map((n) => retryDelayMs(n, DEFAULT_TIMING));
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000, 600_000]);
    expect(retryDelayMs(0, DEFAULT_TIMING)).toBe(5_000); // a nonsense count still gives the first delay
  });

  it('jitters by at most ±20% so many profiles coming back online do not knock at once', () => {
    expect(withJitter(10_000, 0)).toBe(8_000);
    expect(withJitter(10_000, 0.5)).toBe(10_000);
    expect(withJitter(10_000, 0.999999)).toBe(12_000);
  });

  it("never retries sooner than the relayer's Retry-After", () => {
    expect(nextRetryAt(1_000, 1, undefined, 0.5)).toBe(6_000);
    expect(nextRetryAt(1_000, 1, 120, 0.5)).toBe(121_000);
    expect(nextRetryAt(1_000, 9, 1, 0.5)).toBe(601_000); // the longer of the two
  });

  it('polls an accepted action quickly at first, then every 30 s at most', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => pollDelayMs(n, DEFAULT_TIMING))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});
