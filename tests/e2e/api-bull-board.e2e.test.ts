import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody, QUEUE_NAME } from '@notify/contracts';
import { startStack, type Stack } from '@notify/testing';

// Issue 5: Bull Board at /admin/queues behind HTTP basic auth; its assets load behind the auth;
// without a password there is no board at all.
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Bull Board', () => {
  let stack: Stack;
  let boardUrl: string;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack({ workers: 0, gateways: 0 });
    boardUrl = `${stack.apiUrl}/admin/queues`;
    auth = basic(stack.env.BULL_BOARD_USER as string, stack.env.BULL_BOARD_PASSWORD as string);
  });
  afterAll(() => stack?.stop());

  it('asks for credentials without them, and refuses a wrong password or user', async () => {
    const anonymous = await fetch(boardUrl);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="Bull Board"/);
    expect(ApiErrorBody.parse(await anonymous.json()).error.code).toBe('unauthorized');

    const user = stack.env.BULL_BOARD_USER as string;
    const password = stack.env.BULL_BOARD_PASSWORD as string;
    for (const wrong of [basic(user, `${password}x`), basic(`${user}x`, password), basic(user, ''), 'Basic !!!', `Bearer ${stack.apiKey}`]) {
      const response = await fetch(boardUrl, { headers: { authorization: wrong } });
      expect(response.status, wrong).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('serves the page and its assets to the right credentials, and only to them', async () => {
    const page = await fetch(boardUrl, { headers: { authorization: auth } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const base = /<base href="([^"]+)"/.exec(html)?.[1];
    expect(base).toBe('/admin/queues/');
    const assets = [...html.matchAll(/(?:src|href)="(static\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThan(0);

    for (const asset of assets) {
      const url = new URL(asset, new URL(base as string, stack.apiUrl));
      const withAuth = await fetch(url, { headers: { authorization: auth } });
      expect(withAuth.status, url.pathname).toBe(200);
      expect((await withAuth.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect((await fetch(url)).status, `${url.pathname} without credentials`).toBe(401);
    }
  });

  it("shows the api's notifications queue through its own API", async () => {
    const response = await fetch(`${boardUrl}/api/queues`, { headers: { authorization: auth } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name)).toEqual([QUEUE_NAME]);
    expect((await fetch(`${boardUrl}/api/queues`)).status).toBe(401);
  });
});

describe('Bull Board without a password', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Undefined leaves the variable out of the api's environment altogether.
    stack = await startStack({ workers: 0, gateways: 0, env: { BULL_BOARD_PASSWORD: undefined as unknown as string } });
  });
  afterAll(() => stack?.stop());

  it('is not there at all, and the api said so at start-up', async () => {
    const response = await fetch(`${stack.apiUrl}/admin/queues`);
    expect(response.status).toBe(404);
    expect(ApiErrorBody.parse(await response.json()).error.code).toBe('not_found');
    const warning = stack.api
      .output()
      .split('\n')
      .find((line) => line.includes('BULL_BOARD_PASSWORD is not set'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning as string)).toMatchObject({ level: 40 });
  });
});
