import { describe, expect, it } from 'vitest';
import { newRecordId } from '@notify/contracts';
import { Registry } from '@notify/observability';
import { WorkerMetrics } from './worker-metrics.js';

const idleQueue = { getJobCounts: async () => ({ waiting: 0, active: 0, delayed: 0, failed: 0 }) };

describe('WorkerMetrics.recordStored', () => {
  it('observes the time from acceptance (the id) to storage, never negative', async () => {
    const registry = new Registry();
    const metrics = new WorkerMetrics({ registry, queue: idleQueue });
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    metrics.recordStored('message', newRecordId(now - 1500), now);
    metrics.recordStored('message', newRecordId(now + 50), now); // clock skew
    metrics.recordStored('message', 'not-a-ulid', now);
    metrics.recordStored('surprise', newRecordId(now - 500), now);

    // Histogram samples are named (`_sum`, `_count`, `_bucket`), which the generic type leaves out.
    const { values } = (await registry.getSingleMetric('notify_worker_store_lag_seconds')!.get()) as {
      values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
    };
    const value = (name: string, job: string) => values.find((v) => v.metricName === name && v.labels.job === job && v.labels.le === undefined)?.value;
    expect(value('notify_worker_store_lag_seconds_count', 'message')).toBe(2);
    expect(value('notify_worker_store_lag_seconds_sum', 'message')).toBeCloseTo(1.5);
    // Unknown job names share one label value.
    expect(value('notify_worker_store_lag_seconds_count', 'other')).toBe(1);
  });
});
