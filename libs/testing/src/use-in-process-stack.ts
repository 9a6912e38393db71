import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { closeAllPages } from './page.js';
import { startInProcessStack, type InProcessStack, type InProcessStackOptions } from './in-process-stack.js';

/**
 * Registers the hooks of a file whose tests share one in-process stack on the run's Redis
 * (`inject('redisUrl')`, the integration project's global setup): started before all tests, pages
 * closed after each, stopped after all (even when they fail). Returns a getter for the stack.
 */
export function useInProcessStack(options: Omit<InProcessStackOptions, 'redisUrl'> = {}): () => InProcessStack {
  let current: InProcessStack | undefined;
  beforeAll(async () => {
    current = await startInProcessStack({ redisUrl: inject('redisUrl'), ...options });
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
