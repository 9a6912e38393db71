import { describe, expect, it } from 'vitest';
import type { InboxCounts } from '@notify/contracts';
import { openStackQueue, requestOf, shownCounts, unversioned, useInProcessStack, waitUntil, type Page } from '@notify/testing';

/** A page's own list of messages, as the page asks for it. */
const listOf = (page: Page, request: Record<string, unknown> = {}) => requestOf(page, 'list_messages', request);

// Every change a page or a backend makes to a user's messages reaches every page of that user, on
// every gateway, as an event and versioned counts; nobody else hears of it or can cause it.
describe('message states across pages and gateways', () => {
  const stack = useInProcessStack({ gateways: 2 });
  const api = () => stack().client;

  const send = async (uid: string, count: number, fields: Record<string, unknown> = {}) => {
    const ids: string[] = [];
    for (let n = 0; n < count; n += 1) {
      const response = await api().sendMessage({ companyID: 7, receiverID: uid, typeID: 1, title: `m${n}`, content: '', ...fields });
      expect(response.status).toBe(202);
      ids.push(response.body.ids[0] as string);
    }
    return ids;
  };
  const receivedAll = (page: Page, ids: readonly string[]) =>
    Promise.all(ids.map((id) => page.waitFor('new_msg', (message) => message.id === id)));

  it.each([
    { made: 'on one page, or over HTTP', uid: 'ann', allOverHttp: false },
    { made: 'over HTTP, every one', uid: 'ann-http', allOverHttp: true },
  ])('shows seen, read, unread, archive, unarchive and delete made $made, on both pages', async ({ uid, allOverHttp }) => {
    const [tabA, tabB, stranger] = await Promise.all([
      stack().page(uid, 7, { gateway: 0 }),
      stack().page(uid, 7, { gateway: 1 }),
      stack().page(`${uid}-stranger`, 7, { gateway: 1 }),
    ]);
    const ids = await send(uid, 4);
    await Promise.all([receivedAll(tabA, ids), receivedAll(tabB, ids)]);
    const [m0, m1, m2, m3] = ids as [string, string, string, string];

    const steps: [by: 'page' | 'http', change: string, selector: object, event: string, expected: string[]][] = [
      ['page', 'seen', { upTo: m1 }, 'msg_seen', [m0, m1]],
      ['http', 'read', { ids: [m0, m2] }, 'msg_read', [m0, m2]],
      ['page', 'unread', { ids: [m0] }, 'msg_unread', [m0]],
      ['http', 'archive', { ids: [m1, m3] }, 'msg_archived', [m1, m3]],
      ['page', 'unarchive', { ids: [m3] }, 'msg_unarchived', [m3]],
      ['page', 'delete', { ids: [m2] }, 'msg_deleted', [m2]],
    ];
    for (const [by, change, selector, event, expected] of steps) {
      const answer =
        by === 'page' && !allOverHttp
          ? await tabA.emitWithAck(change as 'read', selector)
          : (await api().request('POST', `/v1/users/${uid}/messages/${change}`, { body: selector })).body;
      expect(answer, change).toEqual({ updated: expected.length });
      for (const tab of [tabA, tabB]) {
        const got = await tab.waitFor(event as 'msg_seen', (payload) => expected.every((id) => payload.ids.includes(id)));
        expect(got.ids.sort(), `${change} on ${tab === tabA ? 'A' : 'B'}`).toEqual([...expected].sort());
      }
    }

    // Both pages end on the counts and the list the server has: m0 unread (seen), m3 unread (unseen), m1 archived, m2 gone.
    const truth = (await api().request('GET', `/v1/users/${uid}/unread-count`)).body as InboxCounts;
    expect(truth).toMatchObject({ total: 2, byType: { '1': 2 }, unseen: 1 });
    for (const tab of [tabA, tabB]) {
      await expect.poll(() => unversioned(shownCounts(tab)), { timeout: 5000 }).toEqual(unversioned(truth));
      const inbox = await listOf(tab);
      expect(inbox.items.map((m) => [m.id, m.isRead, m.isSeen, m.isArchived])).toEqual([
        [m3, false, false, false],
        [m0, false, true, false],
      ]);
      expect((await listOf(tab, { archived: true })).items.map((m) => m.id)).toEqual([m1]);
    }

    // The other user heard nothing: a marker sent to them after all of it is their only message.
    const [marker] = await send(`${uid}-stranger`, 1);
    await stranger.waitFor('new_msg', (message) => message.id === marker);
    expect(stranger.events('new_msg').map((m) => m.id)).toEqual([marker]);
    for (const event of ['msg_seen', 'msg_read', 'msg_unread', 'msg_archived', 'msg_unarchived', 'msg_deleted'] as const) {
      expect(stranger.events(event), event).toEqual([]);
    }
    expect(stranger.events('unread_count').every((counts) => counts.total <= 1)).toBe(true);
  });

  it("changes and reveals nothing when a page names another user's message ids", async () => {
    const victimIds = await send('carol', 3);
    const [victim, attacker] = await Promise.all([stack().page('carol', 7), stack().page('mallory', 7, { gateway: 1 })]);
    await waitUntil(async () => (await listOf(victim)).items.length === 3, { timeoutMs: 5000, message: 'stored' });

    for (const change of ['seen', 'read', 'unread', 'archive', 'unarchive', 'delete'] as const) {
      expect(await attacker.emitWithAck(change, { ids: victimIds }), change).toEqual({ updated: 0 });
      expect(await attacker.emitWithAck(change, { upTo: victimIds.at(-1) }), change).toEqual({ updated: 0 });
    }
    // Requests carry no uid: a payload naming one is refused, and lists only ever hold the socket's own.
    expect(await attacker.emitWithAck('list_messages', { uid: 'carol' })).toMatchObject({ error: { code: 'invalid_input' } });
    expect((await listOf(attacker)).items).toEqual([]);

    const list = await listOf(victim);
    expect(list.items.map((m) => [m.id, m.isRead, m.isSeen, m.isArchived])).toEqual(victimIds.reverse().map((id) => [id, false, false, false]));
    expect((await api().request('GET', '/v1/users/carol/unread-count')).body).toMatchObject({ total: 3, unseen: 3 });
    // A marker to the victim after the attack: no change event came before it.
    const [marker] = await send('carol', 1);
    await victim.waitFor('new_msg', (message) => message.id === marker);
    for (const event of ['msg_seen', 'msg_read', 'msg_unread', 'msg_archived', 'msg_unarchived', 'msg_deleted'] as const) {
      expect(victim.events(event), event).toEqual([]);
    }
  });

  it('refuses changes and requests before login, with the error shape of the HTTP api', async () => {
    const { openPage } = await import('@notify/testing');
    const older = await openPage(stack().gatewayUrls[0] as string, { raw: true });
    for (const event of ['read', 'archive', 'list_messages', 'list_dynamics', 'counts', 'catch_up'] as const) {
      expect(await older.emitWithAck(event, {}), event).toEqual({ error: { code: 'unauthorized', message: 'login first' } });
    }
    const page = await stack().page('dave', 7);
    expect(await page.emitWithAck('archive', { ids: 'all' })).toMatchObject({ error: { code: 'invalid_input', issues: [expect.anything()] } });
    expect(await page.emitWithAck('list_messages', { before: 'x', after: 'y', limit: 500 })).toMatchObject({
      error: { code: 'invalid_input', issues: expect.arrayContaining([expect.objectContaining({ path: 'limit' })]) },
    });
  });

  it('announces a retried message as it is stored: read stays read, deleted stays gone', async () => {
    const page = await stack().page('erin', 7);
    const key = { 'Idempotency-Key': 'erin-retry-1' };
    const body = { companyID: 7, receiverID: 'erin', typeID: 2, title: 'once', content: '' };
    const first = await api().sendMessage(body, key);
    const [id] = first.body.ids as [string];
    await page.waitFor('new_msg', (message) => message.id === id);
    expect(await page.emitWithAck('read', { ids: [id] })).toEqual({ updated: 1 });

    // The completed job is gone (as after its retention): the same key enqueues the same id again.
    const queue = openStackQueue(stack());
    try {
      await waitUntil(async () => (await queue.getJobState(id)) === 'completed', { timeoutMs: 5000, message: 'job completed' });
      await queue.remove(id);
      const again = await api().sendMessage(body, key);
      expect(again.body.ids).toEqual([id]);
      const replayed = await page.waitFor('new_msg', (message) => message.id === id && message !== page.events('new_msg')[0]);
      expect(replayed).toMatchObject({ id, isRead: true, isSeen: true });
      expect(shownCounts(page)).toMatchObject({ total: 0 });

      // Deleted, then enqueued once more: nothing is announced (a marker after it arrives alone).
      expect(await page.emitWithAck('delete', { ids: [id] })).toEqual({ updated: 1 });
      await waitUntil(async () => (await queue.getJobState(id)) === 'completed', { timeoutMs: 5000, message: 'job completed' });
      await queue.remove(id);
      const newMessagesBefore = page.events('new_msg').length;
      await api().sendMessage(body, key);
      await waitUntil(async () => (await queue.getJobState(id)) === 'completed', { timeoutMs: 5000, message: 'retried job completed' });
      const [marker] = await send('erin', 1);
      await page.waitFor('new_msg', (message) => message.id === marker);
      expect(page.events('new_msg').slice(newMessagesBefore).map((m) => m.id)).toEqual([marker]);
    } finally {
      await queue.close();
    }
  });
});
