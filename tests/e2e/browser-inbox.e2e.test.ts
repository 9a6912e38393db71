import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMany, startStack, waitUntil, type ApiClient, type Stack } from '@notify/testing';
import { fileURLToPath } from 'node:url';
import { countHandshakes, eventually, inboxReady, launchChromium, rendered, watchPageProblems, type RenderedInbox } from '../support/inbox-in-chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));

/**
 * A plain website that uses notify the way the older PHP pages would: its page holds only the
 * gateway's script tag and `<notify-inbox>`, and its own backend (this server) mints the tokens
 * with `POST /v1/tokens`. It counts the tokens it mints per user.
 */
interface Site {
  url: string;
  minted: Map<string, number>;
  close(): Promise<void>;
}

async function startSite(stack: Stack): Promise<Site> {
  const minted = new Map<string, number>();
  const gateway = stack.gatewayUrls[0] as string;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const uid = url.searchParams.get('uid') ?? '';
    const companyID = url.searchParams.get('companyID') ?? '';
    const ttl = Number(url.searchParams.get('ttl') ?? 3600);
    if (url.pathname === '/inbox.html') {
      const tokenUrl = `/token?${new URLSearchParams({ uid, companyID, ttl: String(ttl) })}`.replaceAll('&', '&amp;');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>inbox</title>\n` +
          `<script src="${gateway}/notify-browser.js"></script></head>\n` +
          `<body><notify-inbox token-url="${tokenUrl}" page-size="${url.searchParams.get('pageSize') ?? 20}" feed online></notify-inbox></body></html>\n`,
      );
      return;
    }
    if (url.pathname === '/token') {
      minted.set(uid, (minted.get(uid) ?? 0) + 1);
      stack.client.request('POST', '/v1/tokens', { body: { uid, companyID, ttlSeconds: ttl } }).then(
        (answer) => res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(answer.body)),
        () => res.writeHead(502).end(),
      );
      return;
    }
    // The browser asks for /favicon.ico on its own; a 404 would be a console error in every tab.
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    minted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const inbox = (page: Page, part: string) => page.locator(`notify-inbox [part~="${part}"]`);
const item = (page: Page, title: string) => inbox(page, 'item').filter({ has: page.locator(`[part~="title"]`, { hasText: title }) });
const titles = (page: Page) => async () => (await rendered(page)).messages.map((m) => m.title);
const badge = (page: Page) => async () => (await rendered(page)).badge;

/** What a person sees: the badge, the list (newest first, with read state) and the feed. */
const seen = ({ badge, messages, feed }: RenderedInbox) => ({ badge, messages: messages.map(({ id, title, read }) => ({ id, title, read })), feed });

async function sendTo(api: ApiClient, uid: string, companyID: number, title: string, content = '') {
  const response = await api.sendMessage({ companyID, receiverID: uid, typeID: 1, title, content });
  expect(response.status).toBe(202);
  return response.body.ids[0] as string;
}

async function stored(api: ApiClient, uid: string, total: number) {
  await waitUntil(async () => (await api.request('GET', `/v1/users/${uid}/unread-count`)).body.total === total, {
    timeoutMs: 20_000,
    message: `${total} messages stored for ${uid}`,
  });
}

// Issue 12, acceptance: <notify-inbox> in headless Chromium against the real api, worker and gateway processes.
describe('<notify-inbox> in a plain page, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let site: Site;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    site = await startSite(stack);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await stack?.stop();
  });

  /** A browser profile: tabs of one person share one, as a person's tabs share their browser. */
  async function profile(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    contexts.push(context);
    return context;
  }

  /** Opens the site's inbox page for `uid`, with everything that goes wrong in it recorded in `problems`. */
  async function openTab(context: BrowserContext, uid: string, { companyID = 7, ttl = 3600, pageSize = 20 } = {}) {
    const page = await context.newPage();
    // Requests fail here on purpose (dropped connections, refused tokens): only errors count.
    const problems = watchPageProblems(page, { requests: false });
    const handshakes = countHandshakes(page);
    await page.goto(`${site.url}/inbox.html?${new URLSearchParams({ uid, companyID: String(companyID), ttl: String(ttl), pageSize: String(pageSize) })}`);
    await inboxReady(page);
    return { page, problems, handshakes };
  }

  it('keeps two tabs of one user in step (arrivals, read, archive, delete), tells another user nothing, and renders markup as text', async () => {
    const api = stack.client;
    const [ann, bob] = [await profile(), await profile()];
    const tabA = await openTab(ann, 'ann');
    const tabB = await openTab(ann, 'ann');
    const other = await openTab(bob, 'bob');
    for (const tab of [tabA, tabB, other]) await eventually('the online count', async () => (await rendered(tab.page)).online, '2 online');

    const first = await sendTo(api, 'ann', 7, 'Task assigned', 'Please review task 5');
    await sendTo(api, 'ann', 7, 'Document edited', 'Spec v2');
    for (const tab of [tabA, tabB]) {
      await eventually('the titles, newest first', titles(tab.page), ['Document edited', 'Task assigned']);
      await eventually('the badge', badge(tab.page), '2');
    }
    // Bob's marker, sent after Ann's messages: once it is there, Ann's would have been too.
    await sendTo(api, 'bob', 7, 'For Bob');
    await eventually("Bob's list", titles(other.page), ['For Bob']);
    expect((await rendered(other.page)).badge).toBe('1');

    const dynamic = await api.sendDynamic({ companyID: 7, operatorID: 2, operator: 'Bob', title: 'created a task', content: 'Task 5', objectType: 'task', objectID: 5 });
    expect(dynamic.status).toBe(202);
    for (const tab of [tabA, tabB, other]) await eventually('the feed', async () => (await rendered(tab.page)).feed, ['Bob created a task']);

    // Read in tab A: tab B's badge and list follow.
    await inbox(tabA.page, 'bell').click();
    await item(tabA.page, 'Task assigned').locator('[part~="toggle-read"]').click();
    for (const tab of [tabA, tabB]) {
      await eventually('the badge after one read', badge(tab.page), '1');
      await eventually('the read states', async () => (await rendered(tab.page)).messages.map((m) => [m.title, m.read]), [
        ['Document edited', false],
        ['Task assigned', true],
      ]);
    }
    // Archive in tab B, delete in tab A: both tabs follow.
    await inbox(tabB.page, 'bell').click();
    await item(tabB.page, 'Document edited').locator('[part~="archive"]').click();
    for (const tab of [tabA, tabB]) {
      await eventually('the list after the archive', titles(tab.page), ['Task assigned']);
      await eventually('the badge after the archive', badge(tab.page), '0');
    }
    await item(tabA.page, 'Task assigned').locator('[part~="delete"]').click();
    for (const tab of [tabA, tabB]) await eventually('the list after the delete', titles(tab.page), []);
    expect((await api.request('GET', '/v1/users/ann/messages?archived=true')).body.items).toHaveLength(1);
    expect((await api.request('GET', `/v1/users/ann/messages`)).body.items.map((m: { id: string }) => m.id)).not.toContain(first);

    // Markup in a message is shown as the characters it is, and nothing in it runs.
    const img = '<img src=x onerror="window.__xss=1">';
    const script = '<script>window.__xss=2</script>';
    await sendTo(api, 'ann', 7, img, script);
    for (const tab of [tabA, tabB]) {
      await eventually('the markup message', async () => (await rendered(tab.page)).messages.map((m) => [m.title, m.content]), [[img, script]]);
      expect(await tab.page.locator('notify-inbox').evaluate((host) => host.shadowRoot?.querySelectorAll('img, script').length)).toBe(0);
      expect(await tab.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    }
    await tabA.page.screenshot({ path: `${SCREENSHOTS}inbox-ann-tab-a.png` });
    for (const tab of [tabA, tabB, other]) expect(tab.problems).toEqual([]);
  });

  it('pages back through 150 stored messages with "load more", without duplicates or gaps', async () => {
    const api = stack.client;
    const ids = (await sendMany(150, (n) => sendTo(api, 'pager', 7, `old ${n}`))).sort().reverse();
    await stored(api, 'pager', 150);
    const tab = await openTab(await profile(), 'pager', { pageSize: 20 });
    await inbox(tab.page, 'bell').click();
    expect((await rendered(tab.page)).messages).toHaveLength(20);
    for (let page = 2; page <= 8; page += 1) {
      await inbox(tab.page, 'load-more').click();
      await eventually(`the list after page ${page}`, async () => (await rendered(tab.page)).messages.length, Math.min(150, page * 20));
    }
    const after = await rendered(tab.page);
    expect(after.messages.map((m) => m.id)).toEqual(ids);
    expect(after.hasMore).toBe(false);
    expect(tab.problems).toEqual([]);
  });

  it('brings a tab that was offline while messages, activity and changes flowed to what a freshly opened tab shows', async () => {
    const api = stack.client;
    const uid = 'drill';
    const company = 8; // its own feed, so both tabs hold all of it
    const options = { companyID: company, pageSize: 100 };
    await sendMany(30, (n) => sendTo(api, uid, company, `earlier ${n}`));
    for (let n = 0; n < 5; n += 1) await api.sendDynamic({ companyID: company, operatorID: 'op', operator: 'Olga', title: `did ${n}`, content: '' });
    await stored(api, uid, 30);
    const [profileA, profileB] = [await profile(), await profile()];
    const tabA = await openTab(profileA, uid, options);
    const tabB = await openTab(profileB, uid, options);
    await eventually('tab B holds the feed', async () => (await rendered(tabB.page)).feed.length, 5);
    const before = await rendered(tabB.page);

    await profileB.setOffline(true);
    await eventually('tab B noticed it is offline', async () => (await rendered(tabB.page)).status, 'reconnecting');
    const handshakesBefore = tabB.handshakes.count;

    // Meanwhile, in tab A and through the api: new messages and activity, reads, an archive, a delete.
    const sentOffline = await sendMany(10, (n) => sendTo(api, uid, company, `while offline ${n}`));
    for (let n = 0; n < 3; n += 1) await api.sendDynamic({ companyID: company, operatorID: 'op', operator: 'Olga', title: `meanwhile ${n}`, content: '' });
    await eventually('tab A has them', async () => (await rendered(tabA.page)).messages.length, 40);
    await inbox(tabA.page, 'bell').click();
    await item(tabA.page, 'earlier 29').locator('[part~="toggle-read"]').click();
    await item(tabA.page, 'while offline 3').locator('[part~="archive"]').click();
    await item(tabA.page, 'earlier 0').locator('[part~="delete"]').click();
    // And one change by the backend, over HTTP.
    const readOverHttp = await api.request('POST', `/v1/users/${uid}/messages/read`, { body: { ids: [sentOffline[5]] } });
    expect(readOverHttp.body).toEqual({ updated: 1 });
    await eventually('tab A shows its changes', async () => (await rendered(tabA.page)).messages.length, 38);
    await eventually('tab A shows the read over HTTP', badge(tabA.page), '36');
    await eventually('tab A shows the activity', async () => (await rendered(tabA.page)).feed.length, 8);
    expect(seen(await rendered(tabB.page))).toEqual(seen(before)); // offline: it saw none of it

    await profileB.setOffline(false);
    await inboxReady(tabB.page, 30_000);
    expect(tabB.handshakes.count).toBeGreaterThan(handshakesBefore);
    const fresh = await openTab(await profile(), uid, options);
    await eventually('tab B equals a fresh tab', async () => seen(await rendered(tabB.page)), seen(await rendered(fresh.page)));
    const now = seen(await rendered(tabB.page));
    expect(now.messages).toHaveLength(38);
    expect(now.badge).toBe('36');
    expect(now.messages.find((message) => message.id === sentOffline[5])?.read).toBe(true);
    expect(now.feed).toHaveLength(8);
    // Tab B's failed requests while offline are expected in its console; the others have no problems.
    for (const tab of [tabA, fresh]) expect(tab.problems).toEqual([]);
  });

  it('rolls a change the server refuses back, and shows why', async () => {
    const api = stack.client;
    await sendTo(api, 'refused', 7, 'keep me');
    await sendTo(api, 'refused', 7, 'delete me');
    await stored(api, 'refused', 2);
    const tab = await openTab(await profile(), 'refused');
    await inbox(tab.page, 'bell').click();
    // Opening the inbox marks its messages seen: that write is done before the store is locked.
    await waitUntil(async () => (await api.request('GET', '/v1/users/refused/unread-count')).body.unseen === 0, { timeoutMs: 10_000, message: 'seen' });
    // The store cannot write: another connection holds SQLite's write lock, so the gateway's delete
    // waits out the store's busy timeout and answers `unavailable`.
    const lock = new Database(stack.sqlitePath);
    lock.exec('BEGIN IMMEDIATE');
    try {
      await item(tab.page, 'delete me').locator('[part~="delete"]').click();
      await eventually('the delete shown at once', titles(tab.page), ['keep me']);
      await eventually('the delete rolled back', titles(tab.page), ['delete me', 'keep me'], 15_000);
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    const after = await rendered(tab.page);
    expect(after.error).toMatch(/unreachable|retry/);
    expect(after.badge).toBe('2');
    // The error can be dismissed, and the same change goes through once the store writes again.
    await inbox(tab.page, 'dismiss').click();
    await item(tab.page, 'delete me').locator('[part~="delete"]').click();
    await eventually('deleted for good', titles(tab.page), ['keep me']);
    expect((await rendered(tab.page)).error).toBe('');
  });

  it('is usable with the keyboard alone, with the roles of a menu button and a list', async () => {
    const api = stack.client;
    for (const title of ['one', 'two', 'three']) await sendTo(api, 'keys', 7, title);
    await stored(api, 'keys', 3);
    const { page } = await openTab(await profile(), 'keys');
    const bell = inbox(page, 'bell');
    expect(await bell.getAttribute('aria-haspopup')).toBe('dialog');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 3 unread');
    const panelId = await bell.getAttribute('aria-controls');
    expect(await inbox(page, 'panel').getAttribute('id')).toBe(panelId);
    expect(await inbox(page, 'panel').getAttribute('role')).toBe('dialog');
    expect(await inbox(page, 'list').getAttribute('role')).toBe('list');
    expect(await inbox(page, 'item').first().getAttribute('role')).toBe('listitem');
    // The focused part, and for one in a message, that message's title.
    const focused = () => page.locator('notify-inbox').evaluate((host) => {
      const active = host.shadowRoot?.activeElement;
      const title = active?.closest('[data-id]')?.querySelector('[part~="title"]')?.textContent;
      return active ? `${active.getAttribute('part')}${title ? ` ${title}` : ''}` : 'none';
    });

    await bell.focus();
    await page.keyboard.press('Enter');
    expect(await bell.getAttribute('aria-expanded')).toBe('true');
    await eventually('focus on the newest message', focused, 'item unread three');
    await page.keyboard.press('ArrowDown');
    await eventually('focus moved down', focused, 'item unread two');
    await page.keyboard.press('Space');
    await eventually('marked read with Space', focused, 'item read two');
    await eventually('the badge', badge(page), '2');
    await page.keyboard.press('End');
    await eventually('focus on the last', focused, 'item unread one');
    await page.keyboard.press('ArrowUp');
    await eventually('focus moved up', focused, 'item read two');
    // One tab stop in the list: Tab goes to that message's own buttons, then out of the list,
    // past the other messages and their buttons.
    await page.keyboard.press('Tab');
    await eventually("the message's first button", focused, 'action toggle-read two');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await eventually("the message's last button", focused, 'action delete two');
    await page.keyboard.press('Tab');
    expect(await focused()).not.toMatch(/ (one|two|three)$/);
    await page.keyboard.press('Shift+Tab');
    await eventually('back to the last button', focused, 'action delete two');
    await page.keyboard.press('Escape');
    expect(await bell.getAttribute('aria-expanded')).toBe('false');
    expect(await inbox(page, 'panel').isHidden()).toBe(true);
    await eventually('focus back on the bell', focused, 'bell');
  });

  it('keeps receiving for 20 seconds on one connection with 5-second tokens', async () => {
    const tab = await openTab(await profile(), 'short-lived', { ttl: 5 });
    await inbox(tab.page, 'bell').click();
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 20_000) {
      sent += 1;
      await sendTo(stack.client, 'short-lived', 7, `tick ${sent}`);
      await eventually(`tick ${sent} shown`, async () => (await rendered(tab.page)).messages.length, sent);
      await tab.page.waitForTimeout(1000); // pacing of the sends over the 20 s, not synchronisation
    }
    expect(tab.handshakes.count).toBe(1);
    expect(site.minted.get('short-lived')).toBeGreaterThanOrEqual(5);
    expect((await rendered(tab.page)).status).toBe('connected');
    expect(tab.problems).toEqual([]);
  });
});
