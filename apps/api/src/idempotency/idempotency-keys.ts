import { createHash } from 'node:crypto';
import type { RedisClient } from '@notify/redis';
import { IdempotencyConflictError, InvalidInputError } from '../errors/http-errors.js';

/** What an `Idempotency-Key` header may hold: 1-255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyOptions {
  prefix: string;
  /** How long a key is remembered (s). Default one day. */
  ttlSeconds?: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` support: the first request with a key stores what it was answered; a retry with
 * the same key (and the same body) gets the same answer, and a different body gets 409. The
 * caller bounds the time (the send use cases' one deadline covers the claim and the enqueue).
 *
 * Each key is kept `ttlSeconds` whatever the rate of keyed requests, and Redis runs `noeviction`:
 * what `fresh()` returns must be small and of constant size (the send use cases keep one record id,
 * `Acceptance`, and derive the rest), so that memory grows with the rate and nothing else. A key
 * takes about 300 bytes of Redis memory (README, "Idempotency keys and Redis memory").
 */
export class IdempotencyKeys {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: IdempotencyOptions,
  ) {}

  /**
   * Returns `fresh()` for a new key (or no key), else what the first request with this key got.
   * `scope` separates producers (the API key), `body` is what the request asked for (only its
   * digest is kept). `T` is stored as JSON: keep it a few dozen bytes.
   */
  async claim<T>(scope: string, key: string | undefined, body: unknown, fresh: () => T): Promise<T> {
    if (key === undefined) return fresh();
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new InvalidInputError([{ path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
    }
    const redisKey = `${this.options.prefix}:idempotency:${scope}:${sha256(key)}`;
    const fingerprint = sha256(JSON.stringify(body));
    const answer = fresh();
    const ttl = this.options.ttlSeconds ?? 86_400;
    const stored = JSON.stringify({ fingerprint, answer });
    const claimed = await this.redis.set(redisKey, stored, 'EX', ttl, 'NX');
    if (claimed === 'OK') return answer;
    const previous = await this.redis.get(redisKey);
    // The key expired between SET and GET: this request is the first after all.
    if (previous === null) return this.claim(scope, key, body, fresh);
    const parsed = JSON.parse(previous) as { fingerprint: string; answer: T };
    if (parsed.fingerprint !== fingerprint) throw new IdempotencyConflictError();
    return parsed.answer;
  }
}
