import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitUntil, type Stack } from '@notify/testing';

const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps calling home, which the sandboxed network refuses. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));
const XSS = '<img src=x onerror="window.__xss=1">';

/** A tab of the demo page, with everything that went wrong in it (script errors, CSP refusals, failed loads). */
interface Tab {
  page: Page;
  problems: string[];
}

/** Waits until `read()` gives `expected`; on timeout says what it gave last. */
async function eventually<T>(what: string, read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  let last: T | undefined;
  try {
    await waitUntil(
      async () => {
        last = await read();
        return isDeepStrictEqual(last, expected);
      },
      { timeoutMs, message: `${what} is ${JSON.stringify(expected)}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it is ${JSON.stringify(last)}`);
  }
}

const text = (tab: Tab, testId: string) => async () => (await tab.page.getByTestId(testId).textContent())?.trim();
const texts = (tab: Tab, testId: string) => () => tab.page.getByTestId(testId).allTextContents();
const readStates = (tab: Tab) => () =>
  tab.page.getByTestId('message-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-read')));

// Issue 5, browser test: the demo page in headless Chromium, as two users of one company, user 1 in
// two tabs, fed through the real api, worker and gateway.
describe('the demo page in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: \`npm run setup -- --test\` installs it (Debian's chromium package)`);
    }
    [stack, browser] = await Promise.all([
      startStack({ env: { DEV_TOKEN_ROUTE: '1' } }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true }),
    ]);
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
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    await page.goto(`${stack.gatewayUrls[0]}/?uid=${uid}&companyID=${companyID}`);
    const tab = { page, problems };
    await eventually(`the status of user ${uid}'s tab`, text(tab, 'status'), 'connected');
    return tab;
  }

  it('shows notifications, activity and presence live, keeps tabs in step, and renders text as text', async () => {
    const user1 = await profile();
    const user2 = await profile();
    const tab1a = await openTab(user1, 1, 7);
    const tab1b = await openTab(user1, 1, 7);
    const tab2 = await openTab(user2, 2, 7);
    const tabs = [tab1a, tab1b, tab2];

    for (const tab of tabs) await eventually('the online count', text(tab, 'online-count'), '2');
    expect(await text(tab1a, 'identity')()).toBe('user 1 · company 7');
    expect(await text(tab2, 'identity')()).toBe('user 2 · company 7');
    for (const tab of tabs) expect(await text(tab, 'unread-badge')()).toBe('0');

    // A message for user 1: both of user 1's tabs count it, user 2's page does not see it.
    const first = await stack.client.sendMessage({
      companyID: 7, receiverID: 1, typeID: 1, title: 'Task assigned', content: 'Please review task 5', sender: 'Bob',
    });
    expect(first.status).toBe(202);
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge', text(tab, 'unread-badge'), '1');
      await eventually('the notification titles', texts(tab, 'message-title'), ['Task assigned']);
      expect(await texts(tab, 'message-content')()).toEqual(['Please review task 5']);
    }

    // A dynamic of company 7: every page of the company shows it in the feed.
    const dynamic = await stack.client.sendDynamic({
      companyID: 7, operatorID: 2, operator: 'Bob', title: 'created a task', content: 'Task 5', objectType: 'task', objectID: 5,
    });
    expect(dynamic.status).toBe(202);
    for (const tab of tabs) {
      await eventually('the number of activity entries', async () => (await texts(tab, 'feed-item')()).length, 1);
      const [item] = await texts(tab, 'feed-item')();
      expect(item).toContain('Bob created a task');
      expect(item).toContain('Task 5');
      expect(item).toContain('task #5');
    }
    expect(await tab2.page.getByTestId('message-item').count()).toBe(0);
    expect(await text(tab2, 'unread-badge')()).toBe('0');

    // A second message, then user 1 reads the first one in tab A: tab B shows it read and its badge drops too.
    await stack.client.sendMessage({ companyID: 7, receiverID: 1, typeID: 3, title: 'Document edited', content: 'Spec v2' });
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge', text(tab, 'unread-badge'), '2');
      await eventually('the notification titles, newest first', texts(tab, 'message-title'), ['Document edited', 'Task assigned']);
    }
    await tab1a.page.getByTestId('message-item').filter({ hasText: 'Task assigned' }).click();
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge after one read', text(tab, 'unread-badge'), '1');
      await eventually('the read states, newest first', readStates(tab), ['false', 'true']);
    }

    // Markup in a notification is shown as the literal text it is, and nothing in it runs.
    await stack.client.sendMessage({ companyID: 7, receiverID: 1, typeID: 2, title: '<b>not bold</b>', content: XSS });
    for (const tab of [tab1a, tab1b]) {
      await eventually('the newest notification content', async () => (await texts(tab, 'message-content')())[0], XSS);
      expect((await texts(tab, 'message-title')())[0]).toBe('<b>not bold</b>');
      expect(await tab.page.locator('[data-testid="message-list"] img, [data-testid="message-list"] b').count()).toBe(0);
      // Run in the page; `globalThis` there is its window.
      expect(await tab.page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    }
    await eventually('the unread badge', text(tab1b, 'unread-badge'), '2');
    await tab1a.page.screenshot({ path: `${SCREENSHOTS}demo-user1-tab-a.png`, fullPage: true });

    // "Mark all read" in tab B clears both tabs.
    await tab1b.page.getByTestId('mark-all-read').click();
    for (const tab of [tab1a, tab1b]) {
      await eventually('the unread badge after mark all read', text(tab, 'unread-badge'), '0');
      await eventually('the read states after mark all read', readStates(tab), ['true', 'true', 'true']);
    }
    const unread = await stack.client.request('GET', '/v1/users/1/unread-count?companyID=7');
    expect(unread.body).toMatchObject({ total: 0 });

    // User 2 leaving drops the count on user 1's pages.
    await tab2.page.screenshot({ path: `${SCREENSHOTS}demo-user2.png`, fullPage: true });
    await tab2.page.close();
    for (const tab of [tab1a, tab1b]) await eventually('the online count after user 2 left', text(tab, 'online-count'), '1');
    await tab1b.page.screenshot({ path: `${SCREENSHOTS}demo-user1-tab-b.png`, fullPage: true });

    for (const tab of tabs) expect(tab.problems).toEqual([]);
  });

  it('tells a visitor with no uid in the address how to pick one, without connecting', async () => {
    const page = await (await profile()).newPage();
    await page.goto(`${stack.gatewayUrls[0]}/`);
    const status = async () => (await page.getByTestId('status').textContent())?.trim();
    await eventually('the status', status, 'who are you? add ?uid=1&companyID=7 to the address');
    expect(await page.getByTestId('help').locator('a').count()).toBe(2);
  });
});
