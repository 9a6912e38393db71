import { afterAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { ApiClient, spawnApp, useStack, waitUntil, type AppProcess } from '@notify/testing';

// Issue 4: a per-API-key rate limit on /v1 and /push, shared by every api process (counted in
// Redis), answered 429 rate_limited with Retry-After.
const LIMIT = 5;
const SECOND_KEY = `second_${'k'.repeat(24)}`;

describe('per-key rate limit', () => {
  const fx = useStack({ workers: 0, gateways: 0, env: { API_RATE_LIMIT: String(LIMIT), API_KEYS: `first_${'k'.repeat(24)},${SECOND_KEY}` } });
  const apps: AppProcess[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.stop())));

  const burst = (client: ApiClient, n: number, path = '/v1/users/1/unread-count') =>
    Promise.all(Array.from({ length: n }, () => client.request('GET', path)));
  /** Until a request of `client` gets through again (the window has passed). */
  const waitForNextWindow = (client: ApiClient) =>
    waitUntil(async () => (await client.request('GET', '/v1/users/1/unread-count')).status === 200, { timeoutMs: 3000, message: 'the limit lifts' });

  it('answers 429 rate_limited with Retry-After over the limit, and lets the key through again a second later', async () => {
    await waitForNextWindow(fx.api);
    const responses = await burst(fx.api, 4 * LIMIT);
    const limited = responses.filter((response) => response.status === 429);
    // The burst may straddle two one-second windows: still at most 2 × LIMIT get through.
    expect(responses.length - limited.length).toBeLessThanOrEqual(2 * LIMIT);
    expect(responses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
    for (const response of limited) {
      expect(ApiErrorBody.parse(response.body).error.code).toBe('rate_limited');
      expect(response.headers.get('retry-after')).toBe('1');
    }
    await waitForNextWindow(fx.api);
  });

  it('counts each key on its own', async () => {
    const first = await burst(fx.api, 4 * LIMIT);
    expect(first.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(2 * LIMIT);
    const other = await new ApiClient(fx.stack.apiUrl, SECOND_KEY).request('GET', '/v1/users/1/unread-count');
    expect(other.status).toBe(200);
    await waitForNextWindow(fx.api);
  });

  it('limits /push too, answering 429 fail', async () => {
    const responses = await burst(fx.api, 4 * LIMIT, '/push?action=message');
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2 * LIMIT);
    for (const response of limited) {
      expect(response.body).toBe('fail');
      expect(response.headers.get('retry-after')).toBe('1');
    }
    await waitForNextWindow(fx.api);
  });

  it('is shared by every api process', async () => {
    const second = await spawnApp('api', fx.stack.env);
    apps.push(second);
    const secondApi = new ApiClient(second.url, fx.stack.apiKey);
    // Exhaust the key on one api, then ask the other within the same second. A window may end in
    // between (rarely): then try again; with per-process counting the other api never says 429.
    let sharedRefusal = false;
    for (let attempt = 0; attempt < 5 && !sharedRefusal; attempt++) {
      await waitForNextWindow(fx.api);
      let status = 200;
      while (status !== 429) status = (await fx.api.request('GET', '/v1/users/1/unread-count')).status;
      sharedRefusal = (await secondApi.request('GET', '/v1/users/1/unread-count')).status === 429;
    }
    expect(sharedRefusal).toBe(true);
  });

  it('lets requests through, without a hang, while Redis is down', async () => {
    await fx.stack.redis.stop();
    const started = Date.now();
    const responses = await burst(fx.api, 2 * LIMIT, '/v1/users/1/messages');
    // Lists from the SQLite store do not need Redis: the limiter fails open rather than refusing them.
    expect(responses.map((response) => response.status)).toEqual(Array(2 * LIMIT).fill(200));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
