import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeAllPages } from './page.js';
import { startInProcessStack, type InProcessStack, type InProcessStackOptions } from './in-process-stack.js';
import { testRedisEnv } from './test-redis.js';

export interface UseInProcessStackOptions extends Omit<InProcessStackOptions, 'redisUrl' | 'redisClusterNodes'> {
  /**
   * Run on a redis-server of the stack's own (for a test that stops Redis) instead of the run's
   * shared Redis ({@link testRedisEnv}: a project's global setup). Default false.
   */
  ownRedis?: boolean;
}

/**
 * Registers the hooks of a file whose tests share one in-process stack on the run's Redis (the
 * integration project's server, or the `cluster` project's Redis Cluster: see {@link testRedisEnv}),
 * unless `ownRedis`: started before all tests, pages closed after each, stopped after all (even when
 * they fail). Returns a getter for the stack.
 */
export function useInProcessStack(options: UseInProcessStackOptions = {}): () => InProcessStack {
  let current: InProcessStack | undefined;
  const { ownRedis = false, ...stackOptions } = options;
  beforeAll(async () => {
    const redis = testRedisEnv();
    const where = ownRedis ? {} : 'REDIS_CLUSTER_NODES' in redis ? { redisClusterNodes: redis.REDIS_CLUSTER_NODES } : { redisUrl: redis.REDIS_URL };
    current = await startInProcessStack({ ...stackOptions, ...where });
  });
  afterEach(closeAllPages);
  afterAll(async () => {
    await current?.stop();
  });
  return () => {
    if (!current) throw new Error('the stack is not running yet: use it inside tests or hooks');
    return current;
  };
}
