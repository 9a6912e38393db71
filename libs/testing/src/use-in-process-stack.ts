import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeAllPages } from './page.js';
import { startInProcessStack, type InProcessStack, type InProcessStackOptions } from './in-process-stack.js';
import { testRedisEnv } from './test-redis.js';

/**
 * Registers the hooks of a file whose tests share one in-process stack on the run's Redis (the
 * integration project's server, or the `cluster` project's Redis Cluster: see {@link testRedisEnv}):
 * started before all tests, pages closed after each, stopped after all (even when they fail).
 * Returns a getter for the stack.
 */
export function useInProcessStack(options: Omit<InProcessStackOptions, 'redisUrl' | 'redisClusterNodes'> = {}): () => InProcessStack {
  let current: InProcessStack | undefined;
  beforeAll(async () => {
    const redis = testRedisEnv();
    const where = 'REDIS_CLUSTER_NODES' in redis ? { redisClusterNodes: redis.REDIS_CLUSTER_NODES } : { redisUrl: redis.REDIS_URL };
    current = await startInProcessStack({ ...where, ...options });
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
