import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { ApiClient, jobCounts, openStackQueue, startStack, waitUntil, type Stack } from '@notify/testing';

// SPEC HTTP API: producers authenticate with `Authorization: Bearer <key>` (one of API_KEYS) on
// every write and read endpoint; `/push` also takes the key as a `key` field; Bull Board is
// behind HTTP basic auth. Every route × every wrong credential → 401, and nothing happens.

interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** A body the route would accept with a good key. */
  body?: unknown;
  /** Form body for /push. */
  form?: Record<string, string>;
}

const ROUTES: Route[] = [
  { method: 'POST', path: '/v1/messages', body: { companyID: 7, receiverID: 1, typeID: 1, title: 'x', content: '' } },
  { method: 'POST', path: '/v1/dynamics', body: { companyID: 7, operatorID: 1, operator: 'Bob', title: 'x', content: '' } },
  { method: 'GET', path: '/v1/users/1/messages' },
  { method: 'GET', path: '/v1/users/1/messages?unread=true&limit=5' },
  { method: 'GET', path: '/v1/users/1/unread-count' },
  { method: 'POST', path: '/v1/users/1/messages/read', body: { all: true } },
  { method: 'GET', path: '/v1/companies/7/dynamics' },
  { method: 'GET', path: '/v1/companies/7/online' },
  { method: 'GET', path: '/v1/objects/task/5/logs' },
  { method: 'POST', path: '/v1/tokens', body: { uid: 1, companyID: 7 } },
  // Spelling variants of the same routes: Express matches them case-insensitively and with a trailing slash.
  { method: 'POST', path: '/V1/Messages', body: { companyID: 7, receiverID: 1, typeID: 1, title: 'x', content: '' } },
  { method: 'POST', path: '/v1/tokens/', body: { uid: 1, companyID: 7 } },
  { method: 'GET', path: '/v1/users/1/messages/' },
  { method: 'GET', path: '/push?action=message&companyID=7&receiverID=1&typeID=1&title=x&content=y' },
  { method: 'POST', path: '/push', form: { action: 'message', companyID: '7', receiverID: '1', typeID: '1', title: 'x', content: 'y' } },
  { method: 'POST', path: '/push', form: { action: 'dynamic', companyID: '7', operatorID: '1', operator: 'Bob', title: 'x', content: 'y' } },
];

describe('producer keys on every endpoint', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const credentialVariants = (key: string): [string, Record<string, string>, string?][] => [
    ['no Authorization', {}],
    ['empty Bearer', { authorization: 'Bearer ' }],
    ['Bearer only', { authorization: 'Bearer' }],
    ['wrong key', { authorization: `Bearer ${'x'.repeat(key.length)}` }],
    ['key with one character changed', { authorization: `Bearer ${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}` }],
    ['key prefix', { authorization: `Bearer ${key.slice(0, 16)}` }],
    ['key plus suffix', { authorization: `Bearer ${key}x` }],
    ['key upper-cased', { authorization: `Bearer ${key.toUpperCase()}` }],
    ['two keys', { authorization: `Bearer ${key},${key}` }],
    ['two tokens', { authorization: `Bearer ${key} ${key}` }],
    ['no scheme', { authorization: key }],
    ['Basic scheme', { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }],
    ['Token scheme', { authorization: `Token ${key}` }],
    ['X-Api-Key header', { 'x-api-key': key }],
    ['Bull Board password as key', { authorization: `Bearer ${stack.env.BULL_BOARD_PASSWORD}` }],
    ['JWT secret as key', { authorization: `Bearer ${stack.jwtSecret}` }],
    ['browser token as key', { authorization: 'Bearer BROWSER_TOKEN' }],
    // Keys in the query string are only for /push (as `key`); on /v1 they mean nothing.
    ['key in ?key= on /v1', {}, `key=${encodeURIComponent(key)}`],
    ['key in ?api_key=', {}, `api_key=${encodeURIComponent(key)}`],
  ];

  const call = async (route: Route, headers: Record<string, string>, query?: string) => {
    const client = new ApiClient(stack.apiUrl);
    const path = query ? `${route.path}${route.path.includes('?') ? '&' : '?'}${query}` : route.path;
    if (route.form) {
      return client.request(route.method, path, {
        rawBody: new URLSearchParams(route.form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    }
    return client.request(route.method, path, { body: route.body, headers });
  };

  it('answers 401 for every route and every wrong credential, in the SPEC error shape (plain "fail" on /push)', async () => {
    const browserToken = await stack.client.mintToken(1, 7);
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const isPush = route.path.startsWith('/push');
      for (const [name, rawHeaders, query] of credentialVariants(stack.apiKey)) {
        if (isPush && query?.startsWith('key=')) continue; // that one is a valid key for /push
        const headers = Object.fromEntries(Object.entries(rawHeaders).map(([h, v]) => [h, v.replace('BROWSER_TOKEN', browserToken)]));
        const response = await call(route, headers, query);
        const shaped = isPush ? String(response.body).trim() === 'fail' : ApiErrorBody.safeParse(response.body).success && response.body.error.code === 'unauthorized';
        if (response.status !== 401 || !shaped) wrong.push(`${route.method} ${route.path} with ${name} → ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 before looking at the body: an invalid or oversized body without a key is still 401', async () => {
    const anonymous = new ApiClient(stack.apiUrl);
    expect((await anonymous.request('POST', '/v1/messages', { body: { companyID: { $gt: '' } } })).status).toBe(401);
    expect((await anonymous.request('POST', '/v1/messages', { rawBody: '{broken', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await anonymous.request('POST', '/v1/dynamics', { body: { title: 'x'.repeat(400_000) } })).status).toBe(401);
  });

  it('did nothing for any refused request: no job, no row, no token', async () => {
    const queue = openStackQueue(stack);
    try {
      expect(Object.values(await jobCounts(queue)).reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await queue.close();
    }
    const db = new Database(stack.sqlitePath, { readonly: true });
    try {
      expect(db.prepare('SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM dynamics) AS n').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('lets the real key through on every route (so the 401s above are about the key)', async () => {
    const refused: string[] = [];
    for (const route of ROUTES) {
      const response = await call(route, { authorization: `Bearer ${stack.apiKey}` });
      if (response.status === 401 || response.status >= 500) refused.push(`${route.method} ${route.path} → ${response.status}`);
    }
    expect(refused).toEqual([]);
    const viaField = await call({ method: 'POST', path: '/push', form: { ...ROUTES.at(-1)!.form!, key: stack.apiKey } }, {});
    expect(viaField.status).toBe(200);
  });

  it('keeps Bull Board behind basic auth', async () => {
    const anonymous = new ApiClient(stack.apiUrl);
    const open = await anonymous.request('GET', '/admin/queues');
    expect(open.status).toBe(401);
    expect(open.headers.get('www-authenticate')).toMatch(/^Basic/i);
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    const user = stack.env.BULL_BOARD_USER ?? 'admin';
    const password = stack.env.BULL_BOARD_PASSWORD ?? '';
    for (const headers of [
      { authorization: `Bearer ${stack.apiKey}` },
      basic(user, 'wrong-password'),
      basic(user, `${password}x`),
      basic('root', password),
      basic(user, ''),
      basic('', ''),
      { authorization: 'Basic !!!not-base64' },
    ]) {
      for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/ADMIN/QUEUES']) {
        const response = await anonymous.request('GET', path, { headers });
        expect(response.status, `${path} with ${headers.authorization}`).toBe(401);
      }
    }
    expect((await anonymous.request('GET', '/admin/queues', { headers: basic(user, password) })).status).toBe(200);
  });

  it('does not serve the development token route on the gateway by default', async () => {
    const response = await fetch(`${stack.gatewayUrls[0]}/dev/token?uid=2&companyID=8`);
    expect(response.status).toBe(404);
  });
});

// Issue 4 (authorization): a per-key rate limit with 429 and Retry-After; one producer over its
// limit does not slow another down, and a refused write stores nothing.
describe('the per-key rate limit', () => {
  let stack: Stack;
  const keys = [`rate_a_${'a'.repeat(24)}`, `rate_b_${'b'.repeat(24)}`] as const;
  const LIMIT = 5;

  beforeAll(async () => {
    stack = await startStack({ env: { API_KEYS: keys.join(','), API_RATE_LIMIT: String(LIMIT) } });
  });
  afterAll(() => stack?.stop());

  it('answers 429 rate_limited with Retry-After over the limit, per key, and stores nothing for refused writes', async () => {
    const [noisy, quiet] = keys.map((key) => new ApiClient(stack.apiUrl, key)) as [ApiClient, ApiClient];
    // A burst, then one more request right after it: that one is refused too, unless the burst
    // ended just as the limiter's one-second window turned, in which case the pair is tried again.
    const burst: Awaited<ReturnType<ApiClient['sendMessage']>>[] = [];
    let stillLimited: Awaited<ReturnType<ApiClient['request']>> | undefined;
    for (let attempt = 0; attempt < 3 && stillLimited?.status !== 429; attempt += 1) {
      burst.push(
        ...(await Promise.all(
          Array.from({ length: 40 }, (_, n) => noisy.sendMessage({ companyID: 7, receiverID: 'rl', typeID: 1, title: `burst ${attempt}.${n}`, content: '' })),
        )),
      );
      stillLimited = await noisy.request('GET', '/v1/users/rl/unread-count');
    }
    // The Retry-After clock runs from here.
    const limitedAt = Date.now();
    expect(stillLimited?.status).toBe(429);
    const limited = burst.filter((r) => r.status === 429);
    const accepted = burst.filter((r) => r.status === 202);
    expect(limited.length).toBeGreaterThan(0);
    expect(burst.every((r) => r.status === 202 || r.status === 429)).toBe(true);
    for (const response of limited) {
      expect(ApiErrorBody.parse(response.body).error.code).toBe('rate_limited');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // The other key is not affected by the first one's burst.
    const other = await quiet.sendMessage({ companyID: 7, receiverID: 'rl', typeID: 1, title: 'quiet', content: '' });
    expect(other.status).toBe(202);

    // After Retry-After, the noisy key may send again, and not long before.
    const retryAfter = Number(stillLimited?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    await waitUntil(async () => (await noisy.request('GET', '/v1/users/rl/unread-count')).status === 200, {
      timeoutMs: retryAfter * 1000 + 1000,
      message: `the noisy key is let through again after Retry-After (${retryAfter} s)`,
    });
    expect(Date.now() - limitedAt).toBeGreaterThanOrEqual((retryAfter - 1) * 1000);

    // Only the accepted ones are stored.
    const ids = [...accepted, other].map((r) => r.body.ids[0] as string);
    const listed = async () => (await quiet.request('GET', '/v1/users/rl/messages?limit=100')).body.items?.map((m: { id: string }) => m.id) ?? [];
    let stored: string[] = [];
    await waitUntil(
      async () => {
        stored = await listed();
        return stored.length >= ids.length;
      },
      { timeoutMs: 10_000, message: 'every accepted message is listed' },
    );
    expect(new Set(stored)).toEqual(new Set(ids));
  });
});
