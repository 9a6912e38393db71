import { describe, expect, it } from 'vitest';
import { busChannel, busShardChannel, busShardOf } from '@notify/contracts';
import { isCluster } from '@notify/redis';
import { connectTestRedis, onBusShardOf, openPage, scrapeMetrics, useInProcessStack, waitUntil } from '@notify/testing';

// Every gateway receives every bus event; one with no socket in the event's room (nor in its
// older-page twin) drops it before parsing it, as the socket.io Redis adapter checks the room
// before it decodes. What pages receive does not change.
describe('bus events for rooms without a socket here', () => {
  const stack = useInProcessStack({ gateways: 2, logLevel: 'warn', env: { LEGACY_PAGES: 'login' } });
  const skipped = async (gateway: number) => (await scrapeMetrics(stack().gatewayUrls[gateway] as string)).get('notify_gateway_bus_events_skipped_total');

  it('are dropped unread by a gateway with no socket there, and handled by the one with', async () => {
    const onFirst = await stack().page('rc-1', 'rc', { gateway: 0 });
    const before = [await skipped(0), await skipped(1)];
    const sent = await stack().client.sendMessage({ companyID: 'rc', receiverID: 'rc-1', typeID: 1, title: 'only on the first', content: '' });
    await onFirst.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    // The dynamic goes to company rc, where the first gateway has a socket and the second none.
    const dynamic = await stack().client.sendDynamic({ companyID: 'rc', operatorID: 'op', operator: 'Op', title: 'd', content: '' });
    await onFirst.waitFor('update_dynamic', (d) => d.id === dynamic.body.id);
    // Both envelopes reached the second gateway before this marker, which it has a page for (on one
    // server; on a Redis Cluster they and the marker are on different bus shards: hence the polls).
    const onSecond = await stack().page('rc-2', 'rc2', { gateway: 1 });
    const marker = await stack().client.sendMessage({ companyID: 'rc2', receiverID: 'rc-2', typeID: 1, title: 'marker', content: '' });
    await onSecond.waitFor('new_msg', (m) => m.id === marker.body.ids[0]);

    await expect.poll(() => skipped(1), { timeout: 5000 }).toBe((before[1] as number) + 2);
    // The first gateway had a socket in rc-1's and rc's rooms, and none in rc-2's.
    await expect.poll(() => skipped(0), { timeout: 5000 }).toBe((before[0] as number) + 1);
  });

  it('are handled by a gateway whose only socket there is an older page, in the twin room', async () => {
    const older = await openPage(stack().gatewayUrls[1] as string, { login: { uid: 'rc-3', companyID: 'rc', token: await stack().token('rc-3', 'rc') } });
    const before = await skipped(1);
    const sent = await stack().client.sendMessage({ companyID: 'rc', receiverID: 'rc-3', typeID: 1, title: 'to an older page', content: '' });
    expect(await older.waitFor('new_msg', (m) => m.id === sent.body.ids[0])).toMatchObject({ title: 'to an older page' });
    expect(await skipped(1)).toBe(before);
  });

  it('drop a malformed envelope for a room without a socket unread, and still report one for a room with', async () => {
    // On rc-4's bus shard, so one gateway's marker for it comes after whatever was published there before.
    const otherUid = onBusShardOf('rc-4', 'rc-5');
    const page = await stack().page('rc-4', 'rc', { gateway: 0 });
    const other = await stack().page(otherUid, 'rc', { gateway: 1 });
    const redis = connectTestRedis();
    try {
      const prefix = stack().env.REDIS_PREFIX as string;
      // On a Redis Cluster, both on rc-4's bus shard (and otherUid's), where the markers go too.
      const publish = (message: string) =>
        isCluster(redis) ? redis.spublish(busShardChannel(prefix, busShardOf('rc-4')), message) : redis.publish(busChannel(prefix), message);
      await publish('{"room":"uid:nobody-here","type":"message.stored", this is not JSON');
      await publish('{"room":"uid:rc-4","type":"message.stored","origin":"test","payload":{}}');
      // A marker for each gateway: published after the envelopes, so each has read them when its marker arrives.
      const markers = await stack().client.sendMessage({ companyID: 'rc', receiverIDs: ['rc-4', otherUid], typeID: 1, title: 'marker', content: '' });
      await page.waitFor('new_msg', (m) => m.id === markers.body.ids[0]);
      await other.waitFor('new_msg', (m) => m.id === markers.body.ids[1]);
      await waitUntil(() => stack().logs.of('gateway').some((line) => String(line.msg).startsWith('bus: dropped a malformed envelope')), {
        timeoutMs: 5000,
        message: 'the malformed envelope for rc-4 is reported',
      });
      const reports = stack().logs.of('gateway').filter((line) => String(line.msg).startsWith('bus: dropped'));
      // Reported once on the first gateway (rc-4's page is there) and on neither for nobody-here.
      expect(reports).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });
});
