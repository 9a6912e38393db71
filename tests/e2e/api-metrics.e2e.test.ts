import { describe, expect, it } from 'vitest';
import { useStack } from '@notify/testing';

// Issue 5: /metrics is Prometheus text; HTTP requests are counted by method, route pattern and status.

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// Values as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client writes `Nan`).
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([-+]?(?:\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[nN][aA][nN]|[iI][nN][fF]))(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus text; throws on a line that is neither a comment nor `name{labels} value`. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE.exec(line);
      if (!match) throw new Error(`not a metrics line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map((label) => [label[1], label[2]]));
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

/** The value of the first sample with `name` whose labels include `labels`; 0 when there is none yet. */
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    ?.value ?? 0;

describe('api metrics', () => {
  const fx = useStack({ workers: 0, gateways: 0 });

  const scrape = async () => {
    const response = await fetch(`${fx.stack.apiUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return parseMetrics(await response.text());
  };
  const accepted = { method: 'POST', route: '/v1/messages', status: '202' };

  it('parses, with process metrics labelled app="api"', async () => {
    const samples = await scrape();
    expect(samples.length).toBeGreaterThan(20);
    expect(valueOf(samples, 'process_cpu_user_seconds_total', { app: 'api' })).toBeGreaterThan(0);
  });

  it('counts POST /v1/messages 202 by the number sent, with latencies and accepted messages', async () => {
    const before = await scrape();
    const sent = 7;
    for (let n = 0; n < sent; n++) {
      const response = await fx.api.sendMessage({ companyID: 7, receiverIDs: [1, 2], typeID: 1, title: `m${n}`, content: '' });
      expect(response.status).toBe(202);
    }
    const after = await scrape();
    expect(valueOf(after, 'http_requests_total', accepted) - valueOf(before, 'http_requests_total', accepted)).toBe(sent);
    const latencies = (samples: Sample[]) => valueOf(samples, 'http_request_duration_seconds_count', accepted);
    expect(latencies(after) - latencies(before)).toBe(sent);
    expect(valueOf(after, 'http_request_duration_seconds_bucket', { ...accepted, le: '+Inf' })).toBe(latencies(after));
    expect(valueOf(after, 'notify_messages_accepted_total') - valueOf(before, 'notify_messages_accepted_total')).toBe(sent * 2);
  });

  it('labels by route pattern and status, never by the raw URL', async () => {
    expect((await fx.api.request('GET', '/v1/users/uid-4711/messages')).status).toBe(200);
    expect((await fx.api.request('GET', '/v1/users/uid-4711/messages?limit=1000')).status).toBe(400);
    expect((await fx.api.request('GET', '/v1/no-such-route-0815')).status).toBe(404);
    const text = await (await fetch(`${fx.stack.apiUrl}/metrics`)).text();
    const samples = parseMetrics(text);
    const route = '/v1/users/:uid/messages';
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route, status: '200' })).toBe(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route, status: '400' })).toBe(1);
    expect(valueOf(samples, 'http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' })).toBe(1);
    expect(text).not.toContain('4711');
    expect(text).not.toContain('0815');
  });
});
