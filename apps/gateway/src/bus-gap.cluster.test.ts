import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busShardChannel, busShardOf } from '@notify/contracts';
import { notBeforeKey } from '@notify/auth';
import type { Cluster } from '@notify/redis';
import { connectTestRedis, dropConnections, masterOfKey, shardedSubscriberName, useInProcessStack } from '@notify/testing';

// On a Redis Cluster a gateway subscribes to every bus shard, one connection per master. When one
// of them drops (its master failing over, a network blip), events published on that shard
// meanwhile never reach the gateway; once every shard delivers again it replays each logged-in
// user's unread messages, sends `resync`, and checks open sessions against token cut-offs, as it
// does after losing its only subscription on one server (tests/e2e/bus-gap.e2e.test.ts).
describe('a gateway that lost a bus shard on a Redis Cluster', () => {
  const stack = useInProcessStack();
  let admin: Cluster;
  beforeAll(() => {
    admin = connectTestRedis() as Cluster;
  });
  afterAll(() => admin.disconnect());

  const subscriberName = () => shardedSubscriberName(`${stack().env.REDIS_PREFIX as string}:gateway:sub`);

  it("replays its users' unread messages and says resync once the shard's subscription is back", async () => {
    const tab = await stack().page('gap-1', 60);
    const other = await stack().page('gap-2', 60);
    const sent = await stack().client.sendMessage({ companyID: 60, receiverID: 'gap-1', typeID: 1, title: 'before the gap', content: '' });
    const id = sent.body.ids[0] as string;
    await tab.waitFor('new_msg', (m) => m.id === id);

    const master = await masterOfKey(admin, busShardChannel(stack().env.REDIS_PREFIX as string, busShardOf('gap-1')));
    expect(await dropConnections(admin, subscriberName(), master)).toBe(1);

    const replayed = await tab.waitFor('new_msg', (m) => m.id === id && m.replayed === true, 10_000);
    expect(replayed.title).toBe('before the gap');
    await tab.waitFor('resync');
    await other.waitFor('resync');

    // Live delivery works again, on every shard.
    const after = await stack().client.sendMessage({ companyID: 60, receiverID: 'gap-2', typeID: 1, title: 'after the gap', content: '' });
    await other.waitFor('new_msg', (m) => m.id === after.body.ids[0] && m.replayed === undefined);
    // One outage, one replay: no second resync came before the live message.
    expect(tab.events('resync')).toHaveLength(1);
    expect(tab.events('new_msg').filter((m) => m.id === id && m.replayed === true)).toHaveLength(1);
  });

  it('ends the sessions a cut-off it never heard of covers, once its shards are back', async () => {
    const prefix = stack().env.REDIS_PREFIX as string;
    const tab = await stack().page('cut-1', 61);
    // A revocation whose bus event never came (written as the api writes it, not published).
    await admin.set(notBeforeKey(prefix, { uid: 'cut-1' }), String(Date.now()));

    expect(await dropConnections(admin, subscriberName())).toBe(admin.nodes('master').length);
    expect(await tab.waitFor('session_ended', undefined, 10_000)).toEqual({ reason: 'revoked' });
  });
});
