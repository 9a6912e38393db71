import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { closeAllPages } from './page.js';
import { startInProcessStack, type InProcessStack, type InProcessStackOptions } from './in-process-stack.js';

export interface UseInProcessStackOptions extends Omit<InProcessStackOptions, 'redisUrl'> {
  /**
   * Run on a redis-server of the stack's own (for a test that stops Redis) instead of the run's
   * shared one (`inject('redisUrl')`, the integration project's global setup). Default false.
   */
  ownRedis?: boolean;
}

/**
 * Registers the hooks of a file whose tests share one in-process stack: started before all tests,
 * pages closed after each, stopped after all (even when they fail). Returns a getter for the stack.
 */
export function useInProcessStack(options: UseInProcessStackOptions = {}): () => InProcessStack {
  let current: InProcessStack | undefined;
  const { ownRedis = false, ...stackOptions } = options;
  beforeAll(async () => {
    current = await startInProcessStack({ ...stackOptions, redisUrl: ownRedis ? undefined : inject('redisUrl') });
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
