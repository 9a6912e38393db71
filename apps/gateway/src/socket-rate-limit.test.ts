import { describe, expect, it } from 'vitest';
import { TokenBucket } from './socket-rate-limit.js';

describe('TokenBucket', () => {
  it('lets a burst through at once, then one event per 1/perSecond', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  it('refills to the burst and no further', () => {
    const bucket = new TokenBucket(10, 3, 0);
    for (let i = 0; i < 3; i += 1) bucket.take(0);
    const later = 60_000;
    expect(Array.from({ length: 4 }, () => bucket.take(later))).toEqual([true, true, true, false]);
  });
});
