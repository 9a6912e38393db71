import type { RedisClient } from '@notify/redis';
import { LuaScript } from '@notify/redis';

/**
 * A fixed one-second window per key, in one hash `{s: second, n: count}`: the first hit of a new
 * second resets it. Time is Redis server time, so every api process counts the same window
 * whatever its own clock says. One key per scope, so it is a single-slot script on Redis Cluster.
 * Returns the count so far this second and the ms left in it.
 */
const LUA = `
local time = redis.call('TIME')
local second = time[1]
local count = 1
if redis.call('HGET', KEYS[1], 's') == second then
  count = redis.call('HINCRBY', KEYS[1], 'n', 1)
else
  redis.call('HSET', KEYS[1], 's', second, 'n', 1)
  redis.call('PEXPIRE', KEYS[1], 2000)
end
return { count, 1000 - math.floor(tonumber(time[2]) / 1000) }
`;

const RATE_LIMIT_SCRIPT = new LuaScript(LUA);

export interface RateLimiterOptions {
  /** Key prefix (`REDIS_PREFIX`). */
  prefix: string;
  /** Requests allowed per scope per second (`API_RATE_LIMIT`); must be at least 1. */
  perSecond: number;
}

/** The answer for one request. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** When refused: ms until the window ends and the scope may send again. */
  retryAfterMs: number;
}

/** Counts requests per scope (an API key) per second in Redis, shared by every api process. */
export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: RateLimiterOptions,
  ) {}

  /** Counts one request of `scope` and says whether it is within the limit. */
  async hit(scope: string): Promise<RateLimitVerdict> {
    const key = `${this.options.prefix}:rate-limit:${scope}`;
    const reply = await RATE_LIMIT_SCRIPT.run(this.redis, [key]);
    const [count, msLeft] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (typeof count !== 'number' || typeof msLeft !== 'number') {
      throw new Error(`rate limiter: unexpected reply from Redis: ${JSON.stringify(reply)}`);
    }
    return { allowed: count <= this.options.perSecond, retryAfterMs: Math.max(1, msLeft) };
  }
}
