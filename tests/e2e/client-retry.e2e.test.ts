import { randomUUID } from 'node:crypto';
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyClient } from '@notify/client';
import { useStack, waitUntil } from '@notify/testing';

/** How the proxy treats the first attempts of each POST (told apart by their Idempotency-Key). */
type Fault =
  /** Answers the first two attempts 503 itself; the api never sees them. */
  | 'unavailable-twice'
  /** Forwards the first attempt, lets the api answer, then drops the client's connection: accepted, never heard. */
  | 'drop-first-answer';

interface Attempt {
  key: string | undefined;
  /** The api's answer to a forwarded attempt; undefined when the proxy answered it. */
  api?: { status: number; body: string };
}

interface FlakyProxy {
  url: string;
  attempts: Attempt[];
  close(): Promise<void>;
}

const readBody = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/** A tiny HTTP proxy in front of the api that misbehaves on the first attempts of each POST. */
async function startFlakyProxy(target: string, fault: Fault): Promise<FlakyProxy> {
  const attempts: Attempt[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const key = req.headers['idempotency-key'] as string | undefined;
      const nth = req.method === 'POST' ? (seen.get(key ?? '') ?? 0) + 1 : 0;
      seen.set(key ?? '', nth);
      const attempt: Attempt = { key };
      if (req.method === 'POST') attempts.push(attempt);
      if (fault === 'unavailable-twice' && nth >= 1 && nth <= 2) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'unavailable', message: 'proxy says: not now' } }));
        return;
      }
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const { host: _host, ...headers } = req.headers;
        const upstream = forward(new URL(req.url ?? '/', target), { method: req.method, headers }, resolve);
        upstream.on('error', reject);
        upstream.end(body);
      });
      const answerBody = await readBody(answer);
      attempt.api = { status: answer.statusCode ?? 0, body: answerBody.toString() };
      if (fault === 'drop-first-answer' && nth === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.end(answerBody);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('NotifyClient retrying through a flaky network', () => {
  const fx = useStack({ gateways: 0 });
  let proxy: FlakyProxy | undefined;
  afterEach(() => proxy?.close());

  /** Sends one message through a proxy with `fault`; returns the answer and the receiver's stored messages. */
  async function sendThrough(fault: Fault) {
    proxy = await startFlakyProxy(fx.stack.apiUrl, fault);
    const receiverID = `retry-${randomUUID().slice(0, 8)}`;
    const client = new NotifyClient({ baseUrl: proxy.url, apiKey: fx.stack.apiKey, backoff: 20 });
    const answer = await client.sendMessage({ companyID: 7, receiverID, typeID: 1, title: 'once', content: 'only once' });

    const direct = new NotifyClient({ baseUrl: fx.stack.apiUrl, apiKey: fx.stack.apiKey });
    await waitUntil(async () => (await direct.listMessages(receiverID)).items.length > 0, {
      timeoutMs: 15_000,
      message: `the message to ${receiverID} is stored`,
    });
    return { answer, stored: (await direct.listMessages(receiverID, { limit: 100 })).items, attempts: proxy.attempts };
  }

  it('gets through two 503s, with one key on every attempt, and is stored once', async () => {
    const { answer, stored, attempts } = await sendThrough('unavailable-twice');

    expect(attempts).toHaveLength(3);
    expect(attempts[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(attempts.map((attempt) => attempt.key)).size).toBe(1);
    expect(stored.map((message) => message.id)).toEqual(answer.ids);
  });

  it('is stored once when the api accepted the first attempt but its answer was lost', async () => {
    const { answer, stored, attempts } = await sendThrough('drop-first-answer');

    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((attempt) => attempt.key)).size).toBe(1);
    // Both attempts reached the api; it answered the retry with the first attempt's ids, so
    // nothing but those ids was ever enqueued.
    const apiAnswers = attempts.map((attempt) => attempt.api);
    expect(apiAnswers.map((api) => api?.status)).toEqual([202, 202]);
    expect(apiAnswers.map((api) => JSON.parse(api?.body ?? '{}') as unknown)).toEqual([answer, answer]);
    expect(answer.ids).toHaveLength(1);
    expect(stored.map((message) => message.id)).toEqual(answer.ids);
  });
});
