import { describe, expect, it } from 'vitest';
import { openPage, useInProcessStack, waitUntil } from '@notify/testing';

// Offline users get their unread messages when they log in; reading them on one tab updates every
// tab and the HTTP API.
describe('offline delivery and unread replay', () => {
  const stack = useInProcessStack({ env: { REPLAY_LIMIT: '3' } });

  const send = async (uid: number, title: string) => {
    const response = await stack().client.sendMessage({ companyID: 7, receiverID: uid, typeID: 3, title, content: 'body' });
    expect(response.status).toBe(202);
    return response.body.ids[0] as string;
  };
  const storedCount = async (uid: number) => {
    const response = await stack().client.request('GET', `/v1/users/${uid}/messages?limit=100`);
    return (response.body.items as unknown[]).length;
  };
  const page = async (uid: number, extra: Record<string, unknown> = {}) =>
    openPage(stack().gatewayUrls[0] as string, { login: { uid, companyID: 7, token: await stack().token(uid, 7), ...extra } });

  it('replays a message sent while offline, then read on one tab clears the badge on every tab', async () => {
    const id = await send(4, 'While you were away');
    await waitUntil(async () => (await storedCount(4)) === 1, { timeoutMs: 10_000, message: 'message stored' });

    const [tabA, tabB] = await Promise.all([page(4), page(4)]);
    for (const tab of [tabA, tabB]) {
      expect(await tab.waitFor('new_msg', (m) => m.id === id)).toMatchObject({ replayed: true, title: 'While you were away' });
      expect(await tab.waitFor('unread_count')).toMatchObject({ total: 1, byType: { '1': 0, '2': 0, '3': 1 }, unseen: 1 });
    }

    expect(await tabA.emitWithAck('read', { ids: [id] })).toEqual({ updated: 1 });
    for (const tab of [tabA, tabB]) {
      await tab.waitFor('unread_count', (count) => count.total === 0);
      expect(await tab.waitFor('msg_read')).toEqual({ ids: [id] });
    }
    const unread = await stack().client.request('GET', '/v1/users/4/unread-count');
    expect(unread.body).toEqual({ total: 0, byType: { '1': 0, '2': 0, '3': 0 }, unseen: 0, version: expect.any(Number) });

    // Reading again changes nothing and tells nobody.
    expect(await tabB.emitWithAck('read', { ids: [id] })).toEqual({ updated: 0 });
  });

  it('replays only the newest REPLAY_LIMIT unread, oldest first, and unread_count says how many there are', async () => {
    const ids = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push(await send(5, `m${n}`));
    await waitUntil(async () => (await storedCount(5)) === 5, { timeoutMs: 10_000, message: '5 messages stored' });

    const tab = await page(5);
    const unread = await tab.waitFor('unread_count');
    expect(unread.total).toBe(5);
    expect(tab.events('new_msg').map((m) => m.id)).toEqual(ids.slice(2));
    expect(tab.events('new_msg').every((m) => m.replayed === true)).toBe(true);
  });

  it('with since, replays only unread messages newer than that id', async () => {
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await send(6, `s${n}`));
    await waitUntil(async () => (await storedCount(6)) === 3, { timeoutMs: 10_000, message: '3 messages stored' });

    const tab = await page(6, { since: ids[0] });
    await tab.waitFor('unread_count');
    expect(tab.events('new_msg').map((m) => m.id)).toEqual(ids.slice(1));
  });

  it('pages through the HTTP list newest first with before/nextCursor', async () => {
    const ids = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push(await send(8, `p${n}`));
    await waitUntil(async () => (await storedCount(8)) === 5, { timeoutMs: 10_000, message: '5 stored' });
    const first = await stack().client.request('GET', '/v1/users/8/messages?limit=2');
    expect(first.body.items.map((m: { id: string }) => m.id)).toEqual([ids[4], ids[3]]);
    const second = await stack().client.request('GET', `/v1/users/8/messages?limit=2&before=${first.body.nextCursor}`);
    expect(second.body.items.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const last = await stack().client.request('GET', `/v1/users/8/messages?limit=2&before=${second.body.nextCursor}`);
    expect(last.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });
});
