import type { Queue } from 'bullmq';
import { TurnBatcher } from '@notify/redis';

/** One job as `Queue.addBulk` takes it. */
export interface BatchedJob {
  name: string;
  data: unknown;
  opts: { jobId: string };
}

/**
 * Sends the jobs of every request that arrives in the same event-loop turn to Redis together:
 * one `add` for a lone job, one `addBulk` for several. Under load this replaces many small
 * pipelines (BullMQ builds one per `addBulk`, the costliest part of accepting a message) with a
 * few large ones. Each caller's promise settles with the batch its jobs went out in.
 */
export class JobBatcher {
  private readonly batcher: TurnBatcher<readonly BatchedJob[]>;

  constructor(queue: Queue) {
    this.batcher = new TurnBatcher(async (requests) => {
      const jobs = requests.flat();
      const [only] = jobs;
      if (jobs.length === 1 && only) await queue.add(only.name, only.data, only.opts);
      else await queue.addBulk(jobs);
    });
  }

  /** Resolves once Redis has the jobs; rejects with Redis's error. */
  add(jobs: readonly BatchedJob[]): Promise<void> {
    return this.batcher.submit(jobs);
  }
}
