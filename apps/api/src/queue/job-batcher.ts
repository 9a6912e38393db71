import type { Queue } from 'bullmq';
import { TurnBatcher } from '@notify/redis';
import { recordJobs, type AcceptedRecords, type JobBounds } from './record-jobs.js';

export interface JobBatcherOptions {
  /** The most records one job carries. Default 1000 (a bulk request of the most it takes, or one send to 1,000 receivers). */
  maxRecords?: number;
  /** About the most bytes of record JSON one job carries. Default 1 MiB. */
  maxBytes?: number;
  /**
   * Add jobs at most once per this many ms (see `TurnBatcher`): under load the records of several
   * turns share a job, at the cost of up to this much delay; after a quiet interval a record goes
   * out at the end of its turn. Default 0: once per turn.
   */
  minIntervalMs?: number;
}

export const DEFAULT_JOB_BOUNDS: JobBounds = { maxRecords: 1000, maxBytes: 1024 * 1024 };

/**
 * Sends the records of every request that arrives in the same event-loop turn (or, with
 * `minIntervalMs`, within the interval since the last add) to Redis together, as few jobs as the
 * bounds allow (one, unless the turn holds more than `maxRecords` records or
 * about `maxBytes` of them): one `add` for one job, one `addBulk` for several. A worker then stores
 * and publishes each job's records with one store write and one publish round, so under load the
 * queue, the worker and Redis do their per-job work once for many records. Each caller's promise
 * settles with the batch its records went out in.
 */
export class JobBatcher {
  private readonly batcher: TurnBatcher<AcceptedRecords>;

  constructor(queue: Queue, options: JobBatcherOptions = {}) {
    const bounds: JobBounds = {
      maxRecords: Math.max(1, options.maxRecords ?? DEFAULT_JOB_BOUNDS.maxRecords),
      maxBytes: Math.max(1, options.maxBytes ?? DEFAULT_JOB_BOUNDS.maxBytes),
    };
    this.batcher = new TurnBatcher(
      async (accepted) => {
        const jobs = recordJobs(accepted, bounds);
        const [only] = jobs;
        if (jobs.length === 1 && only) await queue.add(only.name, only.data, only.opts);
        else if (jobs.length > 1) await queue.addBulk(jobs);
      },
      { minIntervalMs: options.minIntervalMs },
    );
  }

  /** Resolves once Redis holds jobs carrying `records`; rejects with Redis's error. */
  add(records: AcceptedRecords): Promise<void> {
    return this.batcher.submit(records);
  }
}
