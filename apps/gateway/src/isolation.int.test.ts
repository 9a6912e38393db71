import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, openPage, useInProcessStack, waitUntil, type Page } from '@notify/testing';

// No user can receive another user's messages or another company's dynamics or
// presence. The attacker holds only browser tokens for uid 1 of company 7 and tries every event
// sequence below, on both of two gateways; the victims are uid 2 (company 7) and company 8.

describe('a token for uid 1 never yields uid 2’s messages or company 8’s dynamics and presence', () => {
  const stack = useInProcessStack({ gateways: 2, env: { LOGIN_TIMEOUT_MS: '4000' } });
  let api: ApiClient;
  let gwA: string;
  let gwB: string;

  beforeAll(() => {
    api = stack().client;
    [gwA, gwB] = stack().gatewayUrls as [string, string];
  });

  const sendTo2 = async (typeID: number, title: string) => {
    const sent = await api.sendMessage({ companyID: 7, receiverID: 2, typeID, title, content: 'for uid 2 only' });
    expect(sent.status).toBe(202);
    return sent.body.ids[0] as string;
  };
  const unreadOf2 = async () => (await api.request('GET', '/v1/users/2/unread-count')).body.total as number;

  it('holds against every sequence', async () => {
    const token1 = await api.mintToken(1, 7);

    // Victims first, and some of uid 2's messages already stored (so a replay could leak them).
    const victim = await openPage(gwA, { token: await api.mintToken(2, 7) });
    const company8 = await Promise.all(['c8-1', 'c8-2', 'c8-3'].map(async (uid, n) => openPage(n % 2 ? gwB : gwA, { token: await api.mintToken(uid, 8) })));
    const earlyIds = [await sendTo2(1, 'early 1'), await sendTo2(2, 'early 2'), await sendTo2(3, 'early 3')];
    await Promise.all(earlyIds.map((id) => victim.waitFor('new_msg', (m) => m.id === id, 10_000)));

    const attackers = new Map<string, Page>();
    const refusedLogins: string[] = [];
    const expectRefused = async (name: string, page: Page, payload: Record<string, unknown>) => {
      const ack = await page.emitWithAck('login', payload);
      if (!ack || !('error' in ack)) refusedLogins.push(`${name}: ${JSON.stringify(payload)} → ${JSON.stringify(ack)}`);
    };

    for (const [gateway, side] of [[gwA, 'A'], [gwB, 'B']] as const) {
      // Authenticated as 1 in the handshake, then tries to become 2, or 1 of company 8.
      const switcher = await openPage(gateway, { token: token1 });
      await expectRefused(`switch-${side}`, switcher, { uid: 2, companyID: 7, token: token1 });
      await expectRefused(`switch-${side}`, switcher, { uid: 2, companyID: 7 });
      await expectRefused(`switch-${side}`, switcher, { uid: '2', companyID: '7', token: '' });
      await expectRefused(`switch-${side}`, switcher, { uid: 1, companyID: 8, token: token1 });
      attackers.set(`switch-${side}`, switcher);

      // The handshake names uid 2 and company 8 beside a token of 1 (query and auth), and asks for
      // a replay since before 2's messages: it reconnects with that auth on the same socket.
      const extras = await openPage(`${gateway}?uid=2&companyID=8&since=${earlyIds[0]}`, { token: token1 });
      await extras.waitFor('unread_count');
      extras.socket.disconnect();
      extras.socket.auth = { token: token1, uid: 2, companyID: 8, cid: 8, sub: 2, since: earlyIds[0] };
      extras.socket.connect();
      await waitUntil(() => extras.connections === 2 && extras.events('unread_count').length === 2, { timeoutMs: 5000, message: 'extras reconnected' });
      attackers.set(`extras-${side}`, extras);

      // Logged in the old way as 1, with extra fields naming rooms; then tries to log in as 2.
      const legacy = await openPage(gateway, { login: { uid: 1, companyID: 7, token: token1, rooms: ['uid:2', 'company:8'], room: 'company:8', since: earlyIds[0] } });
      expect(legacy.loginAck).toEqual({ uid: '1', companyID: '7' });
      await expectRefused(`legacy-${side}`, legacy, { uid: 2, companyID: 7, token: token1 });
      await expectRefused(`legacy-${side}`, legacy, { uid: 1, companyID: 8, token: token1 });
      attackers.set(`legacy-${side}`, legacy);

      // Two logins at once, a forged one for 2 and a real one for 1: whatever wins, it is not 2.
      const racer = await openPage(gateway, { raw: true });
      const forged = racer.emitWithAck('login', { uid: 2, companyID: 7, token: token1 }).catch(() => undefined);
      const real = racer.emitWithAck('login', { uid: 1, companyID: 7, token: token1 }).catch(() => undefined);
      await Promise.all([forged, real]);
      attackers.set(`racer-${side}`, racer);

      // Straight to 2 with 1's token, and to 2 with no token at all: refused and dropped.
      for (const [name, payload] of [
        [`as-2-${side}`, { uid: 2, companyID: 7, token: token1 }],
        [`unsigned-2-${side}`, { uid: 2, companyID: 7 }],
        [`company-8-${side}`, { uid: 1, companyID: 8, token: token1 }],
        [`number-vs-string-${side}`, { uid: '02', companyID: 7, token: token1 }],
      ] as const) {
        const page = await openPage(gateway, { raw: true });
        await expectRefused(name, page, payload);
        attackers.set(name, page);
      }
    }
    expect(refusedLogins).toEqual([]);

    // A reader: marks uid 2's messages read by id, by type and all, from a page of 1 and from the api as 1.
    const before = await unreadOf2();
    expect(before).toBe(3);
    const reader = attackers.get('switch-A') as Page;
    expect(await reader.emitWithAck('read', { ids: earlyIds })).toEqual({ updated: 0 });
    expect(await reader.emitWithAck('read', { typeID: 1 })).toEqual({ updated: 0 });
    expect(await reader.emitWithAck('read', { all: true })).toEqual({ updated: 0 });
    expect((await api.request('POST', '/v1/users/1/messages/read', { body: { ids: earlyIds } })).body).toEqual({ updated: 0 });
    expect(await unreadOf2()).toBe(3);

    // Traffic the attacker must not see: messages to 2 (one shared with company 8), company 8's
    // feed, company 8's presence going 3 → 5 → 4, and 2 reading one of its own messages.
    const lateIds = [await sendTo2(1, 'late 1'), await sendTo2(3, 'late 2')];
    const shared = await api.sendMessage({ companyID: 8, receiverIDs: [2, 'c8-1'], typeID: 2, title: 'shared', content: '' });
    lateIds.push(shared.body.ids[0] as string);
    const dynamics8: string[] = [];
    for (const n of [1, 2, 3]) dynamics8.push((await api.sendDynamic({ companyID: 8, operatorID: 'c8-1', operator: 'Eve', title: `c8 ${n}`, content: '' })).body.id as string);
    const more8 = await Promise.all(['c8-4', 'c8-5'].map(async (uid) => openPage(gwB, { token: await api.mintToken(uid, 8) })));
    await company8[0]!.waitFor('update_online_count', (n) => n === 5, 10_000);
    more8[0]!.close();
    await company8[0]!.waitFor('update_online_count', (n) => n === 4, 10_000);
    expect(await victim.emitWithAck('read', { ids: [lateIds[0]] })).toEqual({ updated: 1 });

    // Everything above has reached the gateways once the victims have it; then a marker for 1 and
    // one for company 7 travel the same channel behind it.
    await Promise.all(lateIds.map((id) => victim.waitFor('new_msg', (m) => m.id === id, 10_000)));
    await victim.waitFor('msg_read', (selector) => 'ids' in selector && selector.ids.includes(lateIds[0] as string));
    for (const page of company8) await Promise.all(dynamics8.map((id) => page.waitFor('update_dynamic', (d) => d.id === id, 10_000)));
    const marker = (await api.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'marker for 1', content: '' })).body.ids[0] as string;
    const marker7 = (await api.sendDynamic({ companyID: 7, operatorID: 1, operator: 'Mallory', title: 'marker for 7', content: '' })).body.id as string;

    const connected = [...attackers].filter(([, page]) => page.socket.connected);
    const loggedIn = connected.filter(([, page]) => page.events('unread_count').length > 0);
    // The sockets logged in as 1 must get the markers (proof they would have seen anything before them).
    expect(loggedIn.map(([name]) => name)).toEqual(expect.arrayContaining(['switch-A', 'switch-B', 'legacy-A', 'legacy-B', 'extras-A', 'extras-B']));
    for (const [, page] of loggedIn) {
      await page.waitFor('new_msg', (m) => m.id === marker, 10_000);
      await page.waitFor('update_dynamic', (d) => d.id === marker7, 10_000);
    }

    const leaks: string[] = [];
    for (const [name, page] of attackers) {
      for (const m of page.events('new_msg')) if (m.receiverID !== '1') leaks.push(`${name} got new_msg ${m.id} of ${m.receiverID}`);
      for (const d of page.events('update_dynamic')) if (d.companyID !== '7') leaks.push(`${name} got update_dynamic of company ${d.companyID}`);
      // Company 7 never has more than 2 users online (1 and 2); company 8 has 3 to 5.
      for (const n of page.events('update_online_count')) if (n > 2) leaks.push(`${name} got update_online_count ${n}`);
      // uid 1 has at most the marker unread; uid 2 has several.
      for (const u of page.events('unread_count')) if (u.total > 1) leaks.push(`${name} got unread_count ${u.total}`);
      for (const s of page.events('msg_read')) leaks.push(`${name} got msg_read ${JSON.stringify(s)}`);
    }
    expect(leaks).toEqual([]);

    expect((await api.request('GET', '/v1/companies/7/online')).body).toEqual({ count: 2, uids: ['1', '2'] });
    expect((await api.request('GET', '/v1/companies/8/online')).body).toEqual({ count: 4, uids: ['c8-1', 'c8-2', 'c8-3', 'c8-5'] });

    // And nothing the attacker did changed uid 2's inbox: 5 unread (3 early, 2 of the late 3; one read by 2 itself).
    await waitUntil(async () => (await unreadOf2()) === 5, { timeoutMs: 10_000, message: 'uid 2 has 5 unread' });
    expect((await api.request('GET', '/v1/users/2/messages?unread=true&limit=100')).body.items.map((m: { id: string }) => m.id).sort()).toEqual(
      [...earlyIds, ...lateIds.slice(1)].sort(),
    );
  });
});
