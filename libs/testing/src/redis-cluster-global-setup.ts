import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startRedisCluster } from '@notify/launcher';

/**
 * vitest globalSetup of the `cluster` project: one real Redis Cluster for the whole run (3 masters,
 * 1 replica each: six redis-server processes on free loopback ports, joined with `redis-cli
 * --cluster create`), stopped after the run, failed tests or not. Tests read its seed nodes with
 * `inject('redisClusterNodes')` (or through {@link testRedisTarget}) and isolate themselves by key
 * prefix, as on one server.
 */
export default async function setup(project: TestProject) {
  const cluster = await startRedisCluster({ appendOnly: false });
  project.provide('redisClusterNodes', cluster.seeds);
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port,…` of the `cluster` project's Redis Cluster; unset in the other projects. */
    redisClusterNodes?: string;
  }
}
