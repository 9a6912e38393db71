import { MongoClient } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { useStack, waitUntil } from '@notify/testing';

// The real api, worker and gateway on STORE=mongo (MONGO_URL's server, or the run's own FerretDB):
// what a user sees end to end, on the production store rather than SQLite.
const server = inject('mongoServer');
if (!server.url) console.log(`STORE=mongo end-to-end tests skipped: ${server.skipReason}`);

describe.skipIf(!server.url)(`the pipeline on STORE=mongo (${server.label ?? server.skipReason})`, () => {
  const fx = useStack({ store: 'mongo', mongoUrl: server.url });
  const UNREAD_NONE = { total: 0, byType: { '1': 0, '2': 0, '3': 0 } };

  const send = async (uid: string, typeID: number, title: string) => {
    const response = await fx.api.sendMessage({ companyID: 7, receiverID: uid, typeID, title, content: 'body' });
    expect(response.status).toBe(202);
    return response.body.ids[0] as string;
  };
  /**
   * Messages to `uid` in one request, so in one job: FerretDB 1.24 applies concurrent updates of one
   * document without isolation, so two jobs counting into the same counter at once can lose one
   * increment there (MongoDB's are atomic; the store suite's concurrency tests run on MongoDB).
   */
  const sendTogether = async (uid: string, messages: readonly (readonly [companyID: number, typeID: number, title: string])[]) => {
    const response = await fx.api.sendBulk({ messages: messages.map(([companyID, typeID, title]) => ({ companyID, receiverID: uid, typeID, title, content: 'body' })) });
    expect(response.status).toBe(202);
    return response.body.ids.messages;
  };
  const listed = async (uid: string, query = '') =>
    (await fx.api.request('GET', `/v1/users/${uid}/messages?limit=100${query}`)).body.items as { id: string; isRead: boolean }[];
  const unreadCount = async (uid: string, query = '') => (await fx.api.request('GET', `/v1/users/${uid}/unread-count${query}`)).body;
  // Stored and counted: on MongoDB a message is listed a moment before its counters are added to.
  const storedAndCounted = (uid: string, n: number) =>
    waitUntil(async () => (await listed(uid)).length === n && (await unreadCount(uid)).total === n, { timeoutMs: 10_000, message: `${n} stored and counted` });

  it('stores a message in the MongoDB database, delivers it live to an open page, and lists it', async () => {
    const page = await fx.page('m-live', 7);
    const id = await send('m-live', 2, 'Live on mongo');

    expect(await page.waitFor('new_msg', (m) => m.id === id)).toMatchObject({ title: 'Live on mongo', typeID: 2, isRead: false });
    expect(await page.waitFor('unread_count', (count) => count.total === 1)).toMatchObject({ total: 1, byType: { '1': 0, '2': 1, '3': 0 } });
    expect((await listed('m-live')).map((m) => m.id)).toEqual([id]);
    const client = await new MongoClient(server.url ?? '').connect();
    try {
      const stored = await client.db(fx.stack.mongo?.dbName).collection<{ _id: string }>('messages').findOne({ _id: id });
      expect(stored).toMatchObject({ receiverID: 'm-live', title: 'Live on mongo' });
    } finally {
      await client.close();
    }
  });

  it('replays unread messages at login, oldest first, with the unread count', async () => {
    const ids = await sendTogether('m-away', [[7, 1, 'first'], [7, 3, 'second']]);
    await storedAndCounted('m-away', 2);

    const page = await fx.page('m-away', 7);

    expect(await page.waitFor('unread_count')).toMatchObject({ total: 2, byType: { '1': 1, '2': 0, '3': 1 } });
    expect(page.events('new_msg').map((m) => [m.id, m.replayed])).toEqual(ids.map((id) => [id, true]));
  });

  it('marks read from a page and over HTTP; every page, the list and the counts agree', async () => {
    const ids = await sendTogether('m-read', [[7, 1, 'a'], [7, 2, 'b'], [7, 2, 'c']]);
    await storedAndCounted('m-read', 3);
    const [tabA, tabB] = [await fx.page('m-read', 7), await fx.page('m-read', 7)];
    await Promise.all([tabA.waitFor('unread_count'), tabB.waitFor('unread_count')]);

    expect(await tabA.emitWithAck('read', { ids: [ids[0]] })).toEqual({ updated: 1 });
    expect(await tabB.waitFor('msg_read')).toEqual({ ids: [ids[0]] });
    expect(await tabB.waitFor('unread_count', (count) => count.total === 2)).toMatchObject({ total: 2, byType: { '1': 0, '2': 2, '3': 0 } });

    const byType = await fx.api.request('POST', '/v1/users/m-read/messages/read', { body: { typeID: 2 } });
    expect(byType.body).toEqual({ updated: 2 });
    await tabA.waitFor('unread_count', (count) => count.total === 0);
    expect(await unreadCount('m-read')).toMatchObject(UNREAD_NONE);
    expect((await listed('m-read')).every((m) => m.isRead)).toBe(true);
    expect(await listed('m-read', '&unread=true')).toEqual([]);
  });

  it('counts unread exactly, per type and per company', async () => {
    await sendTogether('m-count', [[7, 1, 'c7'], [7, 1, 'c7'], [7, 3, 'c7'], [8, 2, 'c8']]);
    await storedAndCounted('m-count', 4);

    expect(await unreadCount('m-count')).toMatchObject({ total: 4, byType: { '1': 2, '2': 1, '3': 1 } });
    expect(await unreadCount('m-count', '?companyID=7')).toMatchObject({ total: 3, byType: { '1': 2, '2': 0, '3': 1 } });
    expect(await unreadCount('m-count', '?companyID=9')).toMatchObject(UNREAD_NONE);
  });

  it("delivers dynamics to the company's pages and keeps them in the company feed and the object's log", async () => {
    const page = await fx.page('m-dyn', 17);
    const sent = [];
    for (const [objectID, title] of [['t1', 'created'], ['t2', 'created'], ['t1', 'closed']]) {
      const response = await fx.api.sendDynamic({ companyID: 17, operatorID: 'op', operator: 'Olga', title, content: objectID, objectType: 'task', objectID });
      expect(response.status).toBe(202);
      sent.push(response.body.id as string);
    }
    for (const id of sent) await page.waitFor('update_dynamic', (d) => d.id === id);
    const feed = async () => (await fx.api.request('GET', '/v1/companies/17/dynamics?limit=10')).body.items as { id: string }[];
    await waitUntil(async () => (await feed()).length === 3, { timeoutMs: 10_000, message: 'three dynamics stored' });

    expect((await feed()).map((d) => d.id)).toEqual([...sent].reverse());
    const log = await fx.api.request('GET', '/v1/objects/task/t1/logs?companyID=17');
    expect(log.body.items.map((d: { id: string; title: string }) => [d.id, d.title])).toEqual([
      [sent[2], 'closed'],
      [sent[0], 'created'],
    ]);
    const firstPage = await fx.api.request('GET', '/v1/companies/17/dynamics?limit=2');
    const secondPage = await fx.api.request('GET', `/v1/companies/17/dynamics?limit=2&before=${firstPage.body.nextCursor}`);
    expect(secondPage.body).toEqual({ items: [expect.objectContaining({ id: sent[0] })], nextCursor: null });
  });
});
