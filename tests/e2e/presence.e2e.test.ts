import { describe, expect, it } from 'vitest';
import { useStack } from '@notify/testing';

// Acceptance 3: the company's online count counts users, not tabs.
describe('online count', () => {
  const fx = useStack();

  const page = (uid: number, companyID: number) => fx.page(uid, companyID);
  const online = async (companyID: number) => (await fx.api.request('GET', `/v1/companies/${companyID}/online`)).body;

  it('counts user 1 once across two tabs, and drops them only when the last tab closes', async () => {
    const tab1a = await page(1, 7);
    const tab1b = await page(1, 7);
    const tab2 = await page(2, 7);
    const outsider = await page(9, 8);

    await tab2.waitFor('update_online_count', (count) => count === 2);
    await tab1a.waitFor('update_online_count', (count) => count === 2);
    await outsider.waitFor('update_online_count', (count) => count === 1);
    expect(await online(7)).toEqual({ count: 2, uids: expect.arrayContaining(['1', '2']) });

    const seenByTab2 = tab2.events('update_online_count').length;
    await tab1a.close();
    await tab1b.close();
    await tab2.waitFor('update_online_count', (count) => count === 1);
    // Events come in order on one socket: had closing the first tab changed the count, it would show here.
    expect(tab2.events('update_online_count').slice(seenByTab2)).toEqual([1]);
    expect(await online(7)).toEqual({ count: 1, uids: ['2'] });

    // Company 8 never hears about company 7.
    // Exactly its own company's two: the count sent at its login, and the company-8 broadcast of
    // its own arrival (0 → 1). Nothing when company 7 changed.
    expect(outsider.events('update_online_count')).toEqual([1, 1]);
    expect(await online(8)).toEqual({ count: 1, uids: ['9'] });
  });

  // A gateway restart reconnects a whole company at once. Each arrival changes the count, and each
  // change would go to every page of the company: the broadcasts are merged per company
  // (PRESENCE_COALESCE_MS, 1 s by default), and every page still ends on the exact count.
  it('merges the broadcasts of a burst of arrivals, and every page ends on the exact count', async () => {
    const observer = await page(100, 50);
    await observer.waitFor('update_online_count', (count) => count === 1);
    const before = observer.events('update_online_count').length;

    const arrivals = await Promise.all(Array.from({ length: 40 }, (_, n) => page(101 + n, 50)));
    await observer.waitFor('update_online_count', (count) => count === 41);
    await Promise.all(arrivals.map((arrival) => arrival.waitFor('update_online_count', (count) => count === 41)));
    expect(await online(50)).toMatchObject({ count: 41 });

    // One broadcast per arrival would be 40 here.
    const seen = observer.events('update_online_count').slice(before);
    expect(seen.length).toBeLessThan(10);
    expect(seen.at(-1)).toBe(41);
  });
});
