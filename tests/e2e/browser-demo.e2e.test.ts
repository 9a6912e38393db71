import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@notify/testing';
import { eventually, inboxReady, launchChromium, rendered, watchPageProblems } from '../support/inbox-in-chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));
const XSS = '<img src=x onerror="window.__xss=1">';

/** A tab of the demo page, with everything that went wrong in it (script errors, CSP refusals, failed loads). */
interface Tab {
  page: Page;
  problems: string[];
}

const text = (tab: Tab, testId: string) => async () => (await tab.page.getByTestId(testId).textContent())?.trim();
const part = (tab: Tab, name: string) => tab.page.locator(`notify-inbox [part~="${name}"]`);
const titles = (tab: Tab) => async () => (await rendered(tab.page)).messages.map((m) => m.title);
const readStates = (tab: Tab) => async () => (await rendered(tab.page)).messages.map((m) => m.read);
const badge = (tab: Tab) => async () => (await rendered(tab.page)).badge;

// Issue 5, browser test, with the page rebuilt on <notify-inbox> (issue 12): the demo page in
// headless Chromium under its strict CSP, as two users of one company, user 1 in two tabs, fed
// through the real api, worker and gateway.
describe('the demo page in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ env: { DEV_TOKEN_ROUTE: '1' } }), launchChromium()]);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A new browser profile: tabs of one user share one, as a person's tabs share their browser. */
  async function profile(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    contexts.push(context);
    return context;
  }

  async function openTab(context: BrowserContext, uid: number, companyID: number): Promise<Tab> {
    const page = await context.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`${stack.gatewayUrls[0]}/?uid=${uid}&companyID=${companyID}`);
    await inboxReady(page);
    return { page, problems };
  }

  it('shows notifications, activity and presence live, keeps tabs in step, and renders text as text, under its CSP', async () => {
    const user1 = await profile();
    const user2 = await profile();
    const tab1a = await openTab(user1, 1, 7);
    const tab1b = await openTab(user1, 1, 7);
    const tab2 = await openTab(user2, 2, 7);
    const tabs = [tab1a, tab1b, tab2];

    for (const tab of tabs) await eventually('the online count', async () => (await rendered(tab.page)).online, '2 online');
    expect(await text(tab1a, 'identity')()).toBe('user 1 · company 7');
    expect(await text(tab2, 'identity')()).toBe('user 2 · company 7');
    expect(await tab1a.page.getByTestId('other-user').getAttribute('href')).toBe('?uid=2&companyID=7');
    for (const tab of tabs) expect(await badge(tab)()).toBe('0');

    // The component's own stylesheet applies under `default-src 'self'` (a constructable
    // stylesheet), and the page themes it through a custom property: a white bell.
    const looks = await part(tab1a, 'bell').evaluate((bell) => {
      // Runs in the page; these tests are typed without the DOM lib.
      const { getComputedStyle } = globalThis as unknown as { getComputedStyle(node: unknown): { color: string; backgroundColor: string } };
      const badgeNode = bell.querySelector('[part~="badge"]');
      return { bell: getComputedStyle(bell).color, badge: badgeNode ? getComputedStyle(badgeNode).backgroundColor : '' };
    });
    expect(looks).toEqual({ bell: 'rgb(255, 255, 255)', badge: 'rgb(209, 36, 47)' });

    // A message for user 1: both of user 1's tabs count it, and the page's toast shows it.
    const first = await stack.client.sendMessage({
      companyID: 7, receiverID: 1, typeID: 1, title: 'Task assigned', content: 'Please review task 5', sender: 'Bob',
    });
    expect(first.status).toBe(202);
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge', badge(tab), '1');
      await eventually('the notification titles', titles(tab), ['Task assigned']);
      expect((await rendered(tab.page)).messages[0]?.content).toBe('Please review task 5');
      await eventually('the toast', text(tab, 'toast'), 'New notification: Task assigned');
    }

    // A dynamic of company 7: every page of the company shows it in the feed; sent after the
    // message, it is also the marker that user 2's page would have had the message by now.
    const dynamic = await stack.client.sendDynamic({
      companyID: 7, operatorID: 2, operator: 'Bob', title: 'created a task', content: 'Task 5', objectType: 'task', objectID: 5,
    });
    expect(dynamic.status).toBe(202);
    for (const tab of tabs) {
      await eventually('the activity', async () => (await rendered(tab.page)).feed, ['Bob created a task']);
      expect(await part(tab, 'feed-item').textContent()).toContain('task #5');
    }
    expect((await rendered(tab2.page)).messages).toEqual([]);
    expect(await badge(tab2)()).toBe('0');

    // A second message, then user 1 opens the first one in tab A: tab B shows it read and its badge drops too.
    await stack.client.sendMessage({ companyID: 7, receiverID: 1, typeID: 3, title: 'Document edited', content: 'Spec v2' });
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge', badge(tab), '2');
      await eventually('the notification titles, newest first', titles(tab), ['Document edited', 'Task assigned']);
    }
    await part(tab1a, 'bell').click();
    await part(tab1a, 'item').filter({ hasText: 'Task assigned' }).locator('[part~="title"]').click();
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge after one read', badge(tab), '1');
      await eventually('the read states, newest first', readStates(tab), [false, true]);
    }

    // Markup in a notification is shown as the literal text it is, and nothing in it runs.
    await stack.client.sendMessage({ companyID: 7, receiverID: 1, typeID: 2, title: '<b>not bold</b>', content: XSS });
    for (const tab of [tab1a, tab1b]) {
      await eventually('the newest notification', async () => (await rendered(tab.page)).messages[0]?.content, XSS);
      expect((await titles(tab)())[0]).toBe('<b>not bold</b>');
      expect(await tab.page.locator('notify-inbox').evaluate((host) => host.shadowRoot?.querySelectorAll('img, b').length)).toBe(0);
      // Run in the page; `globalThis` there is its window.
      expect(await tab.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    }
    await eventually('the unread badge', badge(tab1b), '2');
    await tab1a.page.screenshot({ path: `${SCREENSHOTS}demo-user1-tab-a.png`, fullPage: true });

    // "Mark all read" in tab B clears both tabs.
    await part(tab1b, 'bell').click();
    await part(tab1b, 'mark-all').click();
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge after mark all read', badge(tab), '0');
      await eventually('the read states after mark all read', readStates(tab), [true, true, true]);
    }
    const unread = await stack.client.request('GET', '/v1/users/1/unread-count?companyID=7');
    expect(unread.body).toMatchObject({ total: 0 });

    // User 2 leaving drops the count on user 1's pages.
    await tab2.page.screenshot({ path: `${SCREENSHOTS}demo-user2.png`, fullPage: true });
    await tab2.page.close();
    for (const tab of [tab1a, tab1b]) await eventually('the online count after user 2 left', async () => (await rendered(tab.page)).online, '1 online');
    await tab1b.page.screenshot({ path: `${SCREENSHOTS}demo-user1-tab-b.png`, fullPage: true });

    // No script error, no CSP refusal, no failed load in any tab.
    for (const tab of tabs) expect(tab.problems).toEqual([]);
  });

  it('tells a visitor with no uid in the address how to pick one, without connecting', async () => {
    const page = await (await profile()).newPage();
    await page.goto(`${stack.gatewayUrls[0]}/`);
    const status = async () => (await page.getByTestId('status').textContent())?.trim();
    await eventually('the status', status, 'who are you? add ?uid=1&companyID=7 to the address');
    expect(await page.getByTestId('help').locator('a').count()).toBe(2);
    expect(await page.locator('notify-inbox').count()).toBe(0);
  });
});
