import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobName, NOTIFICATION_JOB_OPTIONS, QUEUE_NAME, type Dynamic, type Message } from '@notify/contracts';
import { JobBatcher } from './job-batcher.js';

export interface NotificationQueueOptions {
  /** BullMQ key prefix (REDIS_PREFIX). */
  prefix: string;
}

/** The api's side of the `notifications` queue. The record id is the job id, so a re-add is a no-op. */
export class NotificationQueue {
  private readonly queue: Queue;
  private readonly batcher: JobBatcher;

  constructor(
    connection: Redis,
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
