import { isCluster, type RedisClient } from '@notify/redis';
import { BusSubscriber, type BusSubscriberOptions, type BusSubscription } from './bus-subscriber.js';
import { ShardedBusSubscriber } from './sharded-bus-subscriber.js';

/**
 * The bus subscriber for `redis`, a connection of its own: the one channel on a single server, the
 * sharded channels on a Redis Cluster (whose connection needs `shardedSubscribers`).
 */
export function createBusSubscriber(redis: RedisClient, options: BusSubscriberOptions): BusSubscription {
  return isCluster(redis) ? new ShardedBusSubscriber(redis, options) : new BusSubscriber(redis, options);
}
