import { createHash } from 'node:crypto';
import { isCluster, type RedisClient } from './create-redis-connection.js';

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

  /**
   * Runs the script once per call, all in one pipeline (one write, one round trip); resolves with
   * each raw reply in order, rejects with the first error. Calls that found Redis without the
   * script run again with EVAL (only those: the others have had their effect). Each call's keys
   * must share a Cluster slot; different calls' keys need not.
   */
  async runEach(redis: RedisClient, calls: readonly { keys: readonly string[]; args?: readonly (string | number)[] }[]): Promise<unknown[]> {
    if (calls.length === 0) return [];
    // A Redis Cluster connection refuses a pipeline whose keys live on different nodes: one call each there.
    if (isCluster(redis)) return Promise.all(calls.map(({ keys, args }) => this.run(redis, keys, args)));
    const pipeline = redis.pipeline();
    for (const { keys, args = [] } of calls) pipeline.evalsha(this.sha, keys.length, ...keys, ...args);
    const results = (await pipeline.exec()) ?? [];
    return Promise.all(
      calls.map(async ({ keys, args = [] }, index) => {
        const [error, reply] = results[index] ?? [new Error('no reply from Redis')];
        if (!error) return reply;
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }),
    );
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
