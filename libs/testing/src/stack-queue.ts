import { Queue, type Job } from 'bullmq';
import { queuePartition } from '@notify/contracts';
import { createRedisConnection, type RedisClient } from '@notify/redis';
import { parseClusterNodes } from './test-redis.js';

/**
 * Where a stack's queue lives: its Redis (`redis.url`, or `REDIS_CLUSTER_NODES` in `env` on a Redis
 * Cluster) and its key prefix (`REDIS_PREFIX`).
 */
export interface QueueLocation {
  readonly redis: { readonly url: string };
  readonly env: Readonly<Record<string, string>>;
}

/** A queue on a connection of its own that it disconnects when it closes (BullMQ leaves a connection it was given open). */
class QueueOnOwnConnection extends Queue {
  constructor(
    name: string,
    prefix: string,
    private readonly ownConnection: RedisClient,
  ) {
    super(name, { connection: ownConnection, prefix });
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.ownConnection.disconnect();
    }
  }
}

/**
 * The `notifications` queue of a stack (its partition 0), as the api and workers see it (same
 * Redis, same prefix; on a Redis Cluster under the prefix's hash tag, see `queuePartition`), for
 * inspecting job states. Close it when done.
 */
export function openStackQueue(stack: QueueLocation): Queue {
  const clusterNodes = stack.env.REDIS_CLUSTER_NODES;
  const { name, prefix } = queuePartition(stack.env.REDIS_PREFIX ?? 'notify', 0, clusterNodes !== undefined);
  const target = clusterNodes === undefined ? { url: stack.redis.url } : { clusterNodes: parseClusterNodes(clusterNodes) };
  return new QueueOnOwnConnection(name, prefix, createRedisConnection(target, { role: 'patient', connectionName: 'test:queue' }));
}

/** Jobs of every state in `queue`, by state (waiting, active, delayed, prioritized, completed, failed, waiting-children). */
export async function jobCounts(queue: Queue): Promise<Record<string, number>> {
  return queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children');
}

/**
 * The job that carries record `id`: its own job (whose id is the record id), or a `batch` job that
 * holds it among several, looked for in every state. Undefined when Redis no longer has it.
 */
export async function findJobOf(queue: Queue, id: string): Promise<Job | undefined> {
  const own = await queue.getJob(id);
  if (own) return own;
  const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']);
  return jobs.find((job) => {
    const data = job.data as { messages?: { id?: unknown }[]; dynamics?: { id?: unknown }[] } | undefined;
    return [...(data?.messages ?? []), ...(data?.dynamics ?? [])].some((record) => record.id === id);
  });
}
