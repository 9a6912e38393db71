import { describe, expect, it } from 'vitest';
import { openStackQueue, useStack, waitUntil } from '@notify/testing';

// Issue 5: one JSON log line per api request with its request id, which also goes into the job,
// so a message can be followed from api to worker to gateway.
describe('api request logs', () => {
  const fx = useStack({ workers: 0, gateways: 0 });

  const logLines = (): Record<string, unknown>[] =>
    fx.stack.api
      .output()
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const linesOf = (requestId: string) => logLines().filter((line) => line.requestId === requestId);
  const requestLine = async (requestId: string) => {
    await waitUntil(() => linesOf(requestId).some((line) => line.msg === 'request'), { timeoutMs: 5000, message: `request line of ${requestId}` });
    return linesOf(requestId).find((line) => line.msg === 'request') as Record<string, unknown>;
  };

  it('logs method, route pattern, status and ms with the request id, which the job carries too', async () => {
    const sent = await fx.api.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'traced', content: '' }, { 'X-Request-Id': 'trace-e2e-1' });
    expect(sent.status).toBe(202);
    expect(sent.headers.get('x-request-id')).toBe('trace-e2e-1');
    expect(await requestLine('trace-e2e-1')).toMatchObject({ level: 30, name: 'api', method: 'POST', route: '/v1/messages', status: 202, ms: expect.any(Number) });

    const queue = openStackQueue(fx.stack);
    try {
      const job = await queue.getJob(sent.body.ids[0] as string);
      expect(job?.data).toMatchObject({ requestId: 'trace-e2e-1' });
    } finally {
      await queue.close();
    }
  });

  it('logs the route pattern and error code of a refused request, never its raw URL', async () => {
    const response = await fx.api.request('GET', '/v1/users/secret-uid-99/messages?limit=1000', { headers: { 'X-Request-Id': 'trace-e2e-2' } });
    expect(response.status).toBe(400);
    const line = await requestLine('trace-e2e-2');
    expect(line).toMatchObject({ route: '/v1/users/:uid/messages', status: 400, errorCode: 'invalid_input', issues: [{ path: 'limit' }] });
    expect(JSON.stringify(linesOf('trace-e2e-2'))).not.toContain('secret-uid-99');
  });

  it('logs probes at debug only, so they stay out of an info log', async () => {
    await fetch(`${fx.stack.apiUrl}/healthz`, { headers: { 'X-Request-Id': 'trace-probe' } });
    await fx.api.request('GET', '/v1/users/1/unread-count', { headers: { 'X-Request-Id': 'trace-after-probe' } });
    await requestLine('trace-after-probe');
    expect(linesOf('trace-probe')).toEqual([]);
    // Not only this probe: no request line for /healthz at info or above, whatever its request id
    // (the stack's own readiness polling probes it too).
    const isHealthz = (line: Record<string, unknown>) => [line.route, line.path, line.url].some((value) => typeof value === 'string' && value.split('?')[0] === '/healthz');
    expect(logLines().filter((line) => line.msg === 'request' && isHealthz(line) && Number(line.level) >= 30)).toEqual([]);
  });

  it('puts the request id on every line logged for the request, errors included', async () => {
    await fx.stack.redis.stop();
    const response = await fx.api.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'down', content: '' }, { 'X-Request-Id': 'trace-e2e-3' });
    expect(response.status).toBe(503);
    await requestLine('trace-e2e-3');
    const lines = linesOf('trace-e2e-3');
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/did not answer|unavailable|Redis/), 'request']));
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ status: 503, errorCode: 'unavailable' });
  });
});
