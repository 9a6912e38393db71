import { describe, expect, it } from 'vitest';
import { storedIds, useInProcessStack, waitUntil } from '@notify/testing';
import { NotifyClient } from './notify-client.js';

// sendBulk against the real api: an input larger than one request allows is split, and the same
// call made again (same input, same key) gets the same ids and stores nothing twice.
describe('NotifyClient.sendBulk against the api', () => {
  const stack = useInProcessStack({ gateways: 0 });
  const stored = () => storedIds(stack().sqlitePath, 'messages', 'cb-');

  it('splits 1,500 messages over requests, and a repeated call is stored once', async () => {
    const notify = new NotifyClient({ baseUrl: stack().apiUrl, apiKey: stack().apiKey });
    const messages = Array.from({ length: 1500 }, (_, n) => ({ companyID: 'cb', receiverID: `cb-${n % 40}`, typeID: 1 as const, title: `digest ${n}`, content: 'x'.repeat(300) }));
    const first = await notify.sendBulk({ messages }, { idempotencyKey: 'cb-digest' });
    expect(first.ids.messages).toHaveLength(1500);
    expect(new Set(first.ids.messages).size).toBe(1500);
    const again = await notify.sendBulk({ messages }, { idempotencyKey: 'cb-digest' });
    expect(again).toEqual(first);
    await waitUntil(() => stored().length >= 1500, { timeoutMs: 20_000, message: 'all 1,500 stored' });
    expect(new Set(stored())).toEqual(new Set(first.ids.messages));
    expect(stored()).toHaveLength(1500);
  });
});
