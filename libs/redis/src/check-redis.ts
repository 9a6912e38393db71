import { isCluster, type RedisClient } from './create-redis-connection.js';

/** Redis answered, but cannot serve every key: a Redis Cluster whose state is not `ok`. */
export class RedisClusterNotOkError extends Error {
  override readonly name = 'RedisClusterNotOkError';
  readonly code = 'redis_cluster_not_ok';
}

/**
 * Resolves when Redis can serve every key, for `/readyz`: one server answers PING; a Redis Cluster
 * reports `cluster_state:ok` (`CLUSTER INFO`: every slot has a master) and every master this
 * client routes to answers PING, so a master that died is caught before the others notice it.
 * Rejects otherwise (with {@link RedisClusterNotOkError} when the cluster says it is not ok).
 */
export async function checkRedis(client: RedisClient): Promise<void> {
  if (!isCluster(client)) {
    await client.ping();
    return;
  }
  const info = await client.cluster('INFO');
  const state = /cluster_state:(\w+)/.exec(info)?.[1];
  if (state !== 'ok') throw new RedisClusterNotOkError(`the Redis Cluster is not ok (cluster_state:${state ?? 'unknown'})`);
  await Promise.all(client.nodes('master').map((node) => node.ping()));
}
