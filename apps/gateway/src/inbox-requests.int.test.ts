import { describe, expect, it } from 'vitest';
import type { Dynamic, Message } from '@notify/contracts';
import { requestOf, sendMany, useInProcessStack, waitUntil, type Page } from '@notify/testing';

/** Every item of a list, read page by page in one direction with `cursor` ('before' or 'after'). */
async function readAll<T extends { id: string }>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

// A page lists and pages through its own inbox, its company's feed and its counts with its own
// token: the same filters and cursors as the HTTP api, answered in the ack.
describe('page-side reads', () => {
  const stack = useInProcessStack();

  it('pages through its messages newest first with before, and forward with after, without gaps or repeats', async () => {
    const api = stack().client;
    const ids = await sendMany(47, async (n) => (await api.sendMessage({ companyID: 3, receiverID: 'lister', typeID: ((n % 3) + 1) as 1 | 2 | 3, title: `n${n}`, content: '' })).body.ids[0] as string);
    const page = await stack().page('lister', 3);
    await waitUntil(async () => (await requestOf(page, 'counts')).total === 47, { timeoutMs: 10_000, message: 'all stored' });
    const newestFirst = [...ids].sort().reverse();

    const backwards = await readAll<Message>((before) => requestOf(page, 'list_messages', { limit: 10, ...(before ? { before } : {}) }));
    expect(backwards.map((m) => m.id)).toEqual(newestFirst);
    const oldest = newestFirst.at(-1) as string;
    const forwards = await readAll<Message>((after) => requestOf(page, 'list_messages', { limit: 10, after: after ?? oldest }));
    expect(forwards.map((m) => m.id).sort()).toEqual(newestFirst.slice(0, -1).sort());
    const firstForward = await requestOf(page, 'list_messages', { limit: 3, after: oldest });
    expect(firstForward.items.map((m) => m.id)).toEqual([...newestFirst].reverse().slice(1, 4).reverse());

    // The HTTP api pages the same way.
    const http = await api.request('GET', `/v1/users/lister/messages?limit=3&after=${oldest}`);
    expect(http.body).toEqual(firstForward);
  });

  it('filters like the HTTP api, plus archived, and answers its counts', async () => {
    const api = stack().client;
    const page = await stack().page('filterer', 3);
    const ids = await sendMany(6, async (n) => (await api.sendMessage({ companyID: n < 3 ? 3 : 4, receiverID: 'filterer', typeID: n % 2 ? 2 : 1, title: `f${n}`, content: '' })).body.ids[0] as string, 1);
    await Promise.all(ids.map((id) => page.waitFor('new_msg', (m) => m.id === id)));
    const [f0, f1, f2, f3, f4, f5] = ids as [string, string, string, string, string, string];
    await requestOf(page, 'read', { ids: [f0, f3] });
    await requestOf(page, 'archive', { ids: [f1, f4] });
    const list = async (request: Record<string, unknown>) => (await requestOf(page, 'list_messages', request)).items.map((m) => m.id);

    expect(await list({})).toEqual([f5, f3, f2, f0]);
    expect(await list({ unread: true })).toEqual([f5, f2]);
    expect(await list({ typeID: 2 })).toEqual([f5, f3]);
    expect(await list({ companyID: 4 })).toEqual([f5, f3]);
    expect(await list({ archived: true })).toEqual([f4, f1]);
    expect(await list({ archived: true, companyID: '3' })).toEqual([f1]);
    expect(await requestOf(page, 'counts')).toEqual({ total: 2, byType: { '1': 1, '2': 1, '3': 0 }, unseen: 2, version: expect.any(Number) });
  });

  it("pages through its own company's feed only, newest first with before and forward with after, at most 100 a page", async () => {
    const api = stack().client;
    const mine = await sendMany(25, async (n) => (await api.sendDynamic({ companyID: 'feed-co', operatorID: 'o', operator: 'O', title: `d${n}`, content: '' })).body.id as string);
    await api.sendDynamic({ companyID: 'other-co', operatorID: 'o', operator: 'O', title: 'not yours', content: '' });
    const page = await stack().page('reader', 'feed-co');
    await waitUntil(async () => (await requestOf(page, 'list_dynamics', { limit: 100 })).items.length === 25, { timeoutMs: 10_000, message: 'all stored' });

    const feed = await readAll<Dynamic>((before) => requestOf(page, 'list_dynamics', { limit: 10, ...(before ? { before } : {}) }));
    expect(feed.map((d) => d.id)).toEqual([...mine].sort().reverse());
    expect(feed.every((d) => d.companyID === 'feed-co')).toBe(true);
    const oldest = feed.at(-1)?.id as string;
    const forwards = await readAll<Dynamic>((after) => requestOf(page, 'list_dynamics', { limit: 10, after: after ?? oldest }));
    expect(forwards.map((d) => d.id).sort()).toEqual(feed.slice(0, -1).map((d) => d.id).sort());
    expect(await page.emitWithAck('list_dynamics', { companyID: 'other-co' })).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await page.emitWithAck('list_dynamics', { limit: 101 })).toMatchObject({
      error: { code: 'invalid_input', issues: [expect.objectContaining({ path: 'limit' })] },
    });
  });
});
