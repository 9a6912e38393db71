import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { useInProcessStack, waitUntil, type Page } from '@notify/testing';

/** Emits `read` `n` times at once; resolves with every ack that came (the socket may be dropped before the rest). */
function flood(page: Page, n: number): { acks: unknown[] } {
  const acks: unknown[] = [];
  // Hostile on purpose: as many events as the socket can write, each with an ack.
  const emit = (page.socket as unknown as { emit: (...args: unknown[]) => void }).emit.bind(page.socket);
  for (let i = 0; i < n; i += 1) emit('read', { ids: ['01K00000000000000000000000'] }, (ack: unknown) => acks.push(ack));
  return { acks };
}

const isRateLimited = (ack: unknown) => ApiErrorBody.safeParse(ack).success && (ack as ApiErrorBody).error.code === 'rate_limited';

// Issue 14, item 7: one socket may not send events without limit.
describe('events per socket', () => {
  describe('with a small limit (5 a second, bursts of 5)', () => {
    const stack = useInProcessStack({ env: { SOCKET_EVENTS_PER_SECOND: '5', SOCKET_EVENT_BURST: '5' } });

    it('handles a burst, answers the next event rate_limited without handling it, and lets events through again later', async () => {
      const page = await stack().page('slow', 7);
      const acks = await Promise.all(Array.from({ length: 6 }, () => page.emitWithAck('read', { all: true })));
      expect(acks.slice(0, 5)).toEqual(Array(5).fill({ updated: 0 }));
      expect(acks[5]).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/5 a second/) } });
      // The bucket refills at 5 a second: a read is handled again, on a socket that is still connected.
      await waitUntil(async () => !isRateLimited(await page.emitWithAck('read', { all: true })), { timeoutMs: 5000, message: 'a read is handled again' });
      expect(page.socket.connected).toBe(true);
    });

    it('disconnects a socket that keeps sending over the limit, and counts it', async () => {
      const page = await stack().page('flooder', 7);
      const { acks } = flood(page, 100);
      await page.waitForDisconnect(5000);
      // At most the burst was handled; everything else answered was refused.
      expect(acks.filter((ack) => !isRateLimited(ack)).length).toBeLessThanOrEqual(5);
      const metrics = await (await fetch(`${stack().gatewayUrls[0]}/metrics`)).text();
      expect(metrics).toMatch(/^notify_gateway_rate_limit_disconnects_total\{app="gateway"\} 1$/m);
      expect(Number(/^notify_gateway_rate_limited_events_total\{app="gateway"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(5);
    });
  });

  describe('with the defaults (20 a second, bursts of 50)', () => {
    const stack = useInProcessStack({ gateways: 1 });

    it('drops a socket flooding 20,000 reads, while another user on the same gateway gets its messages', async () => {
      const bystander = await stack().page('bystander', 8);
      const flooder = await stack().page('flooder', 7);
      const { acks } = flood(flooder, 20_000);
      const during = await stack().client.sendMessage({ companyID: 8, receiverID: 'bystander', typeID: 1, title: 'during the flood', content: '' });
      expect(during.status).toBe(202);
      await bystander.waitFor('new_msg', (message) => message.id === during.body.ids[0], 10_000);
      await flooder.waitForDisconnect(10_000);
      expect(acks.filter((ack) => !isRateLimited(ack)).length).toBeLessThanOrEqual(50 + 20 * 10);

      // The gateway still serves: a new page of the flooding user logs in and reads.
      const again = await stack().page('flooder', 7);
      expect(await again.emitWithAck('read', { all: true })).toEqual({ updated: 0 });
      const after = await stack().client.sendMessage({ companyID: 8, receiverID: 'bystander', typeID: 1, title: 'after', content: '' });
      await bystander.waitFor('new_msg', (message) => message.id === after.body.ids[0], 10_000);
    });
  });
});
