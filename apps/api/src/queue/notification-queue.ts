import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '@notify/redis';
import { JobName, QUEUE_NAME, type Dynamic, type Message } from '@notify/contracts';
import { JobBatcher } from './job-batcher.js';

/**
 * How every notification job runs: retried with exponential backoff (about 9 minutes in all
 * before it lands in the failed set), completed jobs kept on a bound, failed ones kept for inspection.
 */
export const NOTIFICATION_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 250 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
};

export interface NotificationQueueOptions {
  /** BullMQ key prefix (REDIS_PREFIX). */
  prefix: string;
}

/** The api's side of the `notifications` queue. The record id is the job id, so a re-add is a no-op. */
export class NotificationQueue {
  private readonly queue: Queue;
  private readonly batcher: JobBatcher;

  constructor(
    connection: RedisClient,
    private readonly options: NotificationQueueOptions,
  ) {
    this.queue = new Queue(QUEUE_NAME, { connection, prefix: options.prefix, defaultJobOptions: NOTIFICATION_JOB_OPTIONS });
    this.batcher = new JobBatcher(this.queue);
  }

  /** Enqueues one `message` job per message, all in one round trip (with other requests' jobs). */
  async enqueueMessages(messages: readonly Message[], requestId?: string): Promise<void> {
    const jobs = messages.map((message) => ({
      name: JobName.message,
      data: { message, requestId },
      opts: { jobId: message.id },
    }));
    await this.batcher.add(jobs);
  }

  /** Enqueues one `dynamic` job. */
  async enqueueDynamic(dynamic: Dynamic, requestId?: string): Promise<void> {
    const job = { name: JobName.dynamic, data: { dynamic, requestId }, opts: { jobId: dynamic.id } };
    await this.batcher.add([job]);
  }

  /** The BullMQ queue itself, for Bull Board and queue-depth metrics. */
  get bullQueue(): Queue {
    return this.queue;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
