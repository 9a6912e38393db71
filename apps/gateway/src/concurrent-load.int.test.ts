import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@notify/store';
import { type Page, useInProcessStack, waitUntil } from '@notify/testing';

// 500 messages sent concurrently to 50 users are stored once each; every open tab of the receiver
// gets every one of its ids, and no tab gets anyone else's.
describe('500 concurrent messages to 50 users', () => {
  const stack = useInProcessStack();

  it('stores each exactly once and delivers each to exactly its receiver’s tabs', async () => {
    const users = Array.from({ length: 50 }, (_, n) => `load-${n}`);
    const tabs = new Map<string, Page[]>();
    await Promise.all(
      users.map(async (uid, n) => {
        const count = n % 5 === 0 ? 2 : 1; // every fifth user has two tabs
        const pages = await Promise.all(Array.from({ length: count }, () => stack().page(uid, 70)));
        tabs.set(uid, pages);
      }),
    );
    const bystander = await stack().page('load-bystander', 70);

    const expected = new Map<string, Set<string>>(users.map((uid) => [uid, new Set()]));
    const sends = Array.from({ length: 500 }, async (_, n) => {
      const receiverID = users[n % users.length] as string;
      const response = await stack().client.sendMessage({ companyID: 70, receiverID, typeID: 1, title: `load ${n}`, content: String(n) });
      expect(response.status).toBe(202);
      expected.get(receiverID)?.add(response.body.ids[0] as string);
    });
    await Promise.all(sends);

    const allTabs = [...tabs.entries()].flatMap(([uid, pages]) => pages.map((page) => ({ uid, page })));
    const missing = () =>
      allTabs.filter(({ uid, page }) => {
        const got = new Set(page.events('new_msg').map((m) => m.id));
        return [...(expected.get(uid) ?? [])].some((id) => !got.has(id));
      }).length;
    await waitUntil(() => missing() === 0, { timeoutMs: 60_000, message: 'every tab received all of its ids' });

    for (const { uid, page } of allTabs) {
      const got = page.events('new_msg');
      expect(got.every((m) => m.receiverID === uid), `tab of ${uid} got another user's message`).toBe(true);
      expect(new Set(got.map((m) => m.id))).toEqual(expected.get(uid));
    }
    // Flush: a message to the bystander, sent after all 500, reaches it after anything misrouted would have.
    const marker = await stack().client.sendMessage({ companyID: 70, receiverID: 'load-bystander', typeID: 1, title: 'marker', content: '' });
    await bystander.waitFor('new_msg', (m) => m.id === marker.body.ids[0]);
    expect(bystander.events('new_msg').map((m) => m.title)).toEqual(['marker']);

    const store = await SqliteStore.open({ path: stack().sqlitePath, messagesCapRows: 1_000_000 });
    try {
      const stored = await Promise.all(users.map((uid) => store.listMessages({ receiverID: uid, limit: 100 })));
      const ids = stored.flat().map((m) => m.id);
      expect(ids).toHaveLength(500);
      expect(new Set(ids).size).toBe(500);
    } finally {
      await store.close();
    }
  });
});
