import { inject } from 'vitest';
import { busShardOf } from '@notify/contracts';
import { createRedisConnection, isCluster, redisReady, type Cluster, type RedisClient, type RedisNodeAddress } from '@notify/redis';
import type {} from './redis-global-setup.js';
import type {} from './redis-cluster-global-setup.js';

/**
 * The run's Redis, as the apps' environment names it: `REDIS_CLUSTER_NODES` in the `cluster`
 * project (its global setup's Redis Cluster), else `REDIS_URL` (the integration project's server).
 * A test file that uses only this (and {@link connectTestRedis}) runs in either project unchanged.
 */
export function testRedisEnv(): { REDIS_URL: string } | { REDIS_CLUSTER_NODES: string } {
  const clusterNodes = inject('redisClusterNodes');
  if (clusterNodes) return { REDIS_CLUSTER_NODES: clusterNodes };
  return { REDIS_URL: inject('redisUrl') };
}

/** `host:port,…` as {@link createRedisConnection} takes a cluster's nodes. */
export function parseClusterNodes(seeds: string): RedisNodeAddress[] {
  return seeds.split(',').map((seed) => {
    const at = seed.lastIndexOf(':');
    return { host: seed.slice(0, at), port: Number(seed.slice(at + 1)) };
  });
}

/**
 * A connection to the run's Redis (one server or the cluster) for a test to read, write and publish
 * with, or with `subscriber` to subscribe with (a bus subscriber's: sharded channels on the
 * cluster), named `name` in `CLIENT LIST` (default `test`). Commands wait out a reconnect, as the
 * workers' do. Disconnect it when done.
 */
export function connectTestRedis(options: { subscriber?: boolean; name?: string } = {}): RedisClient {
  const env = testRedisEnv();
  const target = 'REDIS_CLUSTER_NODES' in env ? { clusterNodes: parseClusterNodes(env.REDIS_CLUSTER_NODES) } : { url: env.REDIS_URL };
  return createRedisConnection(target, { role: 'patient', connectionName: options.name ?? 'test', shardedSubscribers: options.subscriber === true });
}

/** `host:port` of the master that serves `key`'s slot now (a Redis Cluster connection). */
export async function masterOfKey(redis: Cluster, key: string): Promise<string> {
  const slot = await redis.cluster('KEYSLOT', key);
  const range = (await redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
  const [, , master] = range ?? [];
  if (!master) throw new Error(`no master serves slot ${slot} (of ${key})`);
  return `${master[0]}:${master[1]}`;
}

/** The name ioredis gives a cluster connection's sharded subscriber connections, for {@link dropConnections}. */
export const shardedSubscriberName = (connectionName: string) => `ioredis-cluster(ssubscriber):${connectionName}`;

/**
 * Drops every connection named `name` (e.g. {@link shardedSubscriberName} on a cluster) on the
 * server `redis` talks to, or on the masters of its cluster, or only on `master` (`host:port`), as
 * a network drop would; resolves with how many it dropped.
 */
export async function dropConnections(redis: RedisClient, name: string, master?: string): Promise<number> {
  await redisReady(redis);
  let dropped = 0;
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    if (master !== undefined && `${node.options.host}:${node.options.port}` !== master) continue;
    for (const line of String(await node.client('LIST')).split('\n')) {
      const id = /\bid=(\d+)/.exec(line)?.[1];
      if (id && /\bname=(\S*)/.exec(line)?.[1] === name) dropped += Number(await node.client('KILL', 'ID', id));
    }
  }
  return dropped;
}

/**
 * `base`, or else the first `<base>-<n>`, whose bus events go out on `routingKey`'s shard (a uid's
 * or a companyID's). On a Redis Cluster only the events of one shard arrive in the order they were
 * published, so records whose order a test checks, and its markers, share one; on one server every
 * event is on the one channel anyway.
 */
export function onBusShardOf(routingKey: string, base: string): string {
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    if (busShardOf(candidate) === busShardOf(routingKey)) return candidate;
  }
}
