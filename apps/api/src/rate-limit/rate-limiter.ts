import type { RedisClient } from '@notify/redis';
import { LuaScript } from '@notify/redis';

/**
 * Grants a lease of up to ARGV[1] requests of the current second, out of ARGV[2] per second,
 * from one hash `{s: second, n: granted so far}`; the first lease of a new second resets it. Time
 * is Redis server time, so every api process counts the same window whatever its own clock says.
 * One key per scope, so it is a single-slot script on Redis Cluster. Returns what it granted (0
 * once the second's requests are all given out) and the ms left in the second.
 */
const LUA = `
local time = redis.call('TIME')
local second = time[1]
local used = 0
if redis.call('HGET', KEYS[1], 's') == second then
  used = tonumber(redis.call('HGET', KEYS[1], 'n'))
else
  redis.call('HSET', KEYS[1], 's', second, 'n', 0)
  redis.call('PEXPIRE', KEYS[1], 2000)
end
local granted = math.max(0, math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used))
if granted > 0 then redis.call('HINCRBY', KEYS[1], 'n', granted) end
return { granted, 1000 - math.floor(tonumber(time[2]) / 1000) }
`;

const LEASE_SCRIPT = new LuaScript(LUA);

export interface RateLimiterOptions {
  /** Key prefix (`REDIS_PREFIX`). */
  prefix: string;
  /** Requests allowed per scope per second (`API_RATE_LIMIT`); must be at least 1. */
  perSecond: number;
}

/** The largest lease one process takes at a time, as a share of the limit (at least one request). */
const LARGEST_LEASE_SHARE = 0.05;

/** The answer for one request. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** When refused: ms until the window ends and the scope may send again. */
  retryAfterMs: number;
}

/** What this process holds of one scope. */
interface ScopeState {
  /** When the current second ends, by this process's clock (Redis's ms left, counted from its answer). */
  endsAt: number;
  /** Requests of the current second's leases not used yet. */
  tokens: number;
  /** Redis has given out the whole current second: refuse until it ends. */
  exhausted: boolean;
  /** The size of the next lease. */
  lease: number;
  /** The lease being taken, if one is. */
  claiming: Promise<void> | undefined;
}

/**
 * Counts requests per scope (an API key) per second, shared by every api process through Redis
 * without a round trip per request: a process takes leases of the second's requests from Redis
 * (one script call each) and counts them out locally. Leases start at one request and double
 * while the scope keeps using them up within the second, to at most
 * 5% of the limit ({@link LARGEST_LEASE_SHARE}); the next one is taken when half of the
 * current one is left, so a busy scope rarely waits for Redis.
 *
 * Together the processes never let more than `perSecond` through in a second of Redis's clock
 * (leases are given out of the limit), give or take one lease at the turn of the second (a process
 * learns when the second ends from Redis's answer, one network hop late). What a process holds
 * unused when a second ends is lost to the others: with several processes busy on one scope, it
 * may be refused up to about 1.5 leases per process before the limit.
 */
export class RateLimiter {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly largestLease: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RateLimiterOptions,
  ) {
    this.largestLease = Math.max(1, Math.floor(options.perSecond * LARGEST_LEASE_SHARE));
  }

  /**
   * The verdict for one request of `scope` when this process can give it without Redis (it holds
   * a lease, or knows the second is used up), counting the request; undefined when it cannot.
   */
  hitLocally(scope: string): RateLimitVerdict | undefined {
    const now = Date.now();
    const state = this.scopes.get(scope);
    if (!state || now >= state.endsAt) return undefined;
    if (state.tokens > 0) {
      state.tokens -= 1;
      // The next lease is taken while half of this one is left, so that requests need not wait for it.
      if (state.lease > 1 && state.tokens <= state.lease / 2 && !state.exhausted && !state.claiming) this.claim(scope, state).catch(() => undefined);
      return { allowed: true, retryAfterMs: 0 };
    }
    if (state.exhausted) return { allowed: false, retryAfterMs: Math.max(1, state.endsAt - now) };
    return undefined;
  }

  /** Counts one request of `scope` and says whether it is within the limit, taking a lease from Redis when needed. */
  async hit(scope: string): Promise<RateLimitVerdict> {
    for (;;) {
      const local = this.hitLocally(scope);
      if (local) return local;
      let state = this.scopes.get(scope);
      if (!state) {
        state = { endsAt: 0, tokens: 0, exhausted: false, lease: 1, claiming: undefined };
        this.scopes.set(scope, state);
      }
      await this.claim(scope, state);
    }
  }

  /** Takes a lease for `scope` from Redis, one at a time per scope; rejects with Redis's error. */
  private claim(scope: string, state: ScopeState): Promise<void> {
    if (state.claiming) return state.claiming;
    const now = Date.now();
    const sameSecond = now < state.endsAt;
    // A scope that uses up its lease within the second gets a larger one; a new second starts with half.
    const wanted = Math.min(this.largestLease, sameSecond ? state.lease * 2 : Math.max(1, Math.floor(state.lease / 2)));
    state.lease = wanted;
    state.claiming = this.lease(scope, wanted)
      .then(({ granted, msLeft }) => {
        const answeredAt = Date.now();
        // Tokens of a second that has ended are gone; the answer says when the current one ends.
        if (answeredAt >= state.endsAt) state.tokens = 0;
        state.tokens += granted;
        state.endsAt = answeredAt + msLeft;
        state.exhausted = granted < wanted;
      })
      .finally(() => {
        state.claiming = undefined;
      });
    return state.claiming;
  }

  private async lease(scope: string, wanted: number): Promise<{ granted: number; msLeft: number }> {
    const key = `${this.options.prefix}:rate-limit:${scope}`;
    const reply = await LEASE_SCRIPT.run(this.redis, [key], [wanted, this.options.perSecond]);
    const [granted, msLeft] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (typeof granted !== 'number' || typeof msLeft !== 'number') {
      throw new Error(`rate limiter: unexpected reply from Redis: ${JSON.stringify(reply)}`);
    }
    return { granted, msLeft: Math.max(1, msLeft) };
  }
}
