import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack, waitUntil } from '@notify/testing';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

/** Parses the Prometheus text format strictly: a line that is not a comment or a sample fails the test. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus line: ${line}`);
    const [, name, rawLabels = '', rawValue] = match;
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    let parsedUpTo = 0;
    for (let label = LABEL.exec(rawLabels); label; label = LABEL.exec(rawLabels)) {
      labels[label[1] as string] = label[2] as string;
      parsedUpTo = LABEL.lastIndex;
    }
    if (parsedUpTo !== rawLabels.length) throw new Error(`bad labels: ${line}`);
    // Prometheus reads values with Go's ParseFloat: NaN and ±Inf in any case (prom-client writes "Nan").
    const special = { nan: NaN, '+inf': Infinity, inf: Infinity, '-inf': -Infinity }[(rawValue as string).toLowerCase()];
    const value = special ?? Number(rawValue);
    if (special === undefined && Number.isNaN(value)) throw new Error(`bad value: ${line}`);
    samples.push({ name: name as string, labels, value });
  }
  return { samples, types };
}

describe('worker metrics and logs', () => {
  const fx = useStack({ gateways: 0, env: { LOG_LEVEL: 'debug' } });

  const scrape = async () => {
    const response = await fetch(`${fx.stack.workers[0]?.url}/metrics`);
    expect(response.status).toBe(200);
    return parseMetrics(await response.text());
  };
  /** The one sample of `name` whose labels include `labels`; 0 when there is none yet (a counter not yet incremented). */
  const valueOf = (samples: Sample[], name: string, labels: Record<string, string>) => {
    const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(matching.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
    return matching[0]?.value ?? 0;
  };

  it('counts every message stored, and logs each job with the request id that sent it', async () => {
    const completed = (samples: Sample[], job: string) => valueOf(samples, 'notify_worker_jobs_completed_total', { job });
    const before = await scrape();
    const uids = Array.from({ length: 3 }, () => `metrics-${randomUUID().slice(0, 8)}`);

    const traced = await fx.api.sendMessage(
      { companyID: 7, receiverIDs: uids, typeID: 1, title: 'traced', content: 'follow me' },
      { 'X-Request-Id': 'trace-me-123' },
    );
    const single = await fx.api.sendMessage({ companyID: 7, receiverID: uids[0], typeID: 2, title: 'one more', content: '' });
    expect([traced.status, single.status]).toEqual([202, 202]);
    const sent = traced.body.ids.length + single.body.ids.length;
    expect(sent).toBe(4);

    const startMessages = completed(before.samples, 'message');
    await waitUntil(async () => completed((await scrape()).samples, 'message') >= startMessages + sent, {
      timeoutMs: 15_000,
      message: `${sent} message jobs are counted as completed`,
    });
    // A fence: once a dynamic sent afterwards is done, no stray extra message count can still be on its way.
    const startDynamics = completed(before.samples, 'dynamic');
    expect((await fx.api.sendDynamic({ companyID: 7, operatorID: 1, operator: 'Ann', title: 'fence', content: '' })).status).toBe(202);
    await waitUntil(async () => completed((await scrape()).samples, 'dynamic') === startDynamics + 1, {
      timeoutMs: 15_000,
      message: 'the dynamic job is counted as completed',
    });

    const { samples, types } = await scrape();
    expect(completed(samples, 'message')).toBe(startMessages + sent);
    expect(Object.fromEntries([...types].filter(([name]) => name.startsWith('notify_worker_')))).toEqual({
      notify_worker_jobs_completed_total: 'counter',
      notify_worker_jobs_failed_total: 'counter',
      notify_worker_job_duration_seconds: 'histogram',
      notify_worker_store_lag_seconds: 'histogram',
      notify_worker_queue_depth: 'gauge',
    });
    const delta = (name: string, labels: Record<string, string>) => valueOf(samples, name, labels) - valueOf(before.samples, name, labels);
    expect(delta('notify_worker_job_duration_seconds_count', { job: 'message', outcome: 'completed' })).toBe(sent);
    expect(delta('notify_worker_store_lag_seconds_count', { job: 'message' })).toBe(sent);
    expect(delta('notify_worker_store_lag_seconds_sum', { job: 'message' })).toBeGreaterThanOrEqual(0);
    expect(delta('notify_worker_store_lag_seconds_sum', { job: 'message' })).toBeLessThan(15 * sent);
    expect(valueOf(samples, 'notify_worker_jobs_failed_total', { job: 'message' })).toBe(0);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(valueOf(samples, 'notify_worker_queue_depth', { state }), state).toBe(0);
    }
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes' && s.labels.app === 'worker')).toBe(true);

    // One message followed from the api (X-Request-Id) to the worker: a completed line per job.
    const lines = (fx.stack.workers[0]?.output() ?? '').split('\n').filter((line) => line.startsWith('{'));
    const tracedLines = lines.filter((line) => line.includes('"requestId":"trace-me-123"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(tracedLines.map((line) => [line.msg, line.jobId]).sort()).toEqual(traced.body.ids.map((id) => ['job completed', id]).sort());
  });
});
