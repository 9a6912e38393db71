import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobName, queuePartition } from '@notify/contracts';
import { Registry } from '@notify/observability';
import { isCluster, type RedisClient } from '@notify/redis';
import { connectTestRedis, waitUntil } from '@notify/testing';
import { observeWorker, timedProcessor } from './observe-worker.js';
import { WorkerMetrics } from './worker-metrics.js';

interface LogLine {
  level: number;
  msg: string;
  jobId?: string;
  requestId?: string;
  attempt?: number;
  err?: { message: string };
}

const LEVEL = { debug: 20, warn: 40, error: 50 } as const;

let prefix: string;
let connection: RedisClient;
let queue: Queue;
let worker: Worker | undefined;
let registry: Registry;
let lines: LogLine[];

beforeEach(() => {
  // The run's Redis (one server or a Redis Cluster), the queue laid out as the worker's partition 0.
  connection = connectTestRedis();
  prefix = queuePartition(`test-${randomUUID()}`, 0, isCluster(connection)).prefix;
  queue = new Queue('notifications', { connection, prefix });
  registry = new Registry();
  lines = [];
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

/** A real BullMQ worker, observed as main.ts does, logging JSON lines into `lines`. */
function startWorker(processor: (job: Job<unknown>) => Promise<void>): WorkerMetrics {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const metrics = new WorkerMetrics({ registry, queue });
  worker = new Worker('notifications', timedProcessor(processor, metrics), { connection, prefix, concurrency: 5 });
  observeWorker(worker, { logger, metrics });
  return metrics;
}

/** `name{labels}` → value of every sample of a metric, labels in registration order. */
async function samples(name: string): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  // Histograms name each sample (`_bucket`, `_sum`, `_count`); counters and gauges do not.
  const { values } = (await metric.get()) as { values: { labels: object; value: number; metricName?: string }[] };
  return Object.fromEntries(values.map(({ labels, value, metricName }) => [`${metricName ?? name}${JSON.stringify(labels)}`, value]));
}

describe('observeWorker', () => {
  it('counts, times and logs completed, retried and finally failed jobs with their request id', async () => {
    startWorker(async (job) => {
      const mode = (job.data as { mode: string }).mode;
      if (mode === 'flaky' && job.attemptsMade === 0) throw new Error('store unavailable (test)');
      if (mode === 'down') throw new Error(`store still unavailable (attempt ${job.attemptsMade + 1})`);
      if (mode === 'broken') throw new UnrecoverableError('malformed job (test)');
    });
    const retry = { attempts: 3, backoff: { type: 'fixed', delay: 20 } };
    const ok = await queue.add(JobName.message, { mode: 'ok', requestId: 'req-ok' }, retry);
    const flaky = await queue.add(JobName.message, { mode: 'flaky', requestId: 'req-flaky' }, retry);
    const broken = await queue.add(JobName.dynamic, { mode: 'broken', requestId: 'req-broken' }, retry);
    const down = await queue.add(JobName.message, { mode: 'down', requestId: 'req-down' }, { attempts: 2, backoff: { type: 'exponential', delay: 20 } });

    await waitUntil(async () => (await queue.getJobCountByTypes('completed', 'failed')) === 4, {
      timeoutMs: 10_000,
      message: 'two jobs completed and two failed',
    });
    // The events come after the jobs moved; wait for the last log line rather than sleep.
    await waitUntil(() => lines.filter((line) => line.level !== LEVEL.warn).length >= 4, { timeoutMs: 5000, message: 'every job logged' });

    expect(await samples('notify_worker_jobs_completed_total')).toEqual({
      'notify_worker_jobs_completed_total{"job":"message"}': 2,
    });
    expect(await samples('notify_worker_jobs_failed_total')).toEqual({
      'notify_worker_jobs_failed_total{"job":"message","final":"false"}': 2,
      'notify_worker_jobs_failed_total{"job":"dynamic","final":"true"}': 1,
      'notify_worker_jobs_failed_total{"job":"message","final":"true"}': 1,
    });
    const durations = await samples('notify_worker_job_duration_seconds');
    expect(durations['notify_worker_job_duration_seconds_count{"job":"message","outcome":"completed"}']).toBe(2);
    expect(durations['notify_worker_job_duration_seconds_count{"job":"message","outcome":"failed"}']).toBe(3);
    expect(durations['notify_worker_job_duration_seconds_count{"job":"dynamic","outcome":"failed"}']).toBe(1);
    expect(await samples('notify_worker_queue_depth')).toEqual({
      'notify_worker_queue_depth{"state":"waiting"}': 0,
      'notify_worker_queue_depth{"state":"active"}': 0,
      'notify_worker_queue_depth{"state":"delayed"}': 0,
      'notify_worker_queue_depth{"state":"failed"}': 2,
    });

    const about = (requestId: string) => lines.filter((line) => line.requestId === requestId);
    expect(about('req-ok')).toEqual([expect.objectContaining({ level: LEVEL.debug, msg: 'job completed', jobId: ok.id, attempt: 1 })]);
    expect(about('req-flaky')).toEqual([
      expect.objectContaining({ level: LEVEL.warn, jobId: flaky.id, attempt: 1, err: expect.objectContaining({ message: 'store unavailable (test)' }) }),
      expect.objectContaining({ level: LEVEL.debug, msg: 'job completed', jobId: flaky.id, attempt: 2 }),
    ]);
    expect(about('req-broken')).toEqual([
      expect.objectContaining({ level: LEVEL.error, jobId: broken.id, err: expect.objectContaining({ message: 'malformed job (test)' }) }),
    ]);
    expect((await queue.getJob(broken.id as string))?.failedReason).toBe('malformed job (test)');
    // Retried with backoff, then failed for good with the last attempt's reason: a warning, then an error.
    expect(about('req-down')).toEqual([
      expect.objectContaining({ level: LEVEL.warn, jobId: down.id, attempt: 1, err: expect.objectContaining({ message: 'store still unavailable (attempt 1)' }) }),
      expect.objectContaining({ level: LEVEL.error, jobId: down.id, attempt: 2, err: expect.objectContaining({ message: 'store still unavailable (attempt 2)' }) }),
    ]);
    expect(await queue.getJob(down.id as string)).toMatchObject({ attemptsMade: 2, failedReason: 'store still unavailable (attempt 2)' });
  });

  it('reports no queue depth, quickly, while Redis does not answer', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 1000 });
    unreachable.on('error', () => undefined);
    const deadQueue = new Queue('notifications', { connection: unreachable, prefix });
    deadQueue.on('error', () => undefined);
    try {
      new WorkerMetrics({ registry, queue: deadQueue, countsTimeoutMs: 200 });
      const started = Date.now();
      const text = await registry.metrics();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(text).toContain('# TYPE notify_worker_queue_depth gauge');
      expect(text).not.toMatch(/^notify_worker_queue_depth\{/m);
    } finally {
      unreachable.disconnect();
    }
  });
});
