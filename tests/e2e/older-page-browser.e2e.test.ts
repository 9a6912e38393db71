import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startStack, type ApiResponse, type Stack } from '@notify/testing';
import { eventually, launchChromium, watchPageProblems } from '../support/inbox-in-chromium.js';
import { startOlderPageSite, type OlderPageSite } from '../support/older-page-site.js';

// Issue 13, acceptance: a page written like the older phpsocket.io set-up's (jQuery, HTML built by
// string concatenation, `login` without a token or an ack), served from its own origin, loading the
// npm package socket.io-client 2.x (and 1.x) by a script tag, in real Chromium, fed by pushes made
// exactly as its PHP backend makes them. The gateway runs with the migration settings of
// docs/migrating-from-phpsocket-io.md.

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));
const XSS = '<img src=x onerror="window.__xss=1">';

interface Tab {
  page: Page;
  problems: string[];
}

describe('a page written for phpsocket.io, unchanged, in Chromium', () => {
  let site: OlderPageSite;
  let stack: Stack;
  let browser: Browser;
  let php: ApiClient;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    site = await startOlderPageSite();
    [stack, browser] = await Promise.all([
      startStack({
        env: {
          ALLOW_EIO3: '1',
          ALLOW_UNSIGNED_LOGIN: '1',
          CORS_ORIGINS: site.origin,
          PUSH_ALWAYS_200: '1',
          TZ: 'Asia/Shanghai',
          API_RATE_LIMIT: '0',
        },
      }),
      launchChromium(),
    ]);
    site.configure({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, gatewayPort: Number(new URL(stack.gatewayUrls[0]!).port) });
    // The PHP backend: no Authorization header; its old `token` field now carries the API key.
    php = new ApiClient(stack.apiUrl);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await site?.close();
  });

  /** A push as MsgService::push() makes it: fields in the query string of a POST with an empty body, to the root path. */
  const push = async (fields: Record<string, string | number>): Promise<ApiResponse> => {
    const query = new URLSearchParams(Object.entries({ ...fields, token: stack.apiKey }).map(([name, value]): [string, string] => [name, String(value)]));
    const response = await php.request('POST', `/?${query}`);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200, body: expect.stringMatching(/^(ok|offline)$/) });
    return response;
  };

  async function openTab(uid: string, companyID: string, client: 1 | 2, { blockWebSocket = false } = {}): Promise<Tab> {
    const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchPageProblems(page, { responses: true });
    // A proxy that refuses WebSocket: the client stays on HTTP long-polling.
    if (blockWebSocket) await page.routeWebSocket(/./, (ws) => ws.close());
    await page.goto(`${site.origin}/?uid=${uid}&companyID=${companyID}&client=${client}`);
    return { page, problems };
  }

  const text = (tab: Tab, selector: string) => async () => (await tab.page.locator(selector).first().textContent())?.trim();
  const texts = (tab: Tab, selector: string) => () => tab.page.locator(selector).allTextContents();
  const badges = (tab: Tab) => texts(tab, '.msg-handle-num');

  it('socket.io 2.x: connects, logs in, shows counts, dynamics and messages, markup as text, each unread message once across reloads', async () => {
    const alice = await openTab('alice', '7', 2);
    await eventually('the online count', text(alice, '#online-people'), '1');
    const bob = await openTab('bob', '7', 2);
    for (const tab of [alice, bob]) await eventually('the online count', text(tab, '#online-people'), '2');

    // 动态推送, as the seed's TaskController does after creating a task.
    await push({
      action: 'dynamic', companyID: 7, operatorID: 2, operator: 'Bob', portrait: `${site.origin}/portrait.svg`,
      title: '创建了新任务', content: XSS, url: '/task/view?taskID=5', date: '2026-12-01 11:24:58',
    });
    for (const tab of [alice, bob]) {
      await eventually('the activity feed', texts(tab, '.dynamic-item'), [`2026-12-01 11:24:58 Bob 创建了新任务 ${XSS}`]);
    }

    // Messages as its backend pushes them: operatorID/operator, no companyID.
    const message = { action: 'message', receiverID: 'alice', typeID: 3, operatorID: 2, operator: 'Bob', url: '/task/view?taskID=5' };
    expect((await push({ ...message, title: XSS, content: 'Tom & Jerry' })).body).toBe('offline');
    await push({ ...message, title: 'Task assigned', content: 'Please review task 5' });
    await eventually('the message titles, newest first', texts(alice, '.msg-title'), ['Task assigned', XSS]);
    expect(await texts(alice, '.msg-content')()).toEqual(['Please review task 5', 'Tom & Jerry']);
    expect(await badges(alice)()).toEqual(['2', '2']);
    const dates = await texts(alice, '.msg-date')();
    expect(dates.every((date) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date)), dates.join(', ')).toBe(true);
    // The markup is text: no element came from it and nothing in it ran.
    for (const tab of [alice, bob]) {
      expect(await tab.page.locator('#msg-handle img, #dynamic-list .dynamic-content img').count()).toBe(0);
      expect(await tab.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    }
    // Bob's page got none of Alice's: a message for Bob, sent after them, is all it shows.
    await push({ ...message, receiverID: 'bob', title: 'For Bob', content: '' });
    await eventually("Bob's message titles", texts(bob, '.msg-title'), ['For Bob']);
    await alice.page.screenshot({ path: `${SCREENSHOTS}older-page-socket.io-2.png`, fullPage: true });

    // Reload twice: the backend renders the two unread, the gateway replays nothing on top of them.
    for (const reload of [1, 2]) {
      await alice.page.reload();
      await eventually('the online count after a reload', text(alice, '#online-people'), '2');
      const marker = `marker ${reload}`;
      await push({ ...message, title: marker, content: '' });
      const expected = reload === 1 ? [marker, 'Task assigned', XSS] : [marker, 'marker 1', 'Task assigned', XSS];
      await eventually(`the message titles after reload ${reload}`, texts(alice, '.msg-title'), expected);
      expect(await badges(alice)()).toEqual([String(expected.length), String(expected.length)]);
    }
    expect(await alice.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();

    await bob.page.close();
    await eventually('the online count after bob left', text(alice, '#online-people'), '1');
    for (const tab of [alice, bob]) expect(tab.problems).toEqual([]);
  });

  it('socket.io 1.x: the same page works, over WebSocket and over HTTP long-polling alone, with text that is not ASCII', async () => {
    const carol = await openTab('carol', '8', 1);
    const dave = await openTab('dave', '8', 1, { blockWebSocket: true });
    for (const tab of [carol, dave]) await eventually('the online count', text(tab, '#online-people'), '2');

    await push({ action: 'dynamic', companyID: 8, operatorID: 3, operator: '王五', portrait: `${site.origin}/portrait.svg`, title: '创建了新任务', content: '😀 <b>Ünïcödé</b>', date: '2026-12-01 11:24:58' });
    for (const tab of [carol, dave]) {
      await eventually('the activity feed', texts(tab, '.dynamic-item'), ['2026-12-01 11:24:58 王五 创建了新任务 😀 <b>Ünïcödé</b>']);
      expect(await tab.page.locator('#dynamic-list b').count()).toBe(0);
    }
    for (const uid of ['carol', 'dave']) await push({ action: 'message', receiverID: uid, typeID: 1, operator: '王五', title: '任务指派', content: XSS });
    for (const tab of [carol, dave]) {
      await eventually('the message titles', texts(tab, '.msg-title'), ['任务指派']);
      expect(await texts(tab, '.msg-content')()).toEqual([XSS]);
      expect(await tab.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    }
    await dave.page.screenshot({ path: `${SCREENSHOTS}older-page-socket.io-1-polling.png`, fullPage: true });
    for (const tab of [carol, dave]) expect(tab.problems).toEqual([]);
  });
});
