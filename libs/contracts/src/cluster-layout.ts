import { Channel, QUEUE_NAME } from './names.js';

/**
 * Where notify's queues and bus channels live on Redis. On one server: the `notifications` queue
 * under `<prefix>` and one bus channel `<prefix>:events`, as always. On a Redis Cluster every
 * multi-key operation must stay in one hash slot, so the names carry hash tags (`{…}`): each queue
 * partition is one slot, and the bus is {@link BUS_SHARDS} sharded channels (`SPUBLISH`), each one
 * slot, chosen per event by its user or company.
 */

/** Sharded bus channels on a Redis Cluster; a gateway subscribes to all of them. */
export const BUS_SHARDS = 16;

/**
 * 32-bit FNV-1a of `text`'s UTF-16 code units: how records are spread over bus shards and queue
 * partitions. Stable across processes and releases, since every process must pick the same one.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The bus shard of a user's or a company's events (`routingKey`: the uid or the companyID). */
export const busShardOf = (routingKey: string): number => stableHash(routingKey) % BUS_SHARDS;

/** The hash tag of bus shard `shard`: its channel and the presence keys of its companies share its slot. */
export const busShardTag = (shard: number) => `{${shard}}` as const;

/** The sharded channel of bus shard `shard` on a Redis Cluster: `<prefix>:events:{<shard>}`. */
export const busShardChannel = (prefix: string, shard: number) => `${prefix}:${Channel.events}:${busShardTag(shard)}`;

/** Every sharded bus channel under `prefix`, shard 0 first. */
export const busShardChannels = (prefix: string): string[] =>
  Array.from({ length: BUS_SHARDS }, (_, shard) => busShardChannel(prefix, shard));

/** One BullMQ queue of the notifications: its name and its key prefix. */
export interface QueuePartition {
  readonly name: string;
  readonly prefix: string;
}

/**
 * Queue partition `index` under `prefix`. Partition 0 is the `notifications` queue, the others
 * `notifications-<index>`. On one server the key prefix is `prefix` itself (so partition 0 is where
 * the queue always was); on a Redis Cluster it is the hash tag `{<prefix>}` for partition 0 and
 * `{<prefix>:<index>}` for the others, so each partition is one slot (BullMQ's scripts need all of
 * a queue's keys in one) and different partitions can sit on different masters.
 */
export function queuePartition(prefix: string, index: number, cluster: boolean): QueuePartition {
  const name = index === 0 ? QUEUE_NAME : `${QUEUE_NAME}-${index}`;
  if (!cluster) return { name, prefix };
  return { name, prefix: index === 0 ? `{${prefix}}` : `{${prefix}:${index}}` };
}

/** Every queue partition, partition 0 first. */
export const queuePartitions = (prefix: string, count: number, cluster: boolean): QueuePartition[] =>
  Array.from({ length: count }, (_, index) => queuePartition(prefix, index, cluster));

/**
 * The partition a record's job goes to, of `count`: by its receiver (a message) or its company (a
 * dynamic), so one user's messages are taken in acceptance order from one queue, and a retried
 * record id lands in the queue that already holds it.
 */
export const queuePartitionOf = (routingKey: string, count: number): number => (count <= 1 ? 0 : stableHash(routingKey) % count);
