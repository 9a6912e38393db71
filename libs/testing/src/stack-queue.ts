import { Queue } from 'bullmq';
import { QUEUE_NAME } from '@notify/contracts';

/** Where a stack's queue lives: its Redis and its key prefix (`REDIS_PREFIX`). */
export interface QueueLocation {
  readonly redis: { readonly url: string };
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The `notifications` queue of a stack, as the api and workers see it (same Redis, same prefix),
 * for inspecting job states. Close it when done.
 */
export function openStackQueue(stack: QueueLocation): Queue {
  return new Queue(QUEUE_NAME, { connection: { url: stack.redis.url }, prefix: stack.env.REDIS_PREFIX ?? 'notify' });
}

/** Jobs of every state in `queue`, by state (waiting, active, delayed, prioritized, completed, failed, waiting-children). */
export async function jobCounts(queue: Queue): Promise<Record<string, number>> {
  return queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children');
}
