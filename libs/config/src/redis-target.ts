import type { RedisNodeAddress } from './env-fields.js';

/** Where an app's Redis is: one server by URL, or a Redis Cluster by some of its nodes. */
export type RedisTarget = { readonly url: string } | { readonly clusterNodes: readonly RedisNodeAddress[] };

/** The Redis an app's configuration names (`REDIS_URL` or `REDIS_CLUSTER_NODES`; the schemas require exactly one). */
export function redisTarget(config: { readonly REDIS_URL?: string | undefined; readonly REDIS_CLUSTER_NODES?: readonly RedisNodeAddress[] | undefined }): RedisTarget {
  if (config.REDIS_CLUSTER_NODES) return { clusterNodes: config.REDIS_CLUSTER_NODES };
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  throw new Error('the configuration names no Redis (REDIS_URL or REDIS_CLUSTER_NODES)');
}
