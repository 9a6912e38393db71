import { describe, expect, it } from 'vitest';
import { BusPublisher } from '@notify/bus';
import { BusType, NEW_MESSAGE_STATE, newRecordId, type InboxCounts, type Message } from '@notify/contracts';
import { CountVersions, Inbox } from '@notify/inbox';
import { SqliteStore } from '@notify/store';
import { connectTestRedis, requestOf, sendMany, shownCounts, unversioned, useInProcessStack, type Page } from '@notify/testing';

// Every `unread_count` carries a version that only grows per user; a page keeps the highest it has
// seen, so it ends on the newest counts whatever order concurrent writers' events arrive in.
describe('counts under concurrent changes', () => {
  const stack = useInProcessStack({ gateways: 2 });

  const send = (uid: string) => async (n: number) => {
    const response = await stack().client.sendMessage({ companyID: 9, receiverID: uid, typeID: ((n % 3) + 1) as 1 | 2 | 3, title: `m${n}`, content: '' });
    if (response.status !== 202) throw new Error(`send answered ${response.status}`);
    return response.body.ids[0] as string;
  };

  it('ends every page on the count GET …/unread-count returns, while messages arrive and three writers mark read', async () => {
    const uid = 'busy';
    const pages = await Promise.all([0, 1, 0].map((gateway) => stack().page(uid, 9, { gateway })));
    const api = stack().client;
    const sent: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const newest = sent.at(-1);
      await Promise.all([
        sendMany(25, send(uid)).then((ids) => sent.push(...ids)),
        requestOf(pages[0] as Page, 'read', { all: true }),
        newest ? requestOf(pages[1] as Page, 'read', { upTo: newest }) : undefined,
        newest ? api.request('POST', `/v1/users/${uid}/messages/read`, { body: { ids: sent.slice(-10) } }) : undefined,
        requestOf(pages[2] as Page, 'seen', { all: true }),
      ]);
    }
    for (const page of pages) await Promise.all(sent.map((id) => page.waitFor('new_msg', (m) => m.id === id, 20_000)));

    const truth = (await api.request('GET', `/v1/users/${uid}/unread-count`)).body as InboxCounts;
    expect(truth.total).toBeGreaterThan(0);
    for (const page of pages) {
      await expect.poll(() => unversioned(shownCounts(page)), { timeout: 5000 }).toEqual(unversioned(truth));
    }
  });

  it('keeps a page on the newest counts when an older count is published after a newer one', async () => {
    // A worker's moves, made by hand so the race happens every time: it stores a message and reads
    // the counts, then a page marks everything read (stored, counted and published at once), then
    // the worker publishes its now stale counts.
    const { env } = stack();
    const store = await SqliteStore.open({ path: env.SQLITE_PATH as string, messagesCapRows: 1000 });
    const redis = connectTestRedis();
    try {
      const bus = new BusPublisher(redis, { prefix: env.REDIS_PREFIX as string, origin: 'slow-worker' });
      const worker = new Inbox({ store, bus, versions: new CountVersions(redis, { prefix: env.REDIS_PREFIX as string }) });
      const page = await stack().page('race', 9);
      const late: Message = { id: newRecordId(), companyID: '9', receiverID: 'race', typeID: 1, title: 'late', content: '', date: new Date().toISOString(), ...NEW_MESSAGE_STATE };
      await store.insertMessages([late]);
      const stale = await worker.countsAfterChange('race');
      expect(stale.total).toBe(1);

      expect(await requestOf(page, 'read', { all: true })).toEqual({ updated: 1 });
      await page.waitFor('msg_read', (changed) => 'ids' in changed && changed.ids.includes(late.id));
      await bus.publish(BusType.messageStored, { message: late, unread: stale });
      // The stale counts arrive (after the message, as their own packet), and the page keeps the newer.
      await page.waitFor('new_msg', (m) => m.id === late.id);
      expect(await page.waitFor('unread_count', (counts) => counts.version === stale.version)).toEqual(stale);
      expect(shownCounts(page)).toMatchObject({ total: 0, unseen: 0 });
      expect(unversioned(shownCounts(page))).toEqual(unversioned((await stack().client.request('GET', '/v1/users/race/unread-count')).body as InboxCounts));
    } finally {
      redis.disconnect();
      await store.close();
    }
  });
});
