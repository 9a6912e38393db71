import type { RedisClient } from '@notify/redis';
import { LuaScript } from '@notify/redis';

/** How long a user's version key outlives the last change: after that it starts again from Redis time. */
const KEY_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * max(stored + ARGV[1], Redis time in µs), stored and returned. Floored by the clock, the version
 * still grows after the key expired or Redis lost it, as long as Redis's clock does not go back.
 */
const NEXT_VERSION = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local version = math.max((tonumber(redis.call('GET', KEYS[1])) or 0) + tonumber(ARGV[1]), now)
redis.call('SET', KEYS[1], string.format('%.0f', version), 'PX', ARGV[2])
return string.format('%.0f', version)
`);

/** Options of {@link CountVersions}. */
export interface CountVersionsOptions {
  /** Key prefix (`REDIS_PREFIX`); a user's key is `<prefix>:inbox:version:<uid>`. */
  prefix: string;
}

/**
 * Per-user versions of the inbox counts, in Redis so every process shares them. The version of a
 * change is taken after the change is stored and before the counts are read, so counts read under
 * version v reflect every change whose version is below v: a page that keeps the highest version
 * always ends on the newest counts, whatever order the events arrive in.
 */
export class CountVersions {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: CountVersionsOptions,
  ) {}

  /**
   * A new version for each of `uids`, higher than any before, in order, in one round trip: call it
   * after a change of all of theirs is stored.
   */
  async nextAll(uids: readonly string[]): Promise<number[]> {
    const replies = await NEXT_VERSION.runEach(
      this.redis,
      uids.map((uid) => ({ keys: [this.key(uid)], args: [1, KEY_TTL_MS] })),
    );
    return replies.map(Number);
  }

  /** The current version for `uid` (at least the previous one): for counts read without a change. */
  async current(uid: string): Promise<number> {
    return Number(await NEXT_VERSION.run(this.redis, [this.key(uid)], [0, KEY_TTL_MS]));
  }

  private key(uid: string): string {
    return `${this.options.prefix}:inbox:version:${uid}`;
  }
}
