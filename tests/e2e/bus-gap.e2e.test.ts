import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useStack } from '@notify/testing';

// Pub/sub keeps nothing for a subscriber that is away: a message a worker publishes while a
// gateway's subscription is down (Redis restarting, the connection dropped) would never reach that
// gateway's pages, though it is stored. Once subscribed again, the gateway replays each logged-in
// user's unread messages to their open pages, as at login; pages drop ids they already have.
describe('a gateway that lost the bus', () => {
  const fx = useStack();

  it('replays its users’ unread messages to their open pages once it is subscribed again', async () => {
    const tabA = await fx.page('gap-1', 60);
    const tabB = await fx.page('gap-1', 60);
    const other = await fx.page('gap-2', 60);
    const sent = await fx.api.sendMessage({ companyID: 60, receiverID: 'gap-1', typeID: 1, title: 'before the gap', content: '' });
    const id = sent.body.ids[0] as string;
    await tabA.waitFor('new_msg', (m) => m.id === id);
    await tabB.waitFor('new_msg', (m) => m.id === id);
    expect(tabA.events('new_msg').filter((m) => m.id === id)).toHaveLength(1);

    // Counts each page has had so far (login, then the live message): the replay adds one more.
    const countsBefore = tabA.events('unread_count').length;
    const otherCountsBefore = other.events('unread_count').length;

    // Drop every pub/sub connection: the gateway's bus subscription.
    const admin = new Redis(fx.stack.redis.url);
    try {
      expect(await admin.client('KILL', 'TYPE', 'pubsub')).toBeGreaterThan(0);
    } finally {
      admin.disconnect();
    }

    for (const tab of [tabA, tabB]) {
      const replayed = await tab.waitFor('new_msg', (m) => m.id === id && m.replayed === true, 10_000);
      expect(replayed.title).toBe('before the gap');
      // Pages that catch up are told to, for what the replay does not cover (states, dynamics).
      await tab.waitFor('resync');
    }
    await tabA.waitForCount('unread_count', countsBefore + 1);
    expect(tabA.events('unread_count').at(-1)).toMatchObject({ total: 1 });
    // The other user had nothing unread: once their replay is done, no message, only their count.
    await other.waitForCount('unread_count', otherCountsBefore + 1);
    expect(other.events('unread_count').at(-1)).toMatchObject({ total: 0 });
    expect(other.events('new_msg')).toEqual([]);

    // And live delivery works again.
    const after = await fx.api.sendMessage({ companyID: 60, receiverID: 'gap-2', typeID: 1, title: 'after the gap', content: '' });
    await other.waitFor('new_msg', (m) => m.id === after.body.ids[0] && m.replayed === undefined);
  });
});
