import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newRecordId } from '@notify/contracts';
import { NotifyApiError } from './notify-api-error.js';
import { NotifyClient, type NotifyClientOptions } from './notify-client.js';
import { NotifyResponseError } from './notify-response-error.js';
import { NotifyRetriesExhaustedError } from './notify-retries-exhausted-error.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  at: number;
}

/** Answers attempt `n` (1-based, counted per test) of any request; may leave it unanswered. */
type Handler = (res: ServerResponse, attempt: number, request: Received) => void;

let server: Server;
let baseUrl: string;
let received: Received[];
let handler: Handler;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
const unavailable = { error: { code: 'unavailable', message: 'Redis or the store is unreachable; retry later' } };
const message = { companyID: 7, receiverID: 1, typeID: 1 as const, title: 'Hello', content: 'World' };

beforeAll(async () => {
  // A real HTTP server, so the client's fetch, headers, timeouts and dropped connections are real.
  server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined, at: Date.now() };
      received.push(request);
      handler(res, received.length, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  server.closeAllConnections();
});

const client = (options: Partial<NotifyClientOptions> = {}) =>
  new NotifyClient({ baseUrl, apiKey: 'test_key_0123456789', backoff: 1, ...options });
const keys = () => received.map((request) => request.headers['idempotency-key']);

describe('NotifyClient sends', () => {
  it('retries 503s with the same Idempotency-Key until the api accepts', async () => {
    const id = newRecordId();
    handler = (res, attempt) => (attempt <= 2 ? json(res, 503, unavailable) : json(res, 202, { ids: [id], status: 'queued' }));

    await expect(client().sendMessage(message)).resolves.toEqual({ ids: [id], status: 'queued' });

    expect(received).toHaveLength(3);
    expect(new Set(keys()).size).toBe(1);
    expect(keys()[0]).toMatch(/^[0-9a-f-]{36}$/);
    for (const request of received) {
      expect(request).toMatchObject({ method: 'POST', url: '/v1/messages', body: message });
      expect(request.headers.authorization).toBe('Bearer test_key_0123456789');
    }
  });

  it('uses the caller’s key, and a new key per call otherwise', async () => {
    handler = (res) => json(res, 202, { id: newRecordId(), status: 'queued' });
    const dynamic = { companyID: 7, operatorID: 2, operator: 'Bob', title: 'created a task', content: 'Task 5' };
    await client().sendDynamic(dynamic, { idempotencyKey: 'order-42', requestId: 'req-1' });
    await client().sendDynamic(dynamic);
    await client().sendDynamic(dynamic);

    expect(keys()[0]).toBe('order-42');
    expect(received[0]?.headers['x-request-id']).toBe('req-1');
    expect(new Set(keys()).size).toBe(3);
  });

  it('does not retry a 400, and the error carries the api’s issues', async () => {
    const issues = [{ path: 'typeID', message: 'must be 1 (system notice), 2 (admin notice) or 3 (operation notice)' }];
    handler = (res) => json(res, 400, { error: { code: 'invalid_input', message: 'the request is invalid; see issues', issues } });

    const error = await client().sendMessages({ ...message, receiverIDs: [1, 2], typeID: 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotifyApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', issues });
    expect(received).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    handler = (res, attempt) =>
      attempt === 1
        ? json(res, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '1' })
        : json(res, 202, { ids: [newRecordId()], status: 'queued' });

    await client().sendMessage(message);

    expect(received).toHaveLength(2);
    // The backoff alone would be ~1 ms; the api asked for a second.
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(new Set(keys()).size).toBe(1);
  });

  it('retries an attempt that timed out, with the same key', async () => {
    handler = (res, attempt) => {
      if (attempt > 1) json(res, 202, { ids: [newRecordId()], status: 'queued' });
      // else: never answered; the client gives up on this attempt after timeoutMs.
    };

    await client({ timeoutMs: 200 }).sendMessage(message);

    expect(received).toHaveLength(2);
    expect(new Set(keys()).size).toBe(1);
  });

  it('retries a dropped connection', async () => {
    handler = (res, attempt) => (attempt === 1 ? res.socket?.destroy() : json(res, 202, { ids: [newRecordId()], status: 'queued' }));

    await client().sendMessage(message);

    expect(received).toHaveLength(2);
    expect(new Set(keys()).size).toBe(1);
  });

  it('gives up after its retries with the last failure as the cause', async () => {
    handler = (res) => json(res, 503, unavailable);

    const error = await client({ retries: 2 }).sendMessage(message).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotifyRetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 3, code: 'retries_exhausted' });
    expect((error as Error).cause).toBeInstanceOf(NotifyApiError);
    expect((error as Error).cause).toMatchObject({ status: 503, code: 'unavailable' });
    expect(received).toHaveLength(3);
  });

  it('stops waiting when the caller aborts', async () => {
    const controller = new AbortController();
    // The caller aborts once the first request has reached the api, which asks for a 30 s wait.
    handler = (res) => {
      json(res, 503, unavailable, { 'retry-after': '30' });
      controller.abort(new Error('shutting down'));
    };
    const sending = client().sendMessage(message, { signal: controller.signal });

    await expect(sending).rejects.toThrow('shutting down');
    expect(received).toHaveLength(1);
  });

  it('refuses a success whose body is not what the contract says, without retrying', async () => {
    handler = (res) => json(res, 202, { ids: ['not-an-id'], status: 'queued' });

    await expect(client().sendMessage(message)).rejects.toBeInstanceOf(NotifyResponseError);
    expect(received).toHaveLength(1);
  });

  it('reports a non-api error page by its status', async () => {
    handler = (res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>');

    await expect(client().sendMessage(message)).rejects.toMatchObject({ status: 500, code: 'http_500', body: '<h1>oops</h1>' });
    expect(received).toHaveLength(1);
  });
});

describe('NotifyClient reads and other calls', () => {
  it('builds each route and parses each answer with the contracts', async () => {
    const stored = {
      id: newRecordId(), companyID: '7', receiverID: 'u:1', typeID: 2, title: 't', content: 'c', date: '2026-11-26T10:00:00.000Z',
      isRead: false, isSeen: true, seenAt: '2026-11-26T10:01:00.000Z', isArchived: false,
    };
    const counts = { total: 1, byType: { 1: 0, 2: 1, 3: 0 }, unseen: 0, version: 1_764_151_260_000_000 };
    handler = (res, _attempt, request) => {
      if (request.url.includes('/messages/read')) return json(res, 200, { updated: 3 });
      if (request.url.includes('/messages/archive')) return json(res, 200, { updated: 2 });
      if (request.url.includes('/messages')) return json(res, 200, { items: [stored], nextCursor: null });
      if (request.url.includes('/unread-count')) return json(res, 200, counts);
      if (request.url.includes('/revoke-tokens')) return json(res, 200, { revokedBefore: '2026-11-26T10:00:00.123Z' });
      return json(res, 200, { token: 'jwt', expiresAt: '2026-11-26T11:00:00.000Z' });
    };
    const notify = client({ baseUrl: `${baseUrl}/` });

    expect(await notify.listMessages('u:1', { unread: true, typeID: 2, limit: 5, companyID: 7 })).toEqual({ items: [stored], nextCursor: null });
    expect(await notify.unreadCount(1, { companyID: 7 })).toEqual(counts);
    expect(await notify.markRead(1, { typeID: 2 })).toEqual({ updated: 3 });
    expect(await notify.changeMessages(1, 'archive', { upTo: stored.id })).toEqual({ updated: 2 });
    expect(await notify.mintToken(1, 7, 60)).toEqual({ token: 'jwt', expiresAt: '2026-11-26T11:00:00.000Z' });
    expect(await notify.revokeUserTokens('u:1')).toEqual({ revokedBefore: '2026-11-26T10:00:00.123Z' });
    expect(await notify.revokeCompanyTokens(7)).toEqual({ revokedBefore: '2026-11-26T10:00:00.123Z' });

    expect(received.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'GET', url: '/v1/users/u%3A1/messages?unread=true&typeID=2&limit=5&companyID=7', body: undefined },
      { method: 'GET', url: '/v1/users/1/unread-count?companyID=7', body: undefined },
      { method: 'POST', url: '/v1/users/1/messages/read', body: { typeID: 2 } },
      { method: 'POST', url: '/v1/users/1/messages/archive', body: { upTo: stored.id } },
      { method: 'POST', url: '/v1/tokens', body: { uid: 1, companyID: 7, ttlSeconds: 60 } },
      { method: 'POST', url: '/v1/users/u%3A1/revoke-tokens', body: {} },
      { method: 'POST', url: '/v1/companies/7/revoke-tokens', body: {} },
    ]);
  });
});

describe('NotifyClient.sendBulk', () => {
  /** Answers every bulk request with fresh ids, one per record, as the api does. */
  const acceptBulk: Handler = (res, _attempt, request) => {
    const body = request.body as { messages?: unknown[]; dynamics?: unknown[] };
    json(res, 202, { ids: { messages: (body.messages ?? []).map(() => newRecordId()), dynamics: (body.dynamics ?? []).map(() => newRecordId()) }, status: 'queued' });
  };
  const bodies = () => received.map((request) => request.body as { messages?: { title: string }[]; dynamics?: { title: string }[] });
  const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ ...message, receiverID: i, title: `${prefix}${i}` }));

  it('splits a large input into requests of at most 1,000 records, each with its own key, and gives every id in order', async () => {
    handler = acceptBulk;
    const dynamics = [{ companyID: 7, operatorID: 2, operator: 'Bob', title: 'd0', content: '' }];
    const answer = await client().sendBulk({ messages: many(2500, 'm'), dynamics }, { idempotencyKey: 'digest-2026-12-01' });

    expect(bodies().map((body) => [body.messages?.length ?? 0, body.dynamics?.length ?? 0])).toEqual([[1000, 0], [1000, 0], [500, 1]]);
    expect(received.every((request) => request.url === '/v1/bulk')).toBe(true);
    expect(keys()).toEqual(['digest-2026-12-01.part0', 'digest-2026-12-01.part1', 'digest-2026-12-01.part2']);
    expect(answer.ids.messages).toHaveLength(2500);
    expect(answer.ids.dynamics).toHaveLength(1);
    expect(bodies().flatMap((body) => body.messages ?? []).map((m) => m.title)).toEqual(many(2500, 'm').map((m) => m.title));
  });

  it('splits by size too, and gives a key of its own to each request when the caller gave none', async () => {
    handler = acceptBulk;
    const big = many(10, 'b').map((m) => ({ ...m, content: 'x'.repeat(1000) }));
    await client({ bulkMaxBytes: 3500 }).sendBulk({ messages: big });

    // About 1,090 bytes of JSON each: three fit in 3,500 bytes with the body's own.
    expect(bodies().map((body) => body.messages?.length)).toEqual([3, 3, 3, 1]);
    expect(bodies().every((body) => Buffer.byteLength(JSON.stringify(body)) <= 3500)).toBe(true);
    expect(new Set(keys()).size).toBe(4);
  });

  it('rejects with the failing request’s error, and sends the same keys when called again', async () => {
    handler = (res, attempt, request) => (attempt === 2 ? json(res, 400, { error: { code: 'invalid_input', message: 'no', issues: [] } }) : acceptBulk(res, attempt, request));
    const input = { messages: many(1500, 'r') };
    const error = await client().sendBulk(input, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotifyApiError);
    await client().sendBulk(input, { idempotencyKey: 'k' });
    expect(keys()).toEqual(['k.part0', 'k.part1', 'k.part0', 'k.part1']);
  });

  it('sends nothing for no records', async () => {
    handler = acceptBulk;
    expect(await client().sendBulk({})).toEqual({ ids: { messages: [], dynamics: [] }, status: 'queued' });
    expect(received).toEqual([]);
  });
});
