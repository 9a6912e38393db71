import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff-delay.js';

describe('backoffDelay', () => {
  it('doubles per retry, between half and all of the step', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, 200, 10_000, () => 0))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, 200, 10_000, () => 1))).toEqual([200, 400, 800, 1600]);
  });

  it('is capped', () => {
    expect(backoffDelay(30, 200, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(30, 200, 5000, () => 0)).toBe(2500);
  });
});
