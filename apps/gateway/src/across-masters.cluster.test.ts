import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busShardChannel, busShardOf } from '@notify/contracts';
import { presenceKeys } from '@notify/presence';
import type { Cluster } from '@notify/redis';
import { connectTestRedis, masterOfKey, useInProcessStack } from '@notify/testing';

// On a Redis Cluster (the cluster project's): two companies whose presence keys (and so their
// online-count publishes) live on different masters, and users whose bus channels do too, with
// pages spread over two gateways. Everything reaches the right pages, counts included.
describe('send → page on a Redis Cluster, across masters and gateways', () => {
  const stack = useInProcessStack({ gateways: 2, env: { QUEUE_PARTITIONS: '3', PRESENCE_COALESCE_MS: '0' } });
  let admin: Cluster;
  beforeAll(() => {
    admin = connectTestRedis() as Cluster;
  });
  afterAll(() => admin.disconnect());

  /** The first of `candidates` whose key (by `keyOf`) is on another master than `other`'s. */
  async function onAnotherMaster(candidates: string[], keyOf: (id: string) => string, other: string): Promise<string> {
    const otherMaster = await masterOfKey(admin, keyOf(other));
    for (const candidate of candidates) {
      if ((await masterOfKey(admin, keyOf(candidate))) !== otherMaster) return candidate;
    }
    throw new Error(`none of ${candidates.join(',')} is on another master than ${other}`);
  }
  const ids = (prefix: string) => Array.from({ length: 50 }, (_, n) => `${prefix}${n}`);

  it('delivers messages and dynamics to every tab on both gateways, and counts each company online', async () => {
    const prefix = stack().env.REDIS_PREFIX as string;
    const presenceOf = (companyID: string) => presenceKeys(prefix, companyID, true).sessions;
    const channelOf = (uid: string) => busShardChannel(prefix, busShardOf(uid));
    const companyA = 'ca0';
    const companyB = await onAnotherMaster(ids('cb'), presenceOf, companyA);
    const alice = 'alice0';
    const bob = await onAnotherMaster(ids('bob'), channelOf, alice);
    expect(await masterOfKey(admin, presenceOf(companyB))).not.toBe(await masterOfKey(admin, presenceOf(companyA)));
    expect(await masterOfKey(admin, channelOf(bob))).not.toBe(await masterOfKey(admin, channelOf(alice)));

    // Alice (company A) has a tab on each gateway; Bob and Carol are in company B, one per gateway.
    const aliceTabs = [await stack().page(alice, companyA, { gateway: 0 }), await stack().page(alice, companyA, { gateway: 1 })];
    const bobTab = await stack().page(bob, companyB, { gateway: 1 });
    const carolTab = await stack().page('carol', companyB, { gateway: 0 });

    for (const tab of aliceTabs) await tab.waitFor('update_online_count', (count) => count === 1);
    for (const tab of [bobTab, carolTab]) await tab.waitFor('update_online_count', (count) => count === 2);
    expect((await stack().client.request('GET', `/v1/companies/${companyA}/online`)).body).toEqual({ count: 1, uids: [alice] });
    expect((await stack().client.request('GET', `/v1/companies/${companyB}/online`)).body).toEqual({ count: 2, uids: [bob, 'carol'].sort() });

    const toAlice = await stack().client.sendMessage({ companyID: companyA, receiverID: alice, typeID: 1, title: 'for alice', content: '' });
    const toBob = await stack().client.sendMessage({ companyID: companyB, receiverID: bob, typeID: 1, title: 'for bob', content: '' });
    expect([toAlice.status, toBob.status]).toEqual([202, 202]);
    for (const tab of aliceTabs) await tab.waitFor('new_msg', (m) => m.id === toAlice.body.ids[0]);
    await bobTab.waitFor('new_msg', (m) => m.id === toBob.body.ids[0]);

    const inB = await stack().client.sendDynamic({ companyID: companyB, operatorID: 'op', operator: 'Op', title: 'for company B', content: '' });
    const inA = await stack().client.sendDynamic({ companyID: companyA, operatorID: 'op', operator: 'Op', title: 'for company A', content: '' });
    for (const tab of [bobTab, carolTab]) await tab.waitFor('update_dynamic', (d) => d.id === inB.body.id);
    for (const tab of aliceTabs) await tab.waitFor('update_dynamic', (d) => d.id === inA.body.id);

    // Each page got only its own: the company A dynamic (sent after B's) reached Alice, so B's would have too.
    for (const tab of aliceTabs) expect(tab.events('update_dynamic').map((d) => d.companyID)).toEqual([companyA]);
    const toCarol = await stack().client.sendMessage({ companyID: companyB, receiverID: 'carol', typeID: 1, title: 'marker', content: '' });
    await carolTab.waitFor('new_msg', (m) => m.id === toCarol.body.ids[0]);
    expect(carolTab.events('new_msg').map((m) => m.title)).toEqual(['marker']);

    // Bob leaves: company B's count drops on the other gateway's page.
    bobTab.close();
    await carolTab.waitFor('update_online_count', (count) => count === 1);
    expect(aliceTabs[0]?.events('update_online_count').at(-1)).toBe(1);
  });
});
