import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, closeAllPages, openPage, startStack, waitUntil, type Page, type Stack } from '@notify/testing';

// Fault 2 (docs/contract.md, Guarantees: presence): a gateway killed with SIGKILL says no goodbye; its users stop
// counting within 30 s (heartbeat + expiry in Redis), users with a tab elsewhere keep counting, and
// its pages, sent to a surviving gateway as a load balancer would, get their unread replay.

const CONTRACT_BOUND_MS = 30_000;

/** Resolves once `page` gets an `update_online_count` of `value` after its first `mark` ones. */
const countAfter = (page: Page, mark: number, value: number, timeoutMs: number) =>
  waitUntil(() => page.events('update_online_count').slice(mark).includes(value), {
    timeoutMs,
    intervalMs: 20,
    message: `update_online_count ${value} (got ${page.events('update_online_count').slice(mark).join(', ') || 'none'})`,
  });

/** The company's count as the api sees it. */
const onlineOf = async (api: ApiClient, company: string) => (await api.request('GET', `/v1/companies/${company}/online`)).body as { count: number; uids: string[] };

describe('a gateway killed with SIGKILL, at the default PRESENCE_TTL_MS (30 s)', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    api = stack.client;
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('drops its users within 30 s, keeps users with a tab elsewhere, and its pages get their replay on the survivor', async () => {
    const [gwA, gwB] = stack.gatewayUrls as [string, string];
    const company = 'gk';
    const tokenOf = (uid: string) => api.mintToken(uid, company);
    const stay = await openPage(gwA, { token: await tokenOf('stay') });
    const splitA = await openPage(gwA, { token: await tokenOf('split') });
    const splitB = await openPage(gwB, { token: await tokenOf('split') });
    // The victim's page reconnects by itself, as a real one does; it can only retry the dead URL.
    const victim = await openPage(gwB, { token: await tokenOf('victim') }, { reconnection: true });
    await stay.waitFor('update_online_count', (n) => n === 3);
    expect(await onlineOf(api, company)).toEqual({ count: 3, uids: ['split', 'stay', 'victim'] });

    const before: string[] = [];
    for (const n of [1, 2, 3]) before.push((await api.sendMessage({ companyID: company, receiverID: 'victim', typeID: 1, title: `before ${n}`, content: '' })).body.ids[0] as string);
    await Promise.all(before.map((id) => victim.waitFor('new_msg', (m) => m.id === id)));

    const seenBeforeKill = stay.events('update_online_count').length;
    await stack.gateways[1]!.kill('SIGKILL');
    const killedAt = Date.now();
    await Promise.all([victim.waitForDisconnect(5000), splitB.waitForDisconnect(5000)]);

    // While the victim has no page anywhere, more messages for it are stored.
    const during: string[] = [];
    for (const n of [1, 2]) during.push((await api.sendMessage({ companyID: company, receiverID: 'victim', typeID: 2, title: `during ${n}`, content: '' })).body.ids[0] as string);

    await countAfter(stay, seenBeforeKill, 2, CONTRACT_BOUND_MS + 5000);
    const droppedAfterMs = Date.now() - killedAt;
    console.info(`gateway SIGKILL: its users stopped counting after ${droppedAfterMs} ms (bound ${CONTRACT_BOUND_MS} ms)`);
    expect(droppedAfterMs).toBeLessThanOrEqual(CONTRACT_BOUND_MS);
    expect(await onlineOf(api, company)).toEqual({ count: 2, uids: ['split', 'stay'] });
    // split kept a tab on A the whole time, so the count went 3 → 2, never lower.
    expect(stay.events('update_online_count').slice(seenBeforeKill)).toEqual([2]);
    expect(splitA.events('update_online_count').at(-1)).toBe(2);

    // The load balancer sends the victim's page to A: it gets all five unread, oldest first.
    victim.close();
    const seenBeforeBack = stay.events('update_online_count').length;
    const back = await openPage(gwA, { token: await tokenOf('victim') });
    const unread = await back.waitFor('unread_count');
    expect(unread.total).toBe(5);
    expect(back.events('new_msg').map((m) => m.id)).toEqual([...before, ...during]);
    expect(back.events('new_msg').every((m) => m.replayed === true)).toBe(true);
    await countAfter(stay, seenBeforeBack, 3, 5000);
    expect(await onlineOf(api, company)).toEqual({ count: 3, uids: ['split', 'stay', 'victim'] });

    // And live delivery to it works on the survivor.
    const after = await api.sendMessage({ companyID: company, receiverID: 'victim', typeID: 1, title: 'after', content: '' });
    await back.waitFor('new_msg', (m) => m.id === after.body.ids[0]);
  });
});

describe('gateways killed again and again, with a short PRESENCE_TTL_MS', () => {
  let stack: Stack;
  let api: ApiClient;
  const TTL_MS = 3000;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2, env: { PRESENCE_TTL_MS: String(TTL_MS) } });
    api = stack.client;
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('converges after each kill: counts never stick, never go negative, and match on every survivor', async () => {
    const company = 'gk2';
    const [gwA] = stack.gatewayUrls as [string];
    const watcher = await openPage(gwA, { token: await api.mintToken('watcher', company) });
    for (let round = 0; round < 3; round++) {
      const mark = watcher.events('update_online_count').length;
      const doomed = await stack.addGateway({ PRESENCE_TTL_MS: String(TTL_MS) });
      const pages: Page[] = [];
      for (const n of [0, 1, 2]) pages.push(await openPage(doomed.url, { token: await api.mintToken(`r${round}-${n}`, company) }));
      // One user also has a tab on the survivor, so only two of the three go.
      const alsoOnA = await openPage(gwA, { token: await api.mintToken(`r${round}-0`, company) });
      await countAfter(watcher, mark, 4 + round, 5000);
      const seenBeforeKill = watcher.events('update_online_count').length;
      await doomed.kill('SIGKILL');
      const killedAt = Date.now();
      await countAfter(watcher, seenBeforeKill, 2 + round, TTL_MS + 5000);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(TTL_MS);
      await waitUntil(async () => (await onlineOf(api, company)).count === 2 + round, { timeoutMs: 2000, message: 'the api agrees' });
      expect(alsoOnA.socket.connected).toBe(true);
      for (const page of pages) page.close();
    }
    // The original second gateway saw the same counts all along.
    const onB = await openPage(stack.gatewayUrls[1] as string, { token: await api.mintToken('late', company) });
    await onB.waitFor('update_online_count', (n) => n === 5);
    expect(watcher.events('update_online_count').every((n) => n >= 1)).toBe(true);
  });
});
