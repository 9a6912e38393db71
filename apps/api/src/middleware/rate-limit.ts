import type { RequestHandler } from 'express';
import type { Logger } from '@notify/observability';
import { RateLimitedError } from '../errors/http-errors.js';
import { withDeadline } from '../errors/with-deadline.js';
import type { RateLimiter, RateLimitVerdict } from '../rate-limit/rate-limiter.js';

/**
 * How long the limiter may wait for Redis before it lets the request through. Short, because the
 * request itself then waits its own `UNAVAILABLE_AFTER_MS` for Redis, and every answer comes within 2 s (docs/contract.md).
 */
const LIMITER_TIMEOUT_MS = 250;

/** A failing limiter is logged at most this often. */
const WARN_EVERY_MS = 5000;

/**
 * Per-API-key rate limit; runs after {@link apiKeyAuth} (it counts `res.locals.apiKeyId`). Over the
 * limit: 429 `rate_limited` with `Retry-After`. `undefined` limiter (API_RATE_LIMIT=0): no limit.
 * Most requests are answered from the lease this process holds, without Redis ({@link RateLimiter}).
 *
 * Fails open: when Redis cannot give a lease within 250 ms the request goes on, so an outage never
 * turns the limiter into a hang or into a refusal of reads that do not need Redis; requests that
 * do need Redis get their usual 503.
 */
export function rateLimit(limiter: RateLimiter | undefined, logger: Logger): RequestHandler {
  if (!limiter) return (_req, _res, next) => next();
  let lastWarning = 0;
  const decide = (verdict: RateLimitVerdict, next: (error?: unknown) => void) =>
    next(verdict.allowed ? undefined : new RateLimitedError(Math.ceil(verdict.retryAfterMs / 1000)));
  return (_req, res, next) => {
    const scope = res.locals.apiKeyId as string;
    const local = limiter.hitLocally(scope);
    if (local) {
      decide(local, next);
      return;
    }
    withDeadline(limiter.hit(scope), LIMITER_TIMEOUT_MS, 'the rate limiter (Redis)').then(
      (verdict) => decide(verdict, next),
      (error: unknown) => {
        if (Date.now() - lastWarning >= WARN_EVERY_MS) {
          lastWarning = Date.now();
          const log = (res.locals.logger as Logger | undefined) ?? logger;
          log.warn({ err: error }, 'rate limiter unavailable; letting requests through');
        }
        next();
      },
    );
  };
}
