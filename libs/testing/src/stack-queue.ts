import { Queue, type Job } from 'bullmq';
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
