import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { NOTIFICATION_JOB_OPTIONS, QUEUE_NAME, type Dynamic, type Message } from '@notify/contracts';
import { JobBatcher, type JobBatcherOptions } from './job-batcher.js';

export interface NotificationQueueOptions extends JobBatcherOptions {
  /** BullMQ key prefix (REDIS_PREFIX). */
  prefix: string;
}

/**
 * The api's side of the `notifications` queue. Records accepted together (one request's, and the
 * other requests' of the same event-loop turn or add interval) go out as few jobs as possible ({@link JobBatcher});
 * each record keeps its own id, the store's key, so a retried or re-added record is stored once.
 */
export class NotificationQueue {
  private readonly queue: Queue;
  private readonly batcher: JobBatcher;

  constructor(connection: Redis, options: NotificationQueueOptions) {
    const { prefix, ...bounds } = options;
    this.queue = new Queue(QUEUE_NAME, { connection, prefix, defaultJobOptions: NOTIFICATION_JOB_OPTIONS });
    this.batcher = new JobBatcher(this.queue, bounds);
  }

  /** Enqueues `messages` and `dynamics` (accepted by one request), with other requests' records of this turn. */
  async enqueue(records: { messages?: readonly Message[]; dynamics?: readonly Dynamic[] }, requestId?: string): Promise<void> {
    await this.batcher.add({ ...records, requestId });
  }

  /** Enqueues the messages of one request. */
  enqueueMessages(messages: readonly Message[], requestId?: string): Promise<void> {
    return this.enqueue({ messages }, requestId);
  }

  /** Enqueues one dynamic. */
  enqueueDynamic(dynamic: Dynamic, requestId?: string): Promise<void> {
    return this.enqueue({ dynamics: [dynamic] }, requestId);
  }

  /** The BullMQ queue itself, for Bull Board and queue-depth metrics. */
  get bullQueue(): Queue {
    return this.queue;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
