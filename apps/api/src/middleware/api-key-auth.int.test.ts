import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { ApiClient, jobCounts, openStackQueue, useInProcessStack } from '@notify/testing';

// Producers authenticate with `Authorization: Bearer <key>` (one of API_KEYS) on every write and
// read endpoint; `/push` also takes the key as a `key` field. Every route × every wrong
// credential → 401, and nothing happens. (Bull Board's basic auth: routes/bull-board.)

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
  const BULL_BOARD_PASSWORD = 'board-password-1';
  const running = useInProcessStack({ env: { BULL_BOARD_PASSWORD } });

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
    ['Bull Board password as key', { authorization: `Bearer ${BULL_BOARD_PASSWORD}` }],
    ['JWT secret as key', { authorization: `Bearer ${running().jwtSecret}` }],
    ['browser token as key', { authorization: 'Bearer BROWSER_TOKEN' }],
    // Keys in the query string are only for /push (as `key`); on /v1 they mean nothing.
    ['key in ?key= on /v1', {}, `key=${encodeURIComponent(key)}`],
    ['key in ?api_key=', {}, `api_key=${encodeURIComponent(key)}`],
  ];

  const call = async (route: Route, headers: Record<string, string>, query?: string) => {
    const client = new ApiClient(running().apiUrl);
    const path = query ? `${route.path}${route.path.includes('?') ? '&' : '?'}${query}` : route.path;
    if (route.form) {
      return client.request(route.method, path, {
        rawBody: new URLSearchParams(route.form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    }
    return client.request(route.method, path, { body: route.body, headers });
  };

  it('answers 401 for every route and every wrong credential, in the documented error shape (plain "fail" on /push)', async () => {
    const browserToken = await running().client.mintToken(1, 7);
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const isPush = route.path.startsWith('/push');
      for (const [name, rawHeaders, query] of credentialVariants(running().apiKey)) {
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
    const anonymous = new ApiClient(running().apiUrl);
    expect((await anonymous.request('POST', '/v1/messages', { body: { companyID: { $gt: '' } } })).status).toBe(401);
    expect((await anonymous.request('POST', '/v1/messages', { rawBody: '{broken', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await anonymous.request('POST', '/v1/dynamics', { body: { title: 'x'.repeat(400_000) } })).status).toBe(401);
  });

  it('did nothing for any refused request: no job, no row, no token', async () => {
    const queue = openStackQueue(running());
    try {
      expect(Object.values(await jobCounts(queue)).reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await queue.close();
    }
    const db = new Database(running().sqlitePath, { readonly: true });
    try {
      expect(db.prepare('SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM dynamics) AS n').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('lets the real key through on every route (so the 401s above are about the key)', async () => {
    const refused: string[] = [];
    for (const route of ROUTES) {
      const response = await call(route, { authorization: `Bearer ${running().apiKey}` });
      if (response.status === 401 || response.status >= 500) refused.push(`${route.method} ${route.path} → ${response.status}`);
    }
    expect(refused).toEqual([]);
    const viaField = await call({ method: 'POST', path: '/push', form: { ...ROUTES.at(-1)!.form!, key: running().apiKey } }, {});
    expect(viaField.status).toBe(200);
  });

  it('does not serve the development token route on the gateway by default', async () => {
    const response = await fetch(`${running().gatewayUrls[0]}/dev/token?uid=2&companyID=8`);
    expect(response.status).toBe(404);
  });
});
