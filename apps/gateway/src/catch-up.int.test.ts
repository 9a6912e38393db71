import { describe, expect, it } from 'vitest';
import type { Dynamic, InboxCounts, Message } from '@notify/contracts';
import { requestOf, sendMany, unversioned, useInProcessStack, waitUntil, type ApiClient, type InProcessStack, type Page } from '@notify/testing';

/** What a page shows of its inbox: its message list (newest first), its activity feed and its counts. */
interface PageView {
  messages: Message[];
  dynamics: Dynamic[];
  counts: InboxCounts | undefined;
}

/** A page that opens its inbox the way a fresh page does: the first page of each list, and its counts. */
async function freshView(page: Page): Promise<PageView> {
  const messages = await requestOf(page, 'list_messages', { limit: 20 });
  const dynamics = await requestOf(page, 'list_dynamics', { limit: 20 });
  return { messages: messages.items, dynamics: dynamics.items, counts: await requestOf(page, 'counts') };
}

/** Sends message `n` to `uid` in company 9; resolves with its id. */
const message = (api: ApiClient, uid: string) => async (n: number) => {
  const response = await api.sendMessage({ companyID: 9, receiverID: uid, typeID: ((n % 3) + 1) as 1 | 2 | 3, title: `missed ${n}`, content: '' });
  if (response.status !== 202) throw new Error(`send answered ${response.status}`);
  return response.body.ids[0] as string;
};
const dynamic = (api: ApiClient) => async (n: number) => {
  const response = await api.sendDynamic({ companyID: 9, operatorID: 'op', operator: 'Olga', title: `did ${n}`, content: '' });
  if (response.status !== 202) throw new Error(`send answered ${response.status}`);
  return response.body.id as string;
};

/**
 * The offline drill: page B of a user holds the first page of its inbox and feed, loses its
 * connection (its transport closes, no goodbye) while many messages and dynamics are sent and page A
 * of the same user reads, archives and deletes; then it reconnects and catches up.
 */
async function drill(stack: InProcessStack, uid: string, missed: { messages: number; dynamics: number }) {
  const api = stack.client;
  const earlier = await sendMany(30, message(api, uid));
  await sendMany(10, dynamic(api));
  const tabA = await stack.page(uid, 9, { gateway: 0 });
  await waitUntil(async () => (await requestOf(tabA, 'counts')).total === earlier.length, { timeoutMs: 10_000, message: 'the earlier messages stored' });
  const tabB = await stack.page(uid, 9, { gateway: 1 });
  const held = await freshView(tabB);
  expect(held.messages).toHaveLength(20);

  // The transport closes under the page, as a network drop does: not a logout, not a client disconnect.
  tabB.socket.io.engine.transport.close();
  expect(await tabB.waitForDisconnect()).toBe('transport close');

  const missedIds = await sendMany(missed.messages, message(api, uid));
  const missedDynamics = await sendMany(missed.dynamics, dynamic(api));
  await Promise.all([...missedIds.map((id) => tabA.waitFor('new_msg', (m) => m.id === id, 20_000))]);
  await Promise.all(missedDynamics.map((id) => tabA.waitFor('update_dynamic', (d) => d.id === id, 20_000)));
  // Page A changes messages B holds and messages B never saw.
  const heldIds = held.messages.map((m) => m.id);
  await requestOf(tabA, 'read', { upTo: heldIds[5] });
  await requestOf(tabA, 'archive', { ids: [heldIds[1], missedIds[3]] });
  await requestOf(tabA, 'delete', { ids: [heldIds[0], heldIds[19], missedIds.at(-1)] });
  await requestOf(tabA, 'seen', { ids: missedIds.slice(10, 20) });

  tabB.socket.connect();
  await waitUntil(() => tabB.socket.connected, { timeoutMs: 5000, message: 'B reconnected' });
  const caughtUp = await requestOf(
    tabB,
    'catch_up',
    { messages: { oldest: heldIds.at(-1) }, dynamics: { oldest: held.dynamics.at(-1)?.id } },
    20_000,
  );
  return { tabA, tabB, held, caughtUp };
}

describe('catch-up after a gap', () => {
  const stack = useInProcessStack({ gateways: 2, env: { CATCH_UP_LIMIT: '2000' } });

  it('brings a page that missed 1,000 messages, 100 dynamics and changes made elsewhere to what a fresh page loads', async () => {
    const { tabB, held, caughtUp } = await drill(stack(), 'cu-1', { messages: 1000, dynamics: 100 });

    expect(caughtUp.complete).toBe(true);
    if (!caughtUp.messages?.complete || !caughtUp.dynamics?.complete) throw new Error('both lists complete expected');
    const view: PageView = { messages: caughtUp.messages.items, dynamics: caughtUp.dynamics.items, counts: caughtUp.counts };
    const fresh = await freshView(await stack().page('cu-1', 9));

    expect(view.messages.slice(0, 20)).toStrictEqual(fresh.messages);
    expect(view.dynamics.slice(0, 20)).toStrictEqual(fresh.dynamics);
    expect(unversioned(view.counts)).toEqual(unversioned(fresh.counts));
    // The whole range B held and everything after it, with every state, as the api lists it now.
    const pages: Message[] = [];
    let before: string | undefined;
    do {
      const response = await stack().client.request('GET', `/v1/users/cu-1/messages?limit=100${before ? `&before=${before}` : ''}`);
      pages.push(...(response.body.items as Message[]));
      before = response.body.nextCursor ?? undefined;
    } while (before !== undefined && before > (held.messages.at(-1)?.id ?? ''));
    expect(view.messages).toStrictEqual(pages.filter((m) => m.id >= (held.messages.at(-1)?.id ?? '')));
    expect(view.messages).toHaveLength(20 - 2 /* archived and deleted */ - 1 + 1000 - 2);
    // Live delivery goes on after the catch-up.
    const [next] = await sendMany(1, message(stack().client, 'cu-1'));
    await tabB.waitFor('new_msg', (m) => m.id === next);
  });

  it('answers a page that holds nothing new with its lists as they are', async () => {
    const page = await stack().page('cu-2', 9);
    const [only] = await sendMany(1, message(stack().client, 'cu-2'));
    await page.waitFor('new_msg', (m) => m.id === only);
    const answer = await requestOf(page, 'catch_up', { messages: { oldest: only } });
    expect(answer).toMatchObject({ complete: true, messages: { complete: true, items: [expect.objectContaining({ id: only })] } });
    expect(answer).not.toHaveProperty('dynamics');
  });
});

describe('catch-up over the gap limit', () => {
  const stack = useInProcessStack({ gateways: 2, env: { CATCH_UP_LIMIT: '50' } });

  it('tells a page that missed more than the limit to reload, and after reloading it equals a fresh page', async () => {
    const { tabB, caughtUp } = await drill(stack(), 'cu-3', { messages: 100, dynamics: 5 });

    expect(caughtUp.complete).toBe(false);
    expect(caughtUp.messages).toEqual({ complete: false });
    expect(caughtUp.dynamics).toMatchObject({ complete: true });
    const reloaded = await freshView(tabB);
    const fresh = await freshView(await stack().page('cu-3', 9));
    expect(reloaded.messages).toStrictEqual(fresh.messages);
    expect(unversioned(reloaded.counts)).toEqual(unversioned(fresh.counts));
    expect(unversioned(caughtUp.counts)).toEqual(unversioned(fresh.counts));
  });
});
