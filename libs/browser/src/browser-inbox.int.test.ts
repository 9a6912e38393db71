import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, SessionEndReason } from '@notify/contracts';
import { createInbox, type BrowserInbox, type InboxError, type InboxOptions } from '@notify/browser';
import { sendMany, useInProcessStack, waitUntil, type ApiClient } from '@notify/testing';
import { shown, snapshotWhere } from '../test/snapshots.js';
import { startTcpProxy, type TcpProxy } from '../test/tcp-proxy.js';

/** Sends `count` messages to `uid` in company 9 (several at once); resolves with their ids, oldest first. */
const sendMessages = async (api: ApiClient, uid: string, count: number, title = (n: number) => `m${n}`) =>
  (
    await sendMany(count, async (n) => {
      const response = await api.sendMessage({ companyID: 9, receiverID: uid, typeID: ((n % 3) + 1) as 1 | 2 | 3, title: title(n), content: `#${n}` });
      if (response.status !== 202) throw new Error(`send answered ${response.status}`);
      return response.body.ids[0] as string;
    })
  ).sort();
const sendDynamics = (api: ApiClient, count: number) =>
  sendMany(count, async (n) => {
    const response = await api.sendDynamic({ companyID: 9, operatorID: 'op', operator: 'Olga', title: `did ${n}`, content: '' });
    if (response.status !== 202) throw new Error(`send answered ${response.status}`);
    return response.body.id as string;
  });

// The library against the real api, worker and gateways, in Node (socket.io-client runs here as in a page).
describe('createInbox against the real stack', () => {
  const stack = useInProcessStack({ gateways: 2 });
  const opened: BrowserInbox[] = [];
  const proxies: TcpProxy[] = [];
  afterEach(async () => {
    for (const inbox of opened.splice(0)) inbox.close();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  /** An inbox of `uid` in company 9 on gateway `gateway`, with a fresh token from the stack for every call of its provider. */
  function open(uid: string, options: Partial<InboxOptions> & { gateway?: number } = {}): BrowserInbox {
    const { gateway = 0, ...rest } = options;
    const inbox = createInbox({ url: stack().gatewayUrls[gateway] as string, token: () => stack().token(uid, 9), ...rest });
    opened.push(inbox);
    return inbox;
  }
  const ready = (inbox: BrowserInbox, what = 'the inbox is connected and loaded') =>
    snapshotWhere(inbox, (s) => s.status === 'connected' && s.complete, what);
  /** Until every id is in the inbox's list. */
  const holding = (inbox: BrowserInbox, ids: readonly string[]) =>
    snapshotWhere(inbox, (s) => ids.every((id) => s.messages.some((m) => m.id === id)), `the inbox holds ${ids.length} messages`);

  it('loads its first page, feed and counts, then merges live messages once each, newest first, and announces each once', async () => {
    const api = stack().client;
    const earlier = await sendMessages(api, 'ib-1', 25);
    await sendDynamics(api, 3);
    await waitUntil(async () => (await api.request('GET', '/v1/users/ib-1/unread-count')).body.total === 25, { timeoutMs: 10_000, message: 'the earlier messages stored' });

    const inbox = open('ib-1', { pageSize: 10 });
    const announced: Message[] = [];
    inbox.on('message', (message) => announced.push(message));
    const first = await ready(inbox);
    expect(first.user).toEqual({ uid: 'ib-1', companyID: '9' });
    expect(first.messages.map((m) => m.id)).toEqual(earlier.slice(-10).reverse());
    expect(first.hasMoreMessages).toBe(true);
    expect(first.counts).toMatchObject({ total: 25, unseen: 25 });
    expect(first.dynamics.length).toBeGreaterThanOrEqual(3);

    const live = await sendMessages(api, 'ib-1', 3, (n) => `live ${n}`);
    const now = await holding(inbox, live);
    expect(now.messages.slice(0, 3).map((m) => m.id)).toEqual([...live].reverse());
    expect(now.counts.total).toBe(28);
    expect(new Set(now.messages.map((m) => m.id)).size).toBe(now.messages.length);
    expect(announced.map((m) => m.id).sort()).toEqual(live);
    // Snapshots are immutable and only replaced on a change.
    expect(inbox.getSnapshot()).toBe(inbox.getSnapshot());
    expect(Object.isFrozen(now) && Object.isFrozen(now.messages)).toBe(true);
  });

  it('pages back through 150 messages without duplicates or gaps', async () => {
    const api = stack().client;
    const ids = await sendMessages(api, 'ib-2', 150);
    // All stored first, so that paging, not live delivery, is what brings them.
    await waitUntil(async () => (await api.request('GET', '/v1/users/ib-2/unread-count')).body.total === 150, { timeoutMs: 15_000, message: '150 stored' });
    const inbox = open('ib-2', { pageSize: 20 });
    expect((await ready(inbox)).messages).toHaveLength(20);
    let pages = 1;
    while (inbox.getSnapshot().hasMoreMessages) {
      await Promise.all([inbox.loadMore(), inbox.loadMore()]); // a second call while one is in flight joins it
      pages += 1;
    }
    expect(inbox.getSnapshot().messages.map((m) => m.id)).toEqual([...ids].reverse());
    expect(pages).toBe(8);
  });

  it('shows its own changes at once; every inbox of the user follows, on any gateway, and the counts with them', async () => {
    const ids = await sendMessages(stack().client, 'ib-3', 5);
    const [a, b] = [open('ib-3', { gateway: 0 }), open('ib-3', { gateway: 1 })];
    const settledOn = (inbox: BrowserInbox) => snapshotWhere(inbox, (s) => s.counts.total === 5 && ids.every((id) => s.messages.some((m) => m.id === id)), 'all 5 held and counted');
    await Promise.all([settledOn(a), settledOn(b)]);
    const [m0, m1, m2, m3, m4] = ids as [string, string, string, string, string];

    const reading = a.markRead([m4, m3]);
    // Optimistic: before the gateway has answered.
    expect(a.getSnapshot().messages.filter((m) => m.isRead).map((m) => m.id)).toEqual([m4, m3]);
    expect(a.getSnapshot().counts.total).toBe(3);
    expect(a.getSnapshot().pendingChanges).toBe(1);
    expect(await reading).toBe(2);
    await a.archive(m2);
    await a.delete([m1]);
    await a.markUnread(m3);
    const expected = { messages: [m4, m3, m0], read: [m4], total: 2 };
    for (const inbox of [a, b]) {
      const settled = await snapshotWhere(
        inbox,
        (s) => s.messages.map((m) => m.id).join() === expected.messages.join() && s.counts.total === expected.total && s.pendingChanges === 0,
        'the changes shown',
      );
      expect(settled.messages.filter((m) => m.isRead).map((m) => m.id)).toEqual(expected.read);
    }
    const { version: _version, ...truth } = (await stack().client.request('GET', '/v1/users/ib-3/unread-count')).body;
    expect(b.getSnapshot().counts).toMatchObject(truth);

    await b.markAllRead();
    for (const inbox of [a, b]) await snapshotWhere(inbox, (s) => s.counts.total === 0 && s.messages.every((m) => m.isRead) && s.pendingChanges === 0, 'all read');
    // Reading marks seen too.
    expect((await stack().client.request('GET', '/v1/users/ib-3/unread-count')).body).toMatchObject({ total: 0, unseen: 0 });
  });

  it('rolls a refused change back and reports why, leaving what other pages did', async () => {
    const ids = await sendMessages(stack().client, 'ib-4', 3);
    const inbox = open('ib-4');
    await holding(inbox, ids);
    const errors: InboxError[] = [];
    inbox.on('error', (error) => errors.push(error));

    // The gateway refuses a selector it cannot take: nothing changed, nothing shown.
    await expect(inbox.markRead('not-a-record-id')).rejects.toMatchObject({ code: 'invalid_input', action: 'read' });

    // The store cannot write (another connection holds SQLite's write lock): the delete is shown at
    // once, then the gateway answers `unavailable` after the store's busy timeout, and it comes back.
    const lock = new Database(stack().env.SQLITE_PATH as string);
    lock.exec('BEGIN IMMEDIATE');
    try {
      const deleting = inbox.delete(ids[2] as string);
      expect(inbox.getSnapshot().messages.map((m) => m.id)).toEqual([ids[1], ids[0]]);
      await expect(deleting).rejects.toMatchObject({ code: 'unavailable', action: 'delete' });
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    const after = inbox.getSnapshot();
    expect(after.messages.map((m) => m.id)).toEqual([...ids].reverse());
    expect(after.counts.total).toBe(3);
    expect(after.pendingChanges).toBe(0);
    expect(after.error).toMatchObject({ code: 'unavailable', action: 'delete' });
    expect(errors.map((error) => error.code)).toEqual(['invalid_input', 'unavailable']);
    inbox.clearError();
    expect(inbox.getSnapshot().error).toBeUndefined();
  });

  it('catches up after a network drop: missed messages, activity and changes made elsewhere, as a fresh inbox shows them', async () => {
    const api = stack().client;
    const held = await sendMessages(api, 'ib-5', 30);
    await sendDynamics(api, 5);
    await waitUntil(async () => (await api.request('GET', '/v1/users/ib-5/unread-count')).body.total === 30, { timeoutMs: 10_000, message: '30 stored' });
    const proxy = await startTcpProxy(stack().gatewayUrls[1] as string);
    proxies.push(proxy);
    const other = open('ib-5', { gateway: 0 });
    const dropped = open('ib-5', { url: proxy.url, pageSize: 20 });
    await Promise.all([holding(other, held.slice(-20)), holding(dropped, held.slice(-20))]);
    const heldIds = dropped.getSnapshot().messages.map((m) => m.id);
    expect(heldIds).toEqual(held.slice(-20).reverse());

    proxy.cut();
    await snapshotWhere(dropped, (s) => s.status === 'reconnecting' && !s.complete, 'the drop is noticed');
    const missed = await sendMessages(api, 'ib-5', 40, (n) => `missed ${n}`);
    const missedDynamics = await sendDynamics(api, 4);
    await holding(other, missed);
    await snapshotWhere(other, (s) => missedDynamics.every((id) => s.dynamics.some((d) => d.id === id)), 'the other inbox has the activity');
    await other.markRead([heldIds[3] as string, missed[0] as string]);
    await other.archive([heldIds[5] as string, missed[1] as string]);
    await other.delete([heldIds[0] as string, heldIds[19] as string, missed.at(-1) as string]);
    expect(dropped.getSnapshot().messages.map((m) => m.id)).toEqual(heldIds); // it heard none of it

    proxy.restore();
    const caughtUp = await ready(dropped, 'caught up after the drop');
    const fresh = await ready(open('ib-5', { gateway: 1, pageSize: 100 }), 'a fresh inbox loaded');
    // Everything from the oldest message it held to now, as the fresh inbox (which holds all 65) has it.
    expect(shown(caughtUp).messages).toEqual(shown(fresh).messages.filter((m) => m.id >= (heldIds.at(-1) as string)));
    expect(caughtUp.messages).toHaveLength(20 - 3 /* read stays; archived and two deleted */ + 40 - 2);
    expect(shown(caughtUp).counts).toEqual(shown(fresh).counts);
    // It held the feed's first page and caught up from its oldest entry: the newest 20 are a fresh first page.
    expect(shown(caughtUp).dynamics.slice(0, 20)).toEqual(shown(fresh).dynamics);
    // And it is live again.
    const [next] = await sendMessages(api, 'ib-5', 1, () => 'after');
    await holding(dropped, [next as string]);
  });

  it('asks the provider again when the gateway refuses its token, and says why until then', async () => {
    let calls = 0;
    const errors: InboxError[] = [];
    const inbox = open('ib-6', {
      token: async () => {
        calls += 1;
        if (calls === 1) return 'not.a.token';
        if (calls === 2) throw new Error('the backend is down');
        return stack().token('ib-6', 9);
      },
    });
    inbox.on('error', (error) => errors.push(error));
    await ready(inbox);
    expect(calls).toBe(3);
    expect(errors.map((error) => error.code)).toEqual(['unauthorized', 'token']);
    expect(errors[1]?.message).toContain('the backend is down');
    expect(inbox.getSnapshot().error).toBeUndefined(); // cleared by the connection
  });

  it('catches up on resync, and reconnects with a new token after session_ended token_expired but stays out after revoked', async () => {
    let tokens = 0;
    const connections: string[] = [];
    const gateway = stack().gateways[0];
    if (!gateway) throw new Error('no gateway');
    const onConnection = (socket: { data: { identity?: { uid: string } } }) => {
      if (socket.data.identity?.uid === 'ib-7') connections.push('connect');
    };
    gateway.io.on('connection', onConnection);
    try {
      const inbox = open('ib-7', {
        token: () => {
          tokens += 1;
          return stack().token('ib-7', 9);
        },
      });
      await ready(inbox);
      const ended: string[] = [];
      inbox.on('session_ended', (reason) => ended.push(reason));

      gateway.io.in('uid:ib-7').emit('resync');
      await snapshotWhere(inbox, (s) => !s.complete, 'the resync is noticed');
      await ready(inbox, 'caught up after resync');

      // What the gateway does at a token's exp (issue "Tokens on live sockets"): the event, then the disconnect.
      const endSessions = (reason: SessionEndReason) => {
        for (const socket of gateway.io.of('/').sockets.values()) {
          if (socket.data.identity?.uid !== 'ib-7') continue;
          socket.emit('session_ended', { reason });
          socket.disconnect(true);
        }
      };
      endSessions('token_expired');
      await waitUntil(() => connections.length === 2, { timeoutMs: 10_000, message: 'a new connection after token_expired' });
      await ready(inbox, 'connected again after token_expired');
      expect(tokens).toBe(2);
      expect(ended).toEqual(['token_expired']);

      endSessions('revoked');
      const out = await snapshotWhere(inbox, (s) => s.status === 'ended', 'the inbox ended');
      expect(out.sessionEnded).toBe('revoked');
      expect(ended).toEqual(['token_expired', 'revoked']);
      await expect(inbox.markRead('01ARZ3NDEKTSV4RRFFQ69G5FAV')).rejects.toMatchObject({ code: 'offline' });
    } finally {
      gateway.io.off('connection', onConnection);
    }
  });

  it('hands its live connection a new token before each one expires: 3-second tokens, 10 seconds, one connection', async () => {
    let minted = 0;
    let connections = 0;
    const gateway = stack().gateways[0];
    const onConnection = (socket: { data: { identity?: { uid: string } } }) => {
      if (socket.data.identity?.uid === 'ib-8') connections += 1;
    };
    gateway?.io.on('connection', onConnection);
    try {
      const inbox = open('ib-8', {
        token: () => {
          minted += 1;
          return stack().token('ib-8', 9, 3);
        },
      });
      await ready(inbox);
      const started = Date.now();
      while (Date.now() - started < 10_000) {
        const [id] = await sendMessages(stack().client, 'ib-8', 1);
        await holding(inbox, [id as string]);
        await new Promise((resolve) => setTimeout(resolve, 500)); // pacing of the sends, not synchronisation
      }
      expect(connections).toBe(1);
      expect(minted).toBeGreaterThanOrEqual(4);
      expect(inbox.getSnapshot().status).toBe('connected');
    } finally {
      gateway?.io.off('connection', onConnection);
    }
  });
});

describe('createInbox when the gateway says a catch-up is too large', () => {
  const stack = useInProcessStack({ env: { CATCH_UP_LIMIT: '10' } });
  const proxies: TcpProxy[] = [];
  const opened: BrowserInbox[] = [];
  afterEach(async () => {
    for (const inbox of opened.splice(0)) inbox.close();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  it('reloads its first page by itself, and then equals a fresh inbox', async () => {
    const api = stack().client;
    await sendMessages(api, 'ib-9', 5);
    await waitUntil(async () => (await api.request('GET', '/v1/users/ib-9/unread-count')).body.total === 5, { timeoutMs: 10_000, message: '5 stored' });
    const proxy = await startTcpProxy(stack().gatewayUrls[0] as string);
    proxies.push(proxy);
    const token = () => stack().token('ib-9', 9);
    const inbox = createInbox({ url: proxy.url, token, pageSize: 20 });
    opened.push(inbox);
    await snapshotWhere(inbox, (s) => s.complete && s.messages.length === 5, 'the first page');

    proxy.cut();
    await snapshotWhere(inbox, (s) => !s.complete, 'the drop is noticed');
    const missed = await sendMessages(api, 'ib-9', 30, (n) => `missed ${n}`);
    await waitUntil(async () => (await api.request('GET', '/v1/users/ib-9/unread-count')).body.total === 35, { timeoutMs: 10_000, message: '35 stored' });
    proxy.restore();

    const reloaded = await snapshotWhere(inbox, (s) => s.complete && s.status === 'connected', 'reloaded');
    const fresh = createInbox({ url: stack().gatewayUrls[0] as string, token, pageSize: 20 });
    opened.push(fresh);
    const freshView = await snapshotWhere(fresh, (s) => s.complete, 'a fresh inbox');
    expect(shown(reloaded)).toEqual(shown(freshView));
    expect(reloaded.messages.map((m) => m.id)).toEqual(missed.slice(-20).reverse());
    expect(reloaded.hasMoreMessages).toBe(true);
  });
});
