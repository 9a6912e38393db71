import { describe, expect, it } from 'vitest';
import { type Page, useInProcessStack, waitUntil } from '@notify/testing';

// A message reaches every tab of its receiver, on every gateway, and nobody else; a dynamic reaches
// every page of its company and no other company; a read on one gateway reaches the tabs on the other.
describe('fan-out to rooms across gateways', () => {
  const stack = useInProcessStack({ gateways: 2 });
  let opened = 0;
  // Pages alternate between the two gateways, so every room spans both.
  const page = (uid: number, companyID: number) => stack().page(uid, companyID, { gateway: opened++ % 2 });

  it('delivers a message to both tabs of user 1 only, and a dynamic to company 7 only', async () => {
    const [tab1a, tab1b, tab2, tab3] = await Promise.all([page(1, 7), page(1, 7), page(2, 7), page(3, 8)]);
    const everyone: Page[] = [tab1a, tab1b, tab2, tab3];

    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'For user 1', content: 'hello' });
    expect(sent.status).toBe(202);
    const [messageId] = sent.body.ids;
    for (const tab of [tab1a, tab1b]) {
      expect(await tab.waitFor('new_msg', (m) => m.id === messageId)).toMatchObject({ receiverID: '1', title: 'For user 1' });
    }

    const dynamic = await stack().client.sendDynamic({ companyID: 7, operatorID: 2, operator: 'Bob', title: 'created a task', content: 'Task 5' });
    expect(dynamic.status).toBe(202);
    for (const tab of [tab1a, tab1b, tab2]) {
      expect(await tab.waitFor('update_dynamic', (d) => d.id === dynamic.body.id)).toMatchObject({ companyID: '7', operator: 'Bob' });
    }

    // Flush: a later message to user 3 arrives after anything misrouted before it would have.
    const marker = await stack().client.sendMessage({ companyID: 8, receiverID: 3, typeID: 1, title: 'marker', content: '' });
    await tab3.waitFor('new_msg', (m) => m.id === marker.body.ids[0]);
    const marker2 = await stack().client.sendMessage({ companyID: 7, receiverID: 2, typeID: 1, title: 'marker', content: '' });
    await tab2.waitFor('new_msg', (m) => m.id === marker2.body.ids[0]);

    expect(tab2.events('new_msg').map((m) => m.id)).not.toContain(messageId);
    expect(tab3.events('new_msg').map((m) => m.id)).not.toContain(messageId);
    expect(tab3.events('update_dynamic')).toEqual([]);
    for (const tab of everyone) expect(tab.events('new_msg').every((m) => m.receiverID === (tab === tab3 ? '3' : tab === tab2 ? '2' : '1'))).toBe(true);
  });

  it('sends one message to many receivers with receiverIDs, one id each', async () => {
    const [tab4, tab5, tab6] = await Promise.all([page(4, 7), page(5, 7), page(6, 7)]);
    const sent = await stack().client.sendMessage({ companyID: 7, receiverIDs: [4, '5', 4], typeID: 2, title: 'Team notice', content: 'x' });
    expect(sent.status).toBe(202);
    expect(sent.body.ids).toHaveLength(2);
    const [to4, to5] = sent.body.ids;
    expect(await tab4.waitFor('new_msg', (m) => m.id === to4)).toMatchObject({ receiverID: '4' });
    expect(await tab5.waitFor('new_msg', (m) => m.id === to5)).toMatchObject({ receiverID: '5' });
    const marker = await stack().client.sendMessage({ companyID: 7, receiverID: 6, typeID: 1, title: 'marker', content: '' });
    await tab6.waitFor('new_msg', (m) => m.id === marker.body.ids[0]);
    expect(tab6.events('new_msg').map((m) => m.title)).toEqual(['marker']);
    expect(tab4.events('new_msg').filter((m) => m.title === 'Team notice')).toHaveLength(1);
  });
  it('gives a user with a tab on each gateway every message once on each, and a read on one to the other', async () => {
    const [tabA, tabB] = await Promise.all([stack().page('both-1', 'sg', { gateway: 0 }), stack().page('both-1', 'sg', { gateway: 1 })]);
    const ids: string[] = [];
    for (let n = 0; n < 20; n++) {
      const sent = await stack().client.sendMessage({ companyID: 'sg', receiverID: 'both-1', typeID: (n % 3) + 1, title: `m${n}`, content: '' });
      ids.push(sent.body.ids[0] as string);
    }
    for (const tab of [tabA, tabB]) {
      await waitUntil(() => ids.every((id) => tab.events('new_msg').some((m) => m.id === id)), { timeoutMs: 10_000, message: 'all 20 on this tab' });
    }
    // One bus event, one emit per gateway: each tab has each message once.
    for (const tab of [tabA, tabB]) expect(tab.events('new_msg').map((m) => m.id).sort()).toEqual([...ids].sort());

    // Read on the tab on gateway 0: the tab on gateway 1 hears about it too.
    expect(await tabA.emitWithAck('read', { ids: ids.slice(0, 5) })).toEqual({ updated: 5 });
    await tabB.waitFor('msg_read', (s) => 'ids' in s && s.ids.length === 5);
    await tabB.waitFor('unread_count', (u) => u.total === 15);
  });
});
