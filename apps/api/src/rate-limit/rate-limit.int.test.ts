import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { ApiClient, useInProcessStack, waitUntil, type ApiResponse } from '@notify/testing';

// A per-API-key rate limit on /v1 and /push, shared by every api process (leases counted in
// Redis), answered 429 rate_limited with Retry-After; a refused write stores nothing; it fails
// open when Redis is down. The limiter's leases themselves: rate-limiter.int.test.ts.
const LIMIT = 5;
const NOISY = `noisy_${'n'.repeat(24)}`;
const QUIET = `quiet_${'q'.repeat(24)}`;

describe('per-key rate limit', () => {
  // Its own Redis, which the last test stops.
  const stack = useInProcessStack({ ownRedis: true, gateways: 0, env: { API_RATE_LIMIT: String(LIMIT), API_KEYS: `${NOISY},${QUIET}` } });
  const noisy = () => new ApiClient(stack().apiUrl, NOISY);
  const quiet = () => new ApiClient(stack().apiUrl, QUIET);

  const burst = (client: ApiClient, n: number, path = '/v1/users/1/unread-count') =>
    Promise.all(Array.from({ length: n }, () => client.request('GET', path)));
  /** Until a request of `client` gets through again (the window has passed). */
  const waitForNextWindow = (client: ApiClient) =>
    waitUntil(async () => (await client.request('GET', '/v1/users/1/unread-count')).status === 200, { timeoutMs: 3000, message: 'the limit lifts' });

  it('answers 429 rate_limited with Retry-After over the limit, and lets the key through again once it has passed', async () => {
    await waitForNextWindow(noisy());
    // A burst, then one more request right after it: that one is refused too, unless the burst
    // ended just as the limiter's one-second window turned, in which case the pair is tried again.
    const responses: ApiResponse[] = [];
    let stillLimited: ApiResponse | undefined;
    for (let attempt = 0; attempt < 3 && stillLimited?.status !== 429; attempt += 1) {
      responses.push(...(await burst(noisy(), 4 * LIMIT)));
      stillLimited = await noisy().request('GET', '/v1/users/1/unread-count');
    }
    expect(stillLimited?.status).toBe(429);
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(responses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
    for (const response of [...limited, stillLimited as ApiResponse]) {
      expect(ApiErrorBody.parse(response.body).error.code).toBe('rate_limited');
      expect(response.headers.get('retry-after')).toBe('1');
    }
    await waitForNextWindow(noisy());
  });

  it('counts each key on its own', async () => {
    const first = await burst(noisy(), 4 * LIMIT);
    expect(first.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(2 * LIMIT);
    expect((await quiet().request('GET', '/v1/users/1/unread-count')).status).toBe(200);
    await waitForNextWindow(noisy());
  });

  it('limits /push too, answering 429 fail', async () => {
    const responses = await burst(noisy(), 4 * LIMIT, '/push?action=message');
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2 * LIMIT);
    for (const response of limited) {
      expect(response.body).toBe('fail');
      expect(response.headers.get('retry-after')).toBe('1');
    }
    await waitForNextWindow(noisy());
  });

  it('counts a POST /v1/bulk as one request, however many records it carries', async () => {
    await waitForNextWindow(noisy());
    const messages = Array.from({ length: 4 * LIMIT }, (_, n) => ({ companyID: 7, receiverID: `bulk-${n}`, typeID: 1, title: 't', content: '' }));
    // Each request carries more records than the limit: counted per record, not one would pass.
    const responses = await Promise.all(Array.from({ length: 4 * LIMIT }, () => noisy().sendBulk({ messages })));
    const accepted = responses.filter((response) => response.status === 202);
    expect(accepted.length).toBeGreaterThan(0);
    expect(responses.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(2 * LIMIT);
    for (const response of accepted) expect(response.body.ids.messages).toHaveLength(messages.length);
    await waitForNextWindow(noisy());
  });

  it('stores only the writes it accepted', async () => {
    const sends = await Promise.all(
      Array.from({ length: 4 * LIMIT }, (_, n) => noisy().sendMessage({ companyID: 7, receiverID: 'rl', typeID: 1, title: `burst ${n}`, content: '' })),
    );
    const accepted = sends.filter((response) => response.status === 202);
    expect(sends.filter((response) => response.status === 429).length).toBeGreaterThan(0);
    expect(accepted.length + sends.filter((response) => response.status === 429).length).toBe(sends.length);
    const ids = accepted.map((response) => response.body.ids[0] as string);
    // A marker from the other key, stored after the accepted ones: then nothing else can be on its way.
    const marker = await quiet().sendMessage({ companyID: 7, receiverID: 'rl-marker', typeID: 1, title: 'marker', content: '' });
    await waitUntil(async () => (await quiet().request('GET', '/v1/users/rl-marker/messages')).body.items?.length === 1, { timeoutMs: 10_000, message: 'the marker is stored' });
    await waitUntil(async () => (await quiet().request('GET', '/v1/users/rl/messages?limit=100')).body.items?.length >= ids.length, { timeoutMs: 10_000, message: 'every accepted message is stored' });
    const stored = (await quiet().request('GET', '/v1/users/rl/messages?limit=100')).body.items.map((m: { id: string }) => m.id);
    expect(new Set(stored)).toEqual(new Set(ids));
    expect(marker.status).toBe(202);
    await waitForNextWindow(noisy());
  });

  it('is shared by every api process', async () => {
    const { client: second } = await stack().addApi();
    const secondNoisy = new ApiClient(second.baseUrl, NOISY);
    // Exhaust the key on one api, then ask the other within the same second. A window may end in
    // between (rarely): then try again; with per-process counting the other api never says 429.
    let sharedRefusal = false;
    for (let attempt = 0; attempt < 5 && !sharedRefusal; attempt++) {
      await waitForNextWindow(noisy());
      let status = 200;
      while (status !== 429) status = (await noisy().request('GET', '/v1/users/1/unread-count')).status;
      sharedRefusal = (await secondNoisy.request('GET', '/v1/users/1/unread-count')).status === 429;
    }
    expect(sharedRefusal).toBe(true);
  });

  it('lets requests through, without a hang, while Redis is down', async () => {
    // A second the key had used up before Redis went is still refused (the api knows it); a new one starts open.
    await waitForNextWindow(noisy());
    // Lists from the SQLite store do not need Redis: the limiter fails open rather than refusing them.
    const responses = await stack().whileRedisIsDown(() =>
      Promise.all(Array.from({ length: 2 * LIMIT }, () => noisy().request('GET', '/v1/users/1/messages', { timeoutMs: 5000 }))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(2 * LIMIT).fill(200));
  });
});
