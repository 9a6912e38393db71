import { describe, expect, it } from 'vitest';
import { ApiClient, useStack, waitUntil } from '@notify/testing';

// SPEC: while Redis is unreachable the api answers 503 within 2 s (never a hang), and everything it
// answered 202 for before is stored and delivered once Redis is back.
describe('Redis outage', () => {
  const fx = useStack();

  it('answers 503 fast while Redis is down and recovers by itself afterwards', async () => {
    await fx.stack.redis.stop();
    // A hang fails the request after 5 s; the api must answer well before that.
    const down = await fx.api.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'down', content: '' }, {}, AbortSignal.timeout(5000));
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: { code: 'unavailable' } });
    expect((await fetch(`${fx.stack.apiUrl}/readyz`, { signal: AbortSignal.timeout(5000) })).status).toBe(503);

    await fx.stack.redis.restart();
    await waitUntil(async () => (await fetch(`${fx.stack.apiUrl}/readyz`)).status === 200, { timeoutMs: 15_000, message: 'api ready again' });
    const page = await fx.page(1, 7);
    let sent: Awaited<ReturnType<ApiClient['sendMessage']>> | undefined;
    await waitUntil(async () => {
      sent = await fx.api.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'back', content: '' });
      return sent.status === 202;
    }, { timeoutMs: 15_000, message: 'api accepts again' });
    await page.waitFor('new_msg', (m) => m.id === sent?.body.ids[0], 20_000);
    await page.close();
  });
});
