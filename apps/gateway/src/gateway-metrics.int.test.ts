import { describe, expect, it } from 'vitest';
import { openPage, scrapeMetrics, useInProcessStack, waitUntil } from '@notify/testing';

// The gateway's /metrics parses, and its counters move when a message flows.
describe('gateway metrics', () => {
  const stack = useInProcessStack();
  const scrape = () => scrapeMetrics(stack().gatewayUrls[0] as string);

  it('serves every gateway metric with HELP and TYPE, in a format Prometheus parses', async () => {
    const { text, samples, types } = await scrape();
    for (const [name, type] of [
      ['notify_gateway_connected_sockets', 'gauge'],
      ['notify_gateway_logged_in_sockets', 'gauge'],
      ['notify_gateway_online_users', 'gauge'],
      ['notify_gateway_events_emitted_total', 'counter'],
      ['notify_gateway_replayed_messages_total', 'counter'],
      ['notify_gateway_bus_lag_seconds', 'histogram'],
      ['notify_gateway_rate_limited_events_total', 'counter'],
      ['notify_gateway_rate_limit_disconnects_total', 'counter'],
    ] as const) {
      expect(text).toContain(`# HELP ${name} `);
      expect(types.get(name), name).toBe(type);
    }
    // The default process metrics are there too, labelled with the app.
    expect(samples.find((s) => s.name === 'process_resident_memory_bytes')?.labels).toMatchObject({ app: 'gateway' });
  });

  it('counts sockets, a room emit once per message, and the store-to-emit lag', async () => {
    const before = await scrape();
    const tabA = await stack().page(1, 7);
    const tabB = await stack().page(1, 7);
    const anonymous = await openPage(stack().gatewayUrls[0] as string, { raw: true });
    await tabA.waitFor('update_online_count');
    await tabB.waitFor('update_online_count');

    const open = await scrape();
    expect(open.get('notify_gateway_connected_sockets')).toBe(3);
    expect(open.get('notify_gateway_logged_in_sockets')).toBe(2);
    expect(open.get('notify_gateway_online_users')).toBe(1);

    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'metrics', content: 'counted' });
    expect(sent.status).toBe(202);
    const id = sent.body.ids[0];
    await tabA.waitFor('new_msg', (message) => message.id === id);
    await tabB.waitFor('new_msg', (message) => message.id === id);

    // Both tabs got it from one emit to the user's room: counted once, and one lag observation.
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => after.get(name, labels) - before.get(name, labels);
    expect(delta('notify_gateway_events_emitted_total', { event: 'new_msg' })).toBe(1);
    // One per tab at login, and one with the message.
    expect(delta('notify_gateway_events_emitted_total', { event: 'unread_count' })).toBe(3);
    expect(delta('notify_gateway_bus_lag_seconds_count', { type: 'message.stored' })).toBe(1);
    const lag = delta('notify_gateway_bus_lag_seconds_sum', { type: 'message.stored' });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
    expect(after.get('notify_gateway_bus_lag_seconds_bucket', { type: 'message.stored', le: '+Inf' })).toBe(
      after.get('notify_gateway_bus_lag_seconds_count', { type: 'message.stored' }),
    );
    // Flush: the gateway answers the anonymous socket after it sent the message to the room; had the
    // socket been in that room, the message would have come before this ack.
    expect(await anonymous.emitWithAck('read', { all: true })).toMatchObject({ error: { code: 'unauthorized' } });
    expect(anonymous.events('new_msg')).toEqual([]);

    tabA.close();
    tabB.close();
    anonymous.close();
    await waitUntil(async () => (await scrape()).get('notify_gateway_connected_sockets') === 0, {
      timeoutMs: 5000,
      message: 'the connected sockets gauge is back to 0 after every page closed',
    });
    const closed = await scrape();
    expect(closed.get('notify_gateway_logged_in_sockets')).toBe(0);
    expect(closed.get('notify_gateway_online_users')).toBe(0);
  });

  it('counts the unread messages replayed at login', async () => {
    const sent = await stack().client.sendMessage({ companyID: 7, receiverIDs: [30], typeID: 2, title: 'while away', content: '' });
    const sent2 = await stack().client.sendMessage({ companyID: 7, receiverIDs: [30], typeID: 2, title: 'also while away', content: '' });
    const ids = [...sent.body.ids, ...sent2.body.ids];
    await waitUntil(
      async () => (await stack().client.request('GET', '/v1/users/30/messages?companyID=7')).body.items?.length === 2,
      { timeoutMs: 10_000, message: 'both messages for the offline user are stored' },
    );
    const before = await scrape();

    const page = await stack().page(30, 7);
    const replayed = await page.waitForCount('new_msg', 2);
    expect(replayed.map((message) => message.id)).toEqual(ids);

    const after = await scrape();
    expect(after.get('notify_gateway_replayed_messages_total') - before.get('notify_gateway_replayed_messages_total')).toBe(2);
    const emitted = (s: typeof after) => s.get('notify_gateway_events_emitted_total', { event: 'new_msg' });
    expect(emitted(after) - emitted(before)).toBe(2);
  });
});
