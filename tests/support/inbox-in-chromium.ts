import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitUntil } from '@notify/testing';

export const CHROMIUM = '/usr/bin/chromium';

/** Launches headless Chromium with the flags this machine needs; close it in `afterAll`, also when a test fails. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: \`npm run setup -- --test\` installs it (Debian's chromium package)`);
  }
  // Without the background-networking flags Chromium keeps calling home, which the sandboxed network refuses.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * What goes wrong in `page`, as it happens: uncaught errors and console errors; with `requests`
 * (default true) failed requests, with `responses` (default false) every answer of 400 or more. A
 * test expects it to stay empty.
 */
export function watchPageProblems(page: Page, { requests = true, responses = false } = {}): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  if (requests) page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  if (responses) {
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`answered ${response.status()}: ${response.url()}`);
    });
  }
  return problems;
}

/** Waits until `read()` gives `expected`; on timeout says what it gave last. */
export async function eventually<T>(what: string, read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
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

/** One message as `<notify-inbox>` renders it. */
export interface RenderedMessage {
  id: string;
  title: string;
  content: string;
  read: boolean;
}

/** What `<notify-inbox>` shows, read from its shadow tree. */
export interface RenderedInbox {
  status: string;
  complete: boolean;
  badge: string;
  messages: RenderedMessage[];
  feed: string[];
  online: string;
  error: string;
  hasMore: boolean;
}

/** Reads what the page's (first) `<notify-inbox>` shows. */
export function rendered(page: Page): Promise<RenderedInbox> {
  return page.locator('notify-inbox').first().evaluate((host) => {
    const root = host.shadowRoot;
    if (!root) throw new Error('<notify-inbox> has no shadow root: is the script loaded?');
    // Runs in the page; these tests are typed without the DOM lib, so the few members used are named here.
    type Node = { textContent: string | null; getAttribute(name: string): string | null; hasAttribute(name: string): boolean; querySelector(selector: string): Node | null };
    const text = (scope: Node, part: string) => scope.querySelector(`[part~="${part}"]`)?.textContent ?? '';
    const all = (part: string): Node[] => [...root.querySelectorAll(`[part~="${part}"]`)];
    const item = (node: Node) => ({
      id: node.getAttribute('data-id') ?? '',
      title: text(node, 'title'),
      content: text(node, 'content'),
      read: node.getAttribute('data-read') === 'true',
    });
    return {
      status: host.getAttribute('data-status') ?? '',
      complete: host.hasAttribute('data-complete'),
      badge: text(root, 'badge'),
      messages: all('item').map(item),
      feed: all('feed-item').map((node) => `${text(node, 'operator')} ${text(node, 'feed-title')}`),
      online: text(root, 'online'),
      error: root.querySelector('[part~="error"]')?.hasAttribute('hidden') ? '' : text(root, 'error-text'),
      hasMore: !root.querySelector('[part~="load-more"]')?.hasAttribute('hidden'),
    };
  });
}

/** Until the page's `<notify-inbox>` is connected and its lists are complete. */
export function inboxReady(page: Page, timeoutMs = 15_000): Promise<void> {
  return eventually('the inbox is connected and complete', async () => {
    const { status, complete } = await rendered(page);
    return status === 'connected' && complete;
  }, true, timeoutMs);
}

/** Counts the socket.io handshakes a page makes: requests to `/socket.io/` without a session id. */
export function countHandshakes(page: Page): { readonly count: number } {
  const counter = { count: 0 };
  const isHandshake = (url: string) => url.includes('/socket.io/') && !/[?&]sid=/.test(url);
  page.on('request', (request) => {
    if (isHandshake(request.url())) counter.count += 1;
  });
  page.on('websocket', (socket) => {
    if (isHandshake(socket.url())) counter.count += 1;
  });
  return counter;
}
