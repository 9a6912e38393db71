import { PresenceOptionsError } from './presence-errors.js';

/** The intervals a tracker runs on, all derived from `ttlMs` so that a test can shrink them together. */
export interface PresenceTiming {
  /** How long an added or refreshed session lives in Redis without a heartbeat. */
  leaseMs: number;
  /** How often a gateway refreshes its own sessions. */
  heartbeatMs: number;
  /** How often each gateway tries to take the sweep lock (held for the same time) and sweep. */
  sweepMs: number;
}

/** The smallest `ttlMs` accepted: below it the derived timers would fire every few milliseconds. */
export const MIN_TTL_MS = 60;

/**
 * Splits the promise "a crashed gateway's users stop counting within `ttlMs`" into intervals.
 *
 * A gateway that dies at time d last refreshed its sessions at or before d, so they expire by
 * d + lease. The sweep lock is held for `sweepMs`, and every live gateway tries to take it every
 * `sweepMs`, so some sweep starts within 2 × `sweepMs` of any moment even when the gateway that
 * died was the lock holder. The drop is therefore published by d + lease + 2 × sweep
 * = d + ttl/2 + ttl/3 = d + 5/6 ttl; the last sixth (5 s at the default 30 s) absorbs timer
 * drift and the time a sweep takes over many companies.
 *
 * The lease is three heartbeats long, so a live gateway can miss two heartbeats (a long GC pause,
 * a slow Redis) before its users blink offline; and a heartbeat puts back what was pruned anyway.
 */
export function presenceTiming(ttlMs: number): PresenceTiming {
  if (!Number.isInteger(ttlMs) || ttlMs < MIN_TTL_MS) {
    throw new PresenceOptionsError(`ttlMs must be an integer >= ${MIN_TTL_MS}, got ${ttlMs}`);
  }
  const sixth = Math.floor(ttlMs / 6);
  return { leaseMs: 3 * sixth, heartbeatMs: sixth, sweepMs: sixth };
}
