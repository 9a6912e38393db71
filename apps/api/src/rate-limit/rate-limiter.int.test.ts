import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '@notify/redis';
import { connectTestRedis } from '@notify/testing';
import { RateLimiter } from './rate-limiter.js';

// The limiter itself, against the run's Redis: leases instead of a round trip per request, and a
// limit that holds across processes (two limiters on one prefix stand for two api processes).
// On one server or a Redis Cluster (each scope's key is one slot).
describe('RateLimiter (real Redis)', () => {
  let redis: RedisClient;
  let scripts = 0;
  beforeAll(() => {
    redis = connectTestRedis();
    // Counted, not replaced: every lease is one script call to the real Redis.
    const evalsha = redis.evalsha.bind(redis);
    redis.evalsha = ((...args: Parameters<typeof evalsha>) => {
      scripts += 1;
      return evalsha(...args);
    }) as typeof redis.evalsha;
  });
  afterAll(() => redis.disconnect());

  const redisSecond = async () => (await redis.time())[0];
  /** Runs `attempt` until it ran within one second of Redis's clock (a second may turn in between, rarely). */
  async function withinOneSecond<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries += 1) {
      const before = await redisSecond();
      const result = await attempt();
      if ((await redisSecond()) === before || tries === 4) return result;
    }
  }
  const hits = async (limiter: RateLimiter, scope: string, n: number) => {
    let allowed = 0;
    for (let i = 0; i < n; i += 1) if ((await limiter.hit(scope)).allowed) allowed += 1;
    return allowed;
  };

  it('lets exactly the limit through in a second, asking Redis far less often than once a request', async () => {
    const limiter = new RateLimiter(redis, { prefix: `test-${randomUUID()}`, perSecond: 400 });
    const { allowed, calls } = await withinOneSecond(async () => {
      const scope = randomUUID();
      const before = scripts;
      const allowed = await hits(limiter, scope, 600);
      return { allowed, calls: scripts - before };
    });
    expect(allowed).toBe(400);
    // Leases of 1, 2, 4, … up to 20 (5% of 400): about 25 calls for 400 requests, then none while refused.
    // (Counted at all: the count is of the connection's own evalsha, one server's or a cluster's.)
    expect(calls).toBeGreaterThan(5);
    expect(calls).toBeLessThan(40);
  });

  it('holds the limit across processes: together they let no more through than the limit', async () => {
    const prefix = `test-${randomUUID()}`;
    const [a, b] = [new RateLimiter(redis, { prefix, perSecond: 300 }), new RateLimiter(redis, { prefix, perSecond: 300 })];
    const { byA, byB } = await withinOneSecond(async () => {
      const scope = randomUUID();
      const [byA, byB] = await Promise.all([hits(a, scope, 400), hits(b, scope, 400)]);
      return { byA, byB };
    });
    expect(byA + byB).toBeLessThanOrEqual(300);
    // What each holds unused when the other runs out is lost to it: up to about 1.5 leases (15 each here).
    expect(byA + byB).toBeGreaterThanOrEqual(300 - 2 * 1.5 * 15);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
  });

  it('refuses a used-up scope without asking Redis, with the time left in the second', async () => {
    const limiter = new RateLimiter(redis, { prefix: `test-${randomUUID()}`, perSecond: 3 });
    const verdicts = await withinOneSecond(async () => {
      const scope = randomUUID();
      const verdicts = [];
      for (let i = 0; i < 4; i += 1) verdicts.push(await limiter.hit(scope));
      const before = scripts;
      verdicts.push(await limiter.hit(scope), limiter.hitLocally(scope));
      expect(scripts - before).toBe(0);
      return verdicts;
    });
    expect(verdicts.map((verdict) => verdict?.allowed)).toEqual([true, true, true, false, false, false]);
    expect(verdicts[3]?.retryAfterMs).toBeGreaterThan(0);
    expect(verdicts[3]?.retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it('shares one lease request among the requests that wait for it', async () => {
    const limiter = new RateLimiter(redis, { prefix: `test-${randomUUID()}`, perSecond: 1000 });
    const before = scripts;
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('shared')));
    expect(verdicts.every((verdict) => verdict.allowed)).toBe(true);
    // 1, 2, 4, 8, 16, 32: six leases (and a next one taken ahead) for fifty concurrent requests, not fifty.
    expect(scripts - before).toBeLessThanOrEqual(10);
  });
});
