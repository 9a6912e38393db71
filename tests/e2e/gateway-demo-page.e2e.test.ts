import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '@notify/launcher';
import { closeAllPages, openPage, startStack, type Stack } from '@notify/testing';

/** Sends `request` as raw bytes and resolves with the status line of the answer. */
function rawStatusLine(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        resolve(answer.split('\r\n')[0] ?? '');
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

// Issue 5, demo page: served by the gateway with a strict CSP and no inline script; the dev token
// route exists only when DEV_TOKEN_ROUTE is on. Issue 12: the page is <notify-inbox> from the
// gateway's browser script.
describe('the gateway demo page and dev token route', () => {
  let stack: Stack;
  /** The stack's own gateway: DEV_TOKEN_ROUTE unset, so off. */
  let plain: string;
  let dev: AppProcess;

  beforeAll(async () => {
    stack = await startStack();
    plain = stack.gatewayUrls[0] as string;
    dev = await stack.addGateway({ DEV_TOKEN_ROUTE: '1' });
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('serves the page with a strict Content-Security-Policy, no inline script, and everything from its own origin', async () => {
    const response = await fetch(`${plain}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/(^|;\s*)default-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^/]/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handlers
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no CDN, nothing from elsewhere
    // The inbox is <notify-inbox> from the gateway's own browser script.
    expect(html).toMatch(/<notify-inbox\b[^>]*\bfeed\b[^>]*\bonline\b/);
    expect(html).toContain('<script src="/notify-browser.js" defer></script>');
    for (const testId of ['inbox', 'identity', 'status', 'toast', 'help']) {
      expect(html).toContain(`data-testid="${testId}"`);
    }

    for (const [path, type] of [
      ['/demo.js', 'text/javascript'],
      ['/demo.css', 'text/css'],
      ['/favicon.svg', 'image/svg+xml'],
      ['/notify-browser.js', 'text/javascript'],
    ] as const) {
      const asset = await fetch(`${plain}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type'), path).toContain(type);
      await asset.arrayBuffer();
    }

    // The browser script: a short-lived redirect to a content-hashed URL that is cached for good.
    const redirect = await fetch(`${plain}/notify-browser.js`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const hashed = redirect.headers.get('location') ?? '';
    expect(hashed).toMatch(/^\/notify-browser\.[0-9a-f]{16}\.js$/);
    const bundle = await fetch(`${plain}${hashed}`);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bundleText = await bundle.text();
    expect(bundleText).toContain('notify-inbox');

    // Text from the server is only ever inserted as text, by the page and by the script.
    const script = await (await fetch(`${plain}/demo.js`)).text();
    for (const code of [script, bundleText]) {
      expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
      expect(code).toContain('textContent');
    }
  });

  it('keeps the dev token route off unless DEV_TOKEN_ROUTE is on', async () => {
    expect((await fetch(`${plain}/dev/token?uid=1&companyID=7`)).status).toBe(404);
  });

  it('mints a token the gateways accept, and refuses a bad query listing every problem', async () => {
    const response = await fetch(`${dev.url}/dev/token?uid=1&companyID=7`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; expiresAt: string };
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(50 * 60_000);

    // Signed with the shared JWT_SECRET: good on any gateway, for that user only.
    const page = await openPage(plain, { token: body.token });
    const sent = await stack.client.sendMessage({ companyID: 7, receiverIDs: [2, 1], typeID: 1, title: 'dev', content: 'token' });
    const mine = await page.waitFor('new_msg');
    expect(mine).toMatchObject({ id: sent.body.ids[1], receiverID: '1', companyID: '7' });

    const bad = await fetch(`${dev.url}/dev/token?uid=${'x'.repeat(65)}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: {
        code: 'invalid_input',
        issues: expect.arrayContaining([
          expect.objectContaining({ path: 'uid' }),
          { path: 'companyID', message: 'is required' },
        ]),
      },
    });
    expect((await fetch(`${dev.url}/dev/token?uid=1&companyID=7`, { method: 'POST' })).status).toBe(404);
  });

  it('answers odd request targets without falling over', async () => {
    for (const target of ['//[', '/dev/token?%', '/?uid=%ZZ', '*', 'http://[::1/']) {
      const status = await rawStatusLine(dev.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(status, target).toMatch(/^HTTP\/1\.1 [2-4]\d\d /);
    }
    expect((await fetch(`${dev.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${dev.url}/`, { method: 'HEAD' })).status).toBe(200);
  });
});
