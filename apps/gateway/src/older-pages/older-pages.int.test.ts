import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { OlderPageDynamic, OlderPageMessageEvent } from '@notify/contracts';
import { openPage, useInProcessStack, waitUntil } from '@notify/testing';

// Pages written for the older phpsocket.io server: socket.io 1.x/2.x clients (Engine.IO 3, with
// ALLOW_EIO3), `login` without a token or an ack, HTML built from the payload. They get text escaped
// as htmlspecialchars() would, dates as the older server echoed them, no login replay by default.
// The same page in Chromium is tests/e2e/older-page-browser.e2e.test.ts.

/** The part of a socket.io 1.x/2.x client socket these tests use (the packages ship no types). */
interface OldClientSocket {
  on(event: string, listener: (...args: unknown[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  close(): void;
}
type OldClient = (url: string, options: Record<string, unknown>) => OldClientSocket;

const require = createRequire(import.meta.url);
const clients = { v1: require('socket.io-client-v1') as OldClient, v2: require('socket.io-client-v2') as OldClient };

const EVENTS = ['new_msg', 'update_dynamic', 'update_online_count', 'unread_count', 'msg_read', 'error', 'connect_error', 'disconnect'] as const;
const XSS = '<img src=x onerror="window.__xss=1">';
const XSS_ESCAPED = '&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;';

/** An older page as a Node socket.io 1.x/2.x client: connects, logs in like the seed's page, records what it gets. */
interface OlderPage {
  readonly received: { event: string; payload: unknown }[];
  /** The first `event` matching `predicate`, received already or within 5 s. */
  waitFor<T = Record<string, unknown>>(event: string, predicate?: (payload: T) => boolean): Promise<T>;
  events<T = Record<string, unknown>>(event: string): T[];
}

const opened: OldClientSocket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

function openOlderPage(url: string, login: Record<string, unknown>, options: { client?: keyof typeof clients; transports?: string[] } = {}): OlderPage {
  const socket = clients[options.client ?? 'v2'](url, { forceNew: true, reconnection: false, transports: options.transports ?? ['polling', 'websocket'] });
  opened.push(socket);
  const received: { event: string; payload: unknown }[] = [];
  for (const event of EVENTS) socket.on(event, (payload: unknown) => received.push({ event, payload }));
  // As the seed's page: login on every connect, no token, no ack.
  socket.on('connect', () => socket.emit('login', login));
  const events = <T>(event: string) => received.filter((entry) => entry.event === event).map((entry) => entry.payload as T);
  return {
    received,
    events,
    async waitFor<T>(event: string, predicate: (payload: T) => boolean = () => true) {
      let found: T | undefined;
      await waitUntil(() => (found = events<T>(event).find(predicate)) !== undefined, {
        timeoutMs: 5000,
        intervalMs: 10,
        message: `"${event}" on an older page (got ${JSON.stringify(received).slice(0, 400)})`,
      });
      return found as T;
    },
  };
}

describe('older pages (ALLOW_EIO3, login without a token)', () => {
  const stack = useInProcessStack({ env: { ALLOW_EIO3: '1', ALLOW_UNSIGNED_LOGIN: '1', TZ: 'Asia/Shanghai', API_RATE_LIMIT: '0' } });
  const url = () => stack().gatewayUrls[0]!;

  it('gets escaped text and the older date, while a token page of the same user gets both raw, and the store keeps them raw', async () => {
    const older = openOlderPage(url(), { uid: 'o1', companyID: 'oc' });
    await older.waitFor('update_online_count');
    const page = await stack().page('o1', 'oc');
    const sent = await stack().client.sendMessage({
      companyID: 'oc', receiverID: 'o1', typeID: 1, title: XSS, content: `Tom & Jerry's "show"`, sender: '<Bob>',
      url: '/task?id=5&tab=1', date: '2026-12-01T03:24:58Z',
    });
    const id = sent.body.ids[0];

    const olderMessage = OlderPageMessageEvent.parse(await older.waitFor('new_msg', (m) => m.id === id));
    expect(olderMessage).toMatchObject({
      title: XSS_ESCAPED, content: 'Tom &amp; Jerry&#039;s &quot;show&quot;', sender: '&lt;Bob&gt;', url: '/task?id=5&amp;tab=1',
      date: '2026-12-01 11:24:58', receiverID: 'o1', companyID: 'oc', typeID: 1, isRead: false,
    });
    expect(await page.waitFor('new_msg', (m) => m.id === id)).toMatchObject({ title: XSS, sender: '<Bob>', date: '2026-12-01T03:24:58.000Z' });
    const stored = await stack().client.request('GET', '/v1/users/o1/messages');
    expect(stored.body.items[0]).toMatchObject({ id, title: XSS, content: `Tom & Jerry's "show"`, date: '2026-12-01T03:24:58.000Z' });
    // Each kind of page got it once: the older page is not in the uid: room, the token page not in legacy:uid:.
    expect(older.events<{ id: string }>('new_msg').filter((m) => m.id === id)).toHaveLength(1);
    expect(page.events('new_msg').filter((m) => m.id === id)).toHaveLength(1);
  });

  it('gets dynamics escaped, and the online count, unread count and read marks as they are', async () => {
    const older = openOlderPage(url(), { uid: 'o2', companyID: 'od' });
    await older.waitFor<number>('update_online_count', (count) => count === 1);
    const colleague = await stack().page('o3', 'od');
    await older.waitFor<number>('update_online_count', (count) => count === 2);

    const dynamic = await stack().client.sendDynamic({ companyID: 'od', operatorID: 3, operator: 'Ann & Bob', title: '创建了新任务', content: XSS, date: '2026-12-01 11:24:58' });
    const olderDynamic = OlderPageDynamic.parse(await older.waitFor('update_dynamic', (d) => d.id === dynamic.body.id));
    expect(olderDynamic).toMatchObject({ operator: 'Ann &amp; Bob', title: '创建了新任务', content: XSS_ESCAPED });
    expect(olderDynamic.date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await colleague.waitFor('update_dynamic', (d) => d.id === dynamic.body.id)).toMatchObject({ content: XSS });

    const sent = await stack().client.sendMessage({ companyID: 'od', receiverID: 'o2', typeID: 2, title: 'to read', content: '' });
    await older.waitFor('unread_count', (unread: { total: number }) => unread.total === 1);
    expect((await stack().client.request('POST', '/v1/users/o2/messages/read', { body: { all: true } })).status).toBe(200);
    expect(await older.waitFor('msg_read')).toEqual({ ids: sent.body.ids });
    await older.waitFor('unread_count', (unread: { total: number }) => unread.total === 0);
    expect(older.events<{ id: string }>('new_msg').map((m) => m.id)).toEqual([sent.body.ids[0]]);

    colleague.close();
    await older.waitFor<number>('update_online_count', (count) => count === 1);
  });

  it('is not sent the unread messages at login (LEGACY_LOGIN_REPLAY=off), only the unread count', async () => {
    const sent = await stack().client.sendMessage({ companyID: 'oe', receiverID: 'o4', typeID: 1, title: 'while away', content: '' });
    await waitUntil(async () => (await stack().client.request('GET', '/v1/users/o4/unread-count')).body.total === 1, { timeoutMs: 10_000, message: 'stored' });
    const older = openOlderPage(url(), { uid: 'o4', companyID: 'oe' });
    // unread_count comes after the replay would have: by then a replayed message would be here.
    expect(await older.waitFor('unread_count')).toMatchObject({ total: 1 });
    const live = await stack().client.sendMessage({ companyID: 'oe', receiverID: 'o4', typeID: 1, title: 'live', content: '' });
    await older.waitFor('new_msg', (m) => m.id === live.body.ids[0]);
    expect(older.events<{ id: string }>('new_msg').map((m) => m.id)).toEqual([live.body.ids[0]]);
    expect(sent.body.ids[0]).not.toBe(live.body.ids[0]);
  });

  it('is sent the unread messages at login, converted, with LEGACY_LOGIN_REPLAY=unread', async () => {
    const gateway = await stack().addGateway({ LEGACY_LOGIN_REPLAY: 'unread' });
    const sent = await stack().client.sendMessage({ companyID: 'of', receiverID: 'o5', typeID: 1, title: '<i>while away</i>', content: '' });
    await waitUntil(async () => (await stack().client.request('GET', '/v1/users/o5/unread-count')).body.total === 1, { timeoutMs: 10_000, message: 'stored' });
    const older = openOlderPage(`http://127.0.0.1:${gateway.port}`, { uid: 'o5', companyID: 'of' });
    expect(await older.waitFor('new_msg')).toMatchObject({ id: sent.body.ids[0], title: '&lt;i&gt;while away&lt;/i&gt;', replayed: true });
    expect(await older.waitFor('unread_count')).toMatchObject({ total: 1 });
  });

  it('serves socket.io 1.x pages too, with text that is not ASCII over HTTP long-polling', async () => {
    const older = openOlderPage(url(), { uid: 'o6', companyID: 'og' }, { client: 'v1', transports: ['polling'] });
    await older.waitFor('update_online_count');
    const title = '创建了新任务 😀 é';
    const sent = await stack().client.sendMessage({ companyID: 'og', receiverID: 'o6', typeID: 1, title, content: 'Ünïcödé' });
    expect(await older.waitFor('new_msg', (m) => m.id === sent.body.ids[0])).toMatchObject({ title, content: 'Ünïcödé' });
    expect(older.events('error')).toEqual([]);
    expect(older.events('disconnect')).toEqual([]);
  });

  it('leaves token pages that log in with login (socket.io 4) as they were: raw text, ISO dates, the replay', async () => {
    const sent = await stack().client.sendMessage({ companyID: 'oh', receiverID: 'o7', typeID: 1, title: XSS, content: '' });
    await waitUntil(async () => (await stack().client.request('GET', '/v1/users/o7/unread-count')).body.total === 1, { timeoutMs: 10_000, message: 'stored' });
    const page = await openPage(url(), { login: { uid: 'o7', companyID: 'oh', token: await stack().token('o7', 'oh') } });
    expect(await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0])).toMatchObject({ title: XSS, replayed: true });
  });

  it('treats every login socket as an older page with LEGACY_PAGES=login', async () => {
    const gateway = await stack().addGateway({ LEGACY_PAGES: 'login' });
    const page = await openPage(`http://127.0.0.1:${gateway.port}`, { login: { uid: 'o8', companyID: 'oi' } });
    const sent = await stack().client.sendMessage({ companyID: 'oi', receiverID: 'o8', typeID: 1, title: XSS, content: '' });
    expect(await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0])).toMatchObject({ title: XSS_ESCAPED });
  });
});

describe('the gateway to older clients: Engine.IO 3 and CORS', () => {
  const stack = useInProcessStack({ worker: false, env: { CORS_ORIGINS: 'http://app.example:8080' } });
  /** The first request of a socket.io 1.x/2.x (EIO=3) or 3.x/4.x (EIO=4) client, from `origin`. */
  const handshake = (gatewayUrl: string, eio: 3 | 4, origin: string) =>
    fetch(`${gatewayUrl}/socket.io/?EIO=${eio}&transport=polling&t=abc`, { headers: { origin } });

  it('refuses Engine.IO 3 without ALLOW_EIO3, and accepts it with', async () => {
    const without = await handshake(stack().gatewayUrls[0]!, 3, 'http://app.example:8080');
    expect(without.status).toBe(400);
    expect(await without.text()).toContain('Unsupported protocol version');
    const gateway = await stack().addGateway({ ALLOW_EIO3: '1' });
    const accepted = await handshake(`http://127.0.0.1:${gateway.port}`, 3, 'http://app.example:8080');
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toMatch(/^\d+:0\{"sid":/);
  });

  it('answers a listed origin with itself and credentials, and * without credentials', async () => {
    const listed = await handshake(stack().gatewayUrls[0]!, 4, 'http://app.example:8080');
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://app.example:8080');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await handshake(stack().gatewayUrls[0]!, 4, 'http://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const anyOrigin = await stack().addGateway({ CORS_ORIGINS: '*' });
    const star = await handshake(`http://127.0.0.1:${anyOrigin.port}`, 4, 'http://elsewhere.example');
    expect(star.headers.get('access-control-allow-origin')).toBe('*');
    expect(star.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
