import { createHash } from 'node:crypto';
import type { RedisClient } from './create-redis-connection.js';

/**
 * A Lua script run by EVALSHA, falling back to EVAL when Redis does not have it (first run, a
 * restart, SCRIPT FLUSH). The fallback goes out after later commands on the same connection, so
 * callers whose order matters must await each other.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` (all in one Cluster slot) and `args`; resolves with its raw reply. */
  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
