import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, closeAllPages, openPage, waitUntil, startStack, type Page, type Stack } from '@notify/testing';

// SPEC Scaling out: each gateway subscribes to the bus and emits to its own sockets, so a user with
// one tab on gateway A and one on gateway B gets everything on both; presence lives in Redis, so
// every gateway reports the same counts, and the api's online endpoint agrees.

describe('two gateways on one Redis', () => {
  let stack: Stack;
  let api: ApiClient;
  let gwA: string;
  let gwB: string;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    api = stack.client;
    [gwA, gwB] = stack.gatewayUrls as [string, string];
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  const page = async (gateway: string, uid: string, companyID: string) => openPage(gateway, { token: await api.mintToken(uid, companyID) });

  it('delivers every message, dynamic and read to a user’s tabs on both gateways', async () => {
    const [tabA, tabB] = await Promise.all([page(gwA, 'both-1', 'sg'), page(gwB, 'both-1', 'sg')]);
    const colleagueB = await page(gwB, 'colleague', 'sg');

    const ids: string[] = [];
    for (let n = 0; n < 20; n++) {
      const sent = await api.sendMessage({ companyID: 'sg', receiverID: 'both-1', typeID: (n % 3) + 1, title: `m${n}`, content: '' });
      ids.push(sent.body.ids[0] as string);
    }
    const dynamic = await api.sendDynamic({ companyID: 'sg', operatorID: 'colleague', operator: 'C', title: 'did a thing', content: '' });
    for (const tab of [tabA, tabB]) {
      await waitUntil(() => ids.every((id) => tab.events('new_msg').some((m) => m.id === id)), { timeoutMs: 10_000, message: 'all 20 on this tab' });
      await tab.waitFor('update_dynamic', (d) => d.id === dynamic.body.id);
    }
    await colleagueB.waitFor('update_dynamic', (d) => d.id === dynamic.body.id);
    expect(colleagueB.events('new_msg')).toEqual([]);
    // Each tab got each message, not twice (one bus event, one emit per gateway).
    for (const tab of [tabA, tabB]) expect(tab.events('new_msg').map((m) => m.id).sort()).toEqual([...ids].sort());

    // Read on the tab on A: the tab on B hears about it too.
    expect(await tabA.emitWithAck('read', { ids: ids.slice(0, 5) })).toEqual({ updated: 5 });
    await tabB.waitFor('msg_read', (s) => 'ids' in s && s.ids.length === 5);
    await tabB.waitFor('unread_count', (u) => u.total === 15);
  });

  it('reports the same online counts on both gateways and through the api, at every step', async () => {
    const company = 'presence-sg';
    const watcherA = await page(gwA, 'watch', company);
    const watcherB = await page(gwB, 'watch', company);
    const pages: Page[] = [watcherA, watcherB];
    /** Every open page of the company, on either gateway, ends on `count`, and the api says the same. */
    const agree = async (count: number, uids: string[]) => {
      const open = pages.filter((p) => p.socket.connected);
      await waitUntil(() => open.every((p) => p.events('update_online_count').at(-1) === count), {
        timeoutMs: 10_000,
        message: `every page shows ${count}: ${open.map((p) => p.events('update_online_count').at(-1)).join(',')}`,
      });
      expect((await api.request('GET', `/v1/companies/${company}/online`)).body).toEqual({ count, uids: [...uids].sort() });
    };
    await agree(1, ['watch']);

    const onlyA = await page(gwA, 'only-a', company);
    pages.push(onlyA);
    await agree(2, ['watch', 'only-a']);
    const onlyB = await page(gwB, 'only-b', company);
    pages.push(onlyB);
    await agree(3, ['watch', 'only-a', 'only-b']);
    const splitA = await page(gwA, 'split', company);
    const splitB = await page(gwB, 'split', company);
    pages.push(splitA, splitB);
    await agree(4, ['watch', 'only-a', 'only-b', 'split']);

    // Closing one of split's two tabs (on either gateway) changes nothing anywhere.
    const seen = pages.map((p) => p.events('update_online_count').length);
    splitA.close();
    const marker = await page(gwB, 'marker', company);
    pages.push(marker);
    await agree(5, ['watch', 'only-a', 'only-b', 'split', 'marker']);
    // Events come in order per socket: had closing splitA published a 3, it would sit before the 5.
    for (const [n, p] of pages.slice(0, seen.length).entries()) {
      if (p.socket.connected) expect(p.events('update_online_count').slice(seen[n])).toEqual([5]);
    }
    splitB.close();
    await agree(4, ['watch', 'only-a', 'only-b', 'marker']);
    onlyB.close();
    onlyA.close();
    marker.close();
    await agree(1, ['watch']);
    watcherB.close();
    // watch still has a tab on A.
    await agree(1, ['watch']);
    watcherA.close();
    await waitUntil(async () => (await api.request('GET', `/v1/companies/${company}/online`)).body.count === 0, {
      timeoutMs: 10_000,
      message: 'the company is empty',
    });
    // Never stuck, never negative: a new page counts 1 again.
    const again = await page(gwB, 'again', company);
    await again.waitFor('update_online_count', (n) => n === 1);
    expect((await api.request('GET', `/v1/companies/${company}/online`)).body).toEqual({ count: 1, uids: ['again'] });
  });
});
