import { performance } from 'node:perf_hooks';
import type { Job, Processor, Worker } from 'bullmq';
import type { Logger } from '@notify/observability';
import { jobLogFields } from './job-log-fields.js';
import type { WorkerMetrics } from './worker-metrics.js';

export interface WorkerObservers {
  logger: Logger;
  metrics: WorkerMetrics;
}

/** `processor`, timing each call into the job duration histogram. */
export function timedProcessor(processor: Processor<unknown>, metrics: WorkerMetrics): Processor<unknown> {
  return async (job, token, signal) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result: unknown = await processor(job, token, signal);
      metrics.jobDuration(job, 'completed', seconds());
      return result;
    } catch (error) {
      metrics.jobDuration(job, 'failed', seconds());
      throw error;
    }
  };
}

/**
 * Logs and counts what happens to jobs: a debug line per completed job, a warning per failed
 * attempt that will be retried, an error per job that failed for good; each with the job's id and
 * the api's request id. Every failure is logged here and only here, once per attempt.
 */
export function observeWorker(worker: Worker, { logger, metrics }: WorkerObservers): void {
  worker.on('completed', (job: Job<unknown>) => {
    metrics.jobCompleted(job);
    // Checked first: the fields would be built (the job data read) on every job for nothing at info.
    if (logger.isLevelEnabled('debug')) logger.debug({ ...jobLogFields(job), durationMs: elapsed(job) }, 'job completed');
  });
  worker.on('failed', (job: Job<unknown> | undefined, error: Error) => {
    if (!job) {
      logger.error({ err: error }, 'job failed');
      return;
    }
    // BullMQ stamps finishedOn only when the job moves to the failed set; a retried one is delayed
    // instead. This also covers UnrecoverableError, which ends a job before its attempts run out.
    const final = job.finishedOn !== undefined;
    metrics.jobFailed(job, final);
    const fields = { ...jobLogFields(job), attempts: job.opts.attempts, err: error };
    if (final) logger.error(fields, `job failed for good: ${error.message}`);
    else logger.warn(fields, `job attempt failed; will retry: ${error.message}`);
  });
  // Emitted by the worker whose check found the job, which is how a dead worker's jobs are taken over.
  worker.on('stalled', (jobId: string) => {
    metrics.jobStalled();
    logger.warn({ jobId }, 'job stalled: its worker stopped renewing the lock; taken over (moved back to wait, or to failed after too many stalls)');
  });
  worker.on('error', (error: Error) => logger.warn({ err: error }, `worker: ${error.message}`));
}

/** Processing time as BullMQ recorded it, when it has both ends. */
function elapsed(job: Job<unknown>): number | undefined {
  return job.processedOn !== undefined && job.finishedOn !== undefined ? job.finishedOn - job.processedOn : undefined;
}
