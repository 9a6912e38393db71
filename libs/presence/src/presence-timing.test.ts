import { describe, expect, it } from 'vitest';
import { PresenceOptionsError } from './presence-errors.js';
import { MIN_TTL_MS, presenceTiming } from './presence-timing.js';

describe('presenceTiming', () => {
  it.each([30_000, 600, MIN_TTL_MS, 12_345])('keeps lease + 2 sweeps within ttlMs = %i with room to spare', (ttlMs) => {
    const { leaseMs, heartbeatMs, sweepMs } = presenceTiming(ttlMs);
    expect(leaseMs + 2 * sweepMs).toBeLessThanOrEqual((5 / 6) * ttlMs);
    expect(leaseMs).toBeGreaterThanOrEqual(3 * heartbeatMs);
    expect(Math.min(leaseMs, heartbeatMs, sweepMs)).toBeGreaterThan(0);
  });

  it('gives the defaults the bound of the contract is argued with', () => {
    expect(presenceTiming(30_000)).toEqual({ leaseMs: 15_000, heartbeatMs: 5_000, sweepMs: 5_000 });
  });

  it.each([0, MIN_TTL_MS - 1, 1.5e3 + 0.5, Number.NaN])('refuses ttlMs = %s', (ttlMs) => {
    expect(() => presenceTiming(ttlMs)).toThrow(PresenceOptionsError);
  });
});
