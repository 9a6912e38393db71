import { describe, expect, it } from 'vitest';
import { openStackQueue, useInProcessStack, waitUntil } from '@notify/testing';

// One JSON log line per api request with its request id, which also goes into the job, so a
// message can be followed from api to worker to gateway.
describe('api request logs', () => {
  // Its own Redis, which the last test stops; no worker, so the job is still there to read.
  const stack = useInProcessStack({ ownRedis: true, gateways: 0, worker: false, logLevel: 'info' });

  const linesOf = (requestId: string) => stack().logs.of('api').filter((line) => line.requestId === requestId);
  const requestLine = async (requestId: string) => {
    await waitUntil(() => linesOf(requestId).some((line) => line.msg === 'request'), { timeoutMs: 5000, message: `request line of ${requestId}` });
    return linesOf(requestId).find((line) => line.msg === 'request');
  };

  it('logs method, route pattern, status and ms with the request id, which the job carries too', async () => {
    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'traced', content: '' }, { 'X-Request-Id': 'trace-1' });
    expect(sent.status).toBe(202);
    expect(sent.headers.get('x-request-id')).toBe('trace-1');
    expect(await requestLine('trace-1')).toMatchObject({ level: 30, name: 'api', method: 'POST', route: '/v1/messages', status: 202, ms: expect.any(Number) });

    const queue = openStackQueue(stack());
    try {
      const job = await queue.getJob(sent.body.ids[0] as string);
      expect(job?.data).toMatchObject({ requestId: 'trace-1' });
    } finally {
      await queue.close();
    }
  });

  it('makes up a request id when the one offered is not sane, and echoes it', async () => {
    const sent = await stack().client.request('GET', '/v1/users/1/unread-count', { headers: { 'X-Request-Id': 'not sane: has spaces' } });
    const id = sent.headers.get('x-request-id') as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await requestLine(id)).toMatchObject({ route: '/v1/users/:uid/unread-count', status: 200 });
  });

  it('logs the route pattern and error code of a refused request, never its raw URL', async () => {
    const response = await stack().client.request('GET', '/v1/users/secret-uid-99/messages?limit=1000', { headers: { 'X-Request-Id': 'trace-2' } });
    expect(response.status).toBe(400);
    const line = await requestLine('trace-2');
    expect(line).toMatchObject({ route: '/v1/users/:uid/messages', status: 400, errorCode: 'invalid_input', issues: [{ path: 'limit' }] });
    expect(JSON.stringify(linesOf('trace-2'))).not.toContain('secret-uid-99');
  });

  it('logs probes at debug only, so they stay out of an info log', async () => {
    await fetch(`${stack().apiUrl}/healthz`, { headers: { 'X-Request-Id': 'trace-probe' } });
    // A marker request after the probe: once its line is there, the probe's would be too.
    await stack().client.request('GET', '/v1/users/1/unread-count', { headers: { 'X-Request-Id': 'trace-after-probe' } });
    await requestLine('trace-after-probe');
    expect(linesOf('trace-probe')).toEqual([]);
    expect(stack().logs.of('api').filter((line) => line.msg === 'request' && line.route === '/healthz')).toEqual([]);
  });

  it('puts the request id on every line logged for the request, errors included', async () => {
    await stack().whileRedisIsDown(async () => {
      const response = await stack().client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'down', content: '' }, { 'X-Request-Id': 'trace-3' });
      expect(response.status).toBe(503);
      await requestLine('trace-3');
    });
    const lines = linesOf('trace-3');
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/did not answer|unavailable|Redis/), 'request']));
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ status: 503, errorCode: 'unavailable' });
  });
});
