import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scrapeMetrics, useInProcessStack, waitUntil, type MetricsScrape } from '@notify/testing';

describe('worker metrics and logs', () => {
  const stack = useInProcessStack({ gateways: 0, logLevel: 'debug' });
  const scrape = () => scrapeMetrics(stack().workerUrl as string);

  it('counts every job and every message stored, and logs each job with the request ids it carries', async () => {
    const completed = (scrape: MetricsScrape, job: string) => scrape.get('notify_worker_jobs_completed_total', { job });
    const before = await scrape();
    const uids = Array.from({ length: 3 }, () => `metrics-${randomUUID().slice(0, 8)}`);

    // Three receivers: one batch job of three records. Then one receiver: a message job.
    const traced = await stack().client.sendMessage(
      { companyID: 7, receiverIDs: uids, typeID: 1, title: 'traced', content: 'follow me' },
      { 'X-Request-Id': 'trace-me-123' },
    );
    const single = await stack().client.sendMessage({ companyID: 7, receiverID: uids[0], typeID: 2, title: 'one more', content: '' }, { 'X-Request-Id': 'trace-me-456' });
    expect([traced.status, single.status]).toEqual([202, 202]);
    const sent = traced.body.ids.length + single.body.ids.length;
    expect(sent).toBe(4);

    const jobsDone = (scrape: MetricsScrape) => completed(scrape, 'message') + completed(scrape, 'batch') - completed(before, 'message') - completed(before, 'batch');
    await waitUntil(async () => jobsDone(await scrape()) >= 2, { timeoutMs: 15_000, message: 'both jobs are counted as completed' });
    // A fence: once a dynamic sent afterwards is done, no stray extra count can still be on its way.
    const startDynamics = completed(before, 'dynamic');
    expect((await stack().client.sendDynamic({ companyID: 7, operatorID: 1, operator: 'Ann', title: 'fence', content: '' })).status).toBe(202);
    await waitUntil(async () => completed(await scrape(), 'dynamic') === startDynamics + 1, {
      timeoutMs: 15_000,
      message: 'the dynamic job is counted as completed',
    });

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => after.get(name, labels) - before.get(name, labels);
    expect(delta('notify_worker_jobs_completed_total', { job: 'batch' })).toBe(1);
    expect(delta('notify_worker_jobs_completed_total', { job: 'message' })).toBe(1);
    expect(Object.fromEntries([...after.types].filter(([name]) => name.startsWith('notify_worker_')))).toEqual({
      notify_worker_jobs_completed_total: 'counter',
      notify_worker_jobs_failed_total: 'counter',
      notify_worker_job_duration_seconds: 'histogram',
      notify_worker_store_lag_seconds: 'histogram',
      notify_worker_queue_depth: 'gauge',
      notify_worker_stalled_jobs_total: 'counter',
    });
    expect(delta('notify_worker_job_duration_seconds_count', { job: 'batch', outcome: 'completed' })).toBe(1);
    expect(delta('notify_worker_job_duration_seconds_count', { job: 'message', outcome: 'completed' })).toBe(1);
    // The store lag is per record, whichever job carried it.
    expect(delta('notify_worker_store_lag_seconds_count', { job: 'message' })).toBe(sent);
    expect(delta('notify_worker_store_lag_seconds_sum', { job: 'message' })).toBeGreaterThanOrEqual(0);
    expect(delta('notify_worker_store_lag_seconds_sum', { job: 'message' })).toBeLessThan(15 * sent);
    expect(after.samples.filter((s) => s.name === 'notify_worker_jobs_failed_total').map((s) => s.value)).toEqual([]);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(after.get('notify_worker_queue_depth', { state }), state).toBe(0);
    }
    expect(after.samples.some((s) => s.name === 'process_resident_memory_bytes' && s.labels.app === 'worker')).toBe(true);

    // Each request followed from the api (X-Request-Id) to the worker: the batch names it among its requests.
    const completedLines = stack().logs.of('worker').filter((line) => line.msg === 'job completed');
    const batchLine = completedLines.find((line) => (line.requestIds as string[] | undefined)?.includes('trace-me-123'));
    expect(batchLine).toMatchObject({ job: 'batch', jobId: expect.stringMatching(new RegExp(`^${traced.body.ids[0]}\\+2\\.`)) });
    expect(completedLines.filter((line) => line.requestId === 'trace-me-456').map((line) => [line.job, line.jobId])).toEqual([['message', single.body.ids[0]]]);
  });
});
