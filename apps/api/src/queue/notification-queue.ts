import { Queue } from 'bullmq';
import { NOTIFICATION_JOB_OPTIONS, queuePartitionOf, queuePartitions, type Dynamic, type Message } from '@notify/contracts';
import { isCluster, type RedisClient } from '@notify/redis';
import { JobBatcher, type JobBatcherOptions } from './job-batcher.js';
import type { AcceptedRecords } from './record-jobs.js';

export interface NotificationQueueOptions extends JobBatcherOptions {
  /** Key prefix (REDIS_PREFIX); on a Redis Cluster each partition's BullMQ prefix is a hash tag of it. */
  prefix: string;
  /** How many queues the jobs are spread over (QUEUE_PARTITIONS); the workers must consume as many. Default 1. */
  partitions?: number;
}

/**
 * The api's side of the notification queue: `notifications`, or on more partitions also
 * `notifications-1` … (see `queuePartition`). A message goes to its receiver's partition and a
 * dynamic to its company's, so one user's messages wait in one queue in acceptance order. Records
 * accepted together (one request's, and the other requests' of the same event-loop turn or add
 * interval) go out as few jobs per partition as possible ({@link JobBatcher}); each record keeps its
 * own id, the store's key, so a retried or re-added record is stored once.
 */
export class NotificationQueue {
  private readonly partitions: { queue: Queue; batcher: JobBatcher }[];

  constructor(connection: RedisClient, options: NotificationQueueOptions) {
    const { prefix, partitions = 1, ...bounds } = options;
    this.partitions = queuePartitions(prefix, partitions, isCluster(connection)).map((partition) => {
      const queue = new Queue(partition.name, { connection, prefix: partition.prefix, defaultJobOptions: NOTIFICATION_JOB_OPTIONS });
      return { queue, batcher: new JobBatcher(queue, bounds) };
    });
  }

  /**
   * Enqueues `messages` and `dynamics` (accepted by one request), with other requests' records of
   * this turn: one round trip per partition they fall in.
   */
  async enqueue(records: Omit<AcceptedRecords, 'requestId'>, requestId?: string): Promise<void> {
    const count = this.partitions.length;
    if (count === 1) {
      await this.partitionAt(0).batcher.add({ ...records, requestId });
      return;
    }
    const byPartition = new Map<number, { messages: Message[]; dynamics: Dynamic[] }>();
    const recordsOf = (partition: number) => {
      let found = byPartition.get(partition);
      if (!found) byPartition.set(partition, (found = { messages: [], dynamics: [] }));
      return found;
    };
    for (const message of records.messages ?? []) recordsOf(queuePartitionOf(message.receiverID, count)).messages.push(message);
    for (const dynamic of records.dynamics ?? []) recordsOf(queuePartitionOf(dynamic.companyID, count)).dynamics.push(dynamic);
    await Promise.all(
      [...byPartition].map(([partition, accepted]) => this.partitionAt(partition).batcher.add({ ...accepted, requestId } satisfies AcceptedRecords)),
    );
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
