import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '@notify/launcher';

/**
 * vitest globalSetup: one real redis-server on a free port for the whole run, stopped after.
 * Tests read its URL with `inject('redisUrl')` and isolate themselves by key prefix.
 */
export default async function setup(project: TestProject) {
  const redis = await startRedisServer({ appendOnly: false });
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
