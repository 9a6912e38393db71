import { describe, expect, it } from 'vitest';
import { useInProcessStack, waitUntil, type Page } from '@notify/testing';

// The company's online count counts users, not tabs; presence lives in Redis, so every gateway
// reports the same counts, and the api's online endpoint agrees.
describe('online count', () => {
  const stack = useInProcessStack({ gateways: 2 });

  /** A page of `uid` in `companyID` on gateway `gateway` (0 or 1). */
  const page = (gateway: number, uid: string | number, companyID: string | number) => stack().page(uid, companyID, { gateway });
  const online = async (companyID: number) => (await stack().client.request('GET', `/v1/companies/${companyID}/online`)).body;

  it('counts user 1 once across two tabs, drops them only when the last tab closes, and tells no other company', async () => {
    // Company 8 has three users, so its counts (1, 2, 3) end above anything company 7 reaches (2).
    const outsiders = [await page(0, 9, 8), await page(1, 10, 8), await page(0, 11, 8)];
    const [outsider] = outsiders as [Page, Page, Page];
    await outsider.waitFor('update_online_count', (count) => count === 3);
    const heardBefore = outsider.events('update_online_count').length;

    const tab1a = await page(0, 1, 7);
    const tab1b = await page(1, 1, 7);
    const tab2 = await page(0, 2, 7);
    await tab2.waitFor('update_online_count', (count) => count === 2);
    await tab1a.waitFor('update_online_count', (count) => count === 2);
    expect(await online(7)).toEqual({ count: 2, uids: expect.arrayContaining(['1', '2']) });

    const seenByTab2 = tab2.events('update_online_count').length;
    tab1a.close();
    tab1b.close();
    await tab2.waitFor('update_online_count', (count) => count === 1);
    // Events come in order on one socket: had closing the first tab changed the count, it would show here.
    expect(tab2.events('update_online_count').slice(seenByTab2)).toEqual([1]);
    expect(await online(7)).toEqual({ count: 1, uids: ['2'] });

    // Flush: a dynamic of company 8, sent after every company-7 change, reaches the outsider after
    // anything misrouted before it would have.
    const marker = await stack().client.sendDynamic({ companyID: 8, operatorID: 9, operator: 'marker', title: 'marker', content: '' });
    await outsider.waitFor('update_dynamic', (dynamic) => dynamic.id === marker.body.id);
    // Company 8 may still hear its own merged count (3), never one of company 7's (1 or 2).
    expect(outsider.events('update_online_count').slice(heardBefore).filter((count) => count !== 3)).toEqual([]);
    expect(await online(8)).toEqual({ count: 3, uids: ['10', '11', '9'] });
  });

  // A gateway restart reconnects a whole company at once. Each arrival changes the count, and each
  // change would go to every page of the company: the broadcasts are merged per company
  // (PRESENCE_COALESCE_MS, 1 s by default), and every page still ends on the exact count.
  it('merges the broadcasts of a burst of arrivals, and every page ends on the exact count', async () => {
    const observer = await page(0, 100, 50);
    await observer.waitFor('update_online_count', (count) => count === 1);
    const before = observer.events('update_online_count').length;

    const arrivals = await Promise.all(Array.from({ length: 40 }, (_, n) => page(n % 2, 101 + n, 50)));
    await observer.waitFor('update_online_count', (count) => count === 41);
    await Promise.all(arrivals.map((arrival) => arrival.waitFor('update_online_count', (count) => count === 41)));
    expect(await online(50)).toMatchObject({ count: 41 });

    // One broadcast per arrival would be 40 here.
    const seen = observer.events('update_online_count').slice(before);
    expect(seen.length).toBeLessThan(10);
    expect(seen.at(-1)).toBe(41);
  });

  it('reports the same online counts on both gateways and through the api, at every step', async () => {
    const company = 'presence-sg';
    const watcherA = await page(0, 'watch', company);
    const watcherB = await page(1, 'watch', company);
    const pages: Page[] = [watcherA, watcherB];
    /** Every open page of the company, on either gateway, ends on `count`, and the api says the same. */
    const agree = async (count: number, uids: string[]) => {
      const open = pages.filter((p) => p.socket.connected);
      await waitUntil(() => open.every((p) => p.events('update_online_count').at(-1) === count), {
        timeoutMs: 10_000,
        message: `every page shows ${count}: ${open.map((p) => p.events('update_online_count').at(-1)).join(',')}`,
      });
      expect((await stack().client.request('GET', `/v1/companies/${company}/online`)).body).toEqual({ count, uids: [...uids].sort() });
    };
    await agree(1, ['watch']);

    const onlyA = await page(0, 'only-a', company);
    pages.push(onlyA);
    await agree(2, ['watch', 'only-a']);
    const onlyB = await page(1, 'only-b', company);
    pages.push(onlyB);
    await agree(3, ['watch', 'only-a', 'only-b']);
    const splitA = await page(0, 'split', company);
    const splitB = await page(1, 'split', company);
    pages.push(splitA, splitB);
    await agree(4, ['watch', 'only-a', 'only-b', 'split']);

    // Closing one of split's two tabs (on either gateway) changes nothing anywhere.
    const seen = pages.map((p) => p.events('update_online_count').length);
    splitA.close();
    const marker = await page(1, 'marker', company);
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
    await waitUntil(async () => (await stack().client.request('GET', `/v1/companies/${company}/online`)).body.count === 0, {
      timeoutMs: 10_000,
      message: 'the company is empty',
    });
    // Never stuck, never negative: a new page counts 1 again.
    const again = await page(1, 'again', company);
    await again.waitFor('update_online_count', (n) => n === 1);
    expect((await stack().client.request('GET', `/v1/companies/${company}/online`)).body).toEqual({ count: 1, uids: ['again'] });
  });
});
