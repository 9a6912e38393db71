import { Queue } from 'bullmq';
import { JobName, NOTIFICATION_JOB_OPTIONS, queuePartitionOf, queuePartitions, type Dynamic, type Message } from '@notify/contracts';
import { isCluster, type RedisClient } from '@notify/redis';
import { JobBatcher, type BatchedJob } from './job-batcher.js';

export interface NotificationQueueOptions {
  /** Key prefix (REDIS_PREFIX); on a Redis Cluster each partition's BullMQ prefix is a hash tag of it. */
  prefix: string;
  /** How many queues the jobs are spread over (QUEUE_PARTITIONS); the workers must consume as many. Default 1. */
  partitions?: number;
}

/**
 * The api's side of the notification queue: `notifications`, or on more partitions also
 * `notifications-1` … (see `queuePartition`). A message goes to its receiver's partition and a
 * dynamic to its company's, so one user's messages wait in one queue in acceptance order. The
 * record id is the job id, so a re-add is a no-op (within the partition, which a record id always
 * maps to).
 */
export class NotificationQueue {
  private readonly partitions: { queue: Queue; batcher: JobBatcher }[];

  constructor(connection: RedisClient, options: NotificationQueueOptions) {
    this.partitions = queuePartitions(options.prefix, options.partitions ?? 1, isCluster(connection)).map(({ name, prefix }) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: NOTIFICATION_JOB_OPTIONS });
      return { queue, batcher: new JobBatcher(queue) };
    });
  }

  /** Enqueues one `message` job per message, one round trip per partition (with other requests' jobs). */
  async enqueueMessages(messages: readonly Message[], requestId?: string): Promise<void> {
    const byPartition = new Map<number, BatchedJob[]>();
    for (const message of messages) {
      const partition = queuePartitionOf(message.receiverID, this.partitions.length);
      const jobs = byPartition.get(partition) ?? [];
      if (jobs.length === 0) byPartition.set(partition, jobs);
      jobs.push({ name: JobName.message, data: { message, requestId }, opts: { jobId: message.id } });
    }
    await Promise.all([...byPartition].map(([partition, jobs]) => this.partitionAt(partition).batcher.add(jobs)));
  }

  /** Enqueues one `dynamic` job, in its company's partition. */
  async enqueueDynamic(dynamic: Dynamic, requestId?: string): Promise<void> {
    const job = { name: JobName.dynamic, data: { dynamic, requestId }, opts: { jobId: dynamic.id } };
    await this.partitionAt(queuePartitionOf(dynamic.companyID, this.partitions.length)).batcher.add([job]);
  }

  /** The BullMQ queues themselves, partition 0 first, for Bull Board. */
  get bullQueues(): readonly Queue[] {
    return this.partitions.map(({ queue }) => queue);
  }

  async close(): Promise<void> {
    await Promise.all(this.partitions.map(({ queue }) => queue.close()));
  }

  private partitionAt(index: number) {
    const partition = this.partitions[index];
    if (!partition) throw new Error(`no queue partition ${index} of ${this.partitions.length}`);
    return partition;
  }
}
