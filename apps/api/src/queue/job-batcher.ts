import type { Queue } from 'bullmq';

/** One job as `Queue.addBulk` takes it. */
export interface BatchedJob {
  name: string;
  data: unknown;
  opts: { jobId: string };
}

interface Waiting {
  jobs: readonly BatchedJob[];
  settle: (error?: unknown) => void;
}

/**
 * Sends the jobs of every request that arrives in the same event-loop turn to Redis together:
 * one `add` for a lone job, one `addBulk` for several. Under load this replaces many small
 * pipelines (BullMQ builds one per `addBulk`, the costliest part of accepting a message) with a
 * few large ones. Each caller's promise settles with the batch its jobs went out in.
 */
export class JobBatcher {
  private waiting: Waiting[] = [];

  constructor(private readonly queue: Queue) {}

  /** Resolves once Redis has the jobs; rejects with Redis's error. */
  add(jobs: readonly BatchedJob[]): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ jobs, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    const jobs = batch.flatMap((entry) => entry.jobs);
    try {
      const [only] = jobs;
      if (jobs.length === 1 && only) await this.queue.add(only.name, only.data, only.opts);
      else await this.queue.addBulk(jobs);
      for (const entry of batch) entry.settle();
    } catch (error) {
      for (const entry of batch) entry.settle(error ?? new Error('enqueue failed'));
    }
  }
}
