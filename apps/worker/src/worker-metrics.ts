import type { Job, Queue } from 'bullmq';
import { JobName, recordIdTime } from '@notify/contracts';
import { Counter, Gauge, Histogram, withTimeout, type Registry } from '@notify/observability';

/** Queue states whose job counts `notify_worker_queue_depth` reports. */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export interface WorkerMetricsOptions {
  /** Where the metrics are registered (the worker's `/metrics`). */
  registry: Registry;
  /** Counted on every scrape. */
  queue: Pick<Queue, 'getJobCounts'>;
  /** A scrape waits at most this long for the queue counts, then reports none. Default 1000 ms. */
  countsTimeoutMs?: number;
}

/** How a processor call ended. */
export type JobOutcome = 'completed' | 'failed';

const KNOWN_JOBS = new Set<string>(Object.values(JobName));
/** Job names come from Redis: anything unknown is one label value, so garbage cannot explode the series. */
const jobLabel = (name: string) => (KNOWN_JOBS.has(name) ? name : 'other');

/**
 * The worker's Prometheus metrics: jobs completed and failed, processing time, the lag from the
 * api accepting a record to the worker storing it, and the queue's depth by state.
 */
export class WorkerMetrics {
  private readonly completed: Counter<'job'>;
  private readonly failed: Counter<'job' | 'final'>;
  private readonly stalled: Counter;
  private readonly duration: Histogram<'job' | 'outcome'>;
  private readonly lag: Histogram<'job'>;

  constructor({ registry, queue, countsTimeoutMs = 1000 }: WorkerMetricsOptions) {
    const registers = [registry];
    this.completed = new Counter({
      name: 'notify_worker_jobs_completed_total',
      help: 'Jobs this worker completed, by job name.',
      labelNames: ['job'],
      registers,
    });
    this.failed = new Counter({
      name: 'notify_worker_jobs_failed_total',
      help: 'Failed job attempts, by job name; final="true" when the job went to the failed set, "false" when it will be retried.',
      labelNames: ['job', 'final'],
      registers,
    });
    this.stalled = new Counter({
      name: 'notify_worker_stalled_jobs_total',
      help: 'Stalled jobs this worker took over: active jobs whose worker stopped renewing their lock (killed, or cut off from Redis), moved back to wait to run again',
      registers,
    });
    this.duration = new Histogram({
      name: 'notify_worker_job_duration_seconds',
      help: 'Time one attempt spent in the processor (store, then publish), by job name and outcome.',
      labelNames: ['job', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lag = new Histogram({
      name: 'notify_worker_store_lag_seconds',
      help: 'Time from the api accepting a record (the time in its id) to the worker storing it, by record kind (job="message" or "dynamic", whichever job carried it).',
      labelNames: ['job'],
      // Up to retries after a store or Redis outage: a job's backoff spans minutes.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
    new Gauge({
      name: 'notify_worker_queue_depth',
      help: 'Jobs in the notification queue (every partition) by state, counted at scrape time (the same on every worker: aggregate with max, not sum).',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        // No answer (Redis down) leaves the gauge empty rather than stale, and the scrape never hangs.
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_DEPTH_STATES), countsTimeoutMs).catch(() => undefined);
        if (!counts) return;
        for (const state of QUEUE_DEPTH_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
  }

  /** A job completed (after its result was recorded in Redis). */
  jobCompleted(job: Pick<Job, 'name'>): void {
    this.completed.inc({ job: jobLabel(job.name) });
  }

  /** An attempt failed; `final` when the job is now in the failed set. */
  jobFailed(job: Pick<Job, 'name'>, final: boolean): void {
    this.failed.inc({ job: jobLabel(job.name), final: String(final) });
  }

  /** This worker's stalled-job check found a job whose lock had expired and moved it back to run again. */
  jobStalled(): void {
    this.stalled.inc();
  }

  /** One processor call took `seconds`. */
  jobDuration(job: Pick<Job, 'name'>, outcome: JobOutcome, seconds: number): void {
    this.duration.observe({ job: jobLabel(job.name), outcome }, seconds);
  }

  /**
   * A record was stored at `now`; its id tells when the api accepted it. `kind` is `message` or
   * `dynamic` (the name of the record's single-record job), also for records a batch job carried.
   */
  recordStored(kind: string, recordId: string, now: number = Date.now()): void {
    const accepted = recordIdTime(recordId);
    if (accepted === undefined) return;
    // Clocks of the api and worker hosts may differ a little; a negative lag is a skew, not a time.
    this.lag.observe({ job: jobLabel(kind) }, Math.max(0, now - accepted) / 1000);
  }
}

