import { describe, expect, it } from 'vitest';
import { scrapeMetrics, useInProcessStack } from '@notify/testing';

// /metrics is Prometheus text; HTTP requests are counted by method, route pattern and status.
describe('api metrics', () => {
  const stack = useInProcessStack({ gateways: 0, worker: false });
  const scrape = () => scrapeMetrics(stack().apiUrl);
  const accepted = { method: 'POST', route: '/v1/messages', status: '202' };

  it('parses, with process metrics labelled app="api"', async () => {
    const { samples, get } = await scrape();
    expect(samples.length).toBeGreaterThan(20);
    expect(get('process_cpu_user_seconds_total', { app: 'api' })).toBeGreaterThan(0);
  });

  it('counts POST /v1/messages 202 by the number sent, with latencies and accepted messages', async () => {
    const before = await scrape();
    const sent = 7;
    for (let n = 0; n < sent; n++) {
      const response = await stack().client.sendMessage({ companyID: 7, receiverIDs: [1, 2], typeID: 1, title: `m${n}`, content: '' });
      expect(response.status).toBe(202);
    }
    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) => after.get(name, labels) - before.get(name, labels);
    expect(delta('http_requests_total', accepted)).toBe(sent);
    expect(delta('http_request_duration_seconds_count', accepted)).toBe(sent);
    expect(after.get('http_request_duration_seconds_bucket', { ...accepted, le: '+Inf' })).toBe(after.get('http_request_duration_seconds_count', accepted));
    expect(delta('notify_messages_accepted_total')).toBe(sent * 2);
  });

  it('labels by route pattern and status, never by the raw URL', async () => {
    expect((await stack().client.request('GET', '/v1/users/uid-4711/messages')).status).toBe(200);
    expect((await stack().client.request('GET', '/v1/users/uid-4711/messages?limit=1000')).status).toBe(400);
    expect((await stack().client.request('GET', '/v1/no-such-route-x0815')).status).toBe(404);
    const { text, get } = await scrape();
    const route = '/v1/users/:uid/messages';
    expect(get('http_requests_total', { method: 'GET', route, status: '200' })).toBe(1);
    expect(get('http_requests_total', { method: 'GET', route, status: '400' })).toBe(1);
    expect(get('http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' })).toBe(1);
    expect(text).not.toContain('uid-4711');
    expect(text).not.toContain('no-such-route');
  });
});
