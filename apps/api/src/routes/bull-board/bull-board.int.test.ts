import { describe, expect, it } from 'vitest';
import { ApiErrorBody, QUEUE_NAME } from '@notify/contracts';
import { ApiClient, useInProcessStack } from '@notify/testing';

// Bull Board at /admin/queues behind HTTP basic auth; its assets and API load behind the auth too;
// without a password there is no board at all.
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const USER = 'admin';
const PASSWORD = 'board-password-1';

describe('Bull Board', () => {
  const stack = useInProcessStack({ gateways: 0, worker: false, env: { BULL_BOARD_USER: USER, BULL_BOARD_PASSWORD: PASSWORD } });
  const boardUrl = () => `${stack().apiUrl}/admin/queues`;

  it('asks for credentials without them, and refuses every wrong credential on every path', async () => {
    const anonymous = await fetch(boardUrl());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="Bull Board"/);
    expect(ApiErrorBody.parse(await anonymous.json()).error.code).toBe('unauthorized');

    const client = new ApiClient(stack().apiUrl);
    const wrong = [
      basic(USER, `${PASSWORD}x`),
      basic(`${USER}x`, PASSWORD),
      basic('root', PASSWORD),
      basic(USER, ''),
      basic('', ''),
      'Basic !!!not-base64',
      `Bearer ${stack().apiKey}`,
    ];
    const letThrough: string[] = [];
    for (const authorization of wrong) {
      for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/ADMIN/QUEUES']) {
        const response = await client.request('GET', path, { headers: { authorization } });
        if (response.status !== 401 || !/^Basic /.test(response.headers.get('www-authenticate') ?? '')) letThrough.push(`${path} with ${authorization} → ${response.status}`);
      }
    }
    expect(letThrough).toEqual([]);
  });

  it('serves the page and its assets to the right credentials, and only to them', async () => {
    const auth = basic(USER, PASSWORD);
    const page = await fetch(boardUrl(), { headers: { authorization: auth } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const base = /<base href="([^"]+)"/.exec(html)?.[1];
    expect(base).toBe('/admin/queues/');
    const assets = [...html.matchAll(/(?:src|href)="(static\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThan(0);

    for (const asset of assets) {
      const url = new URL(asset, new URL(base as string, stack().apiUrl));
      const withAuth = await fetch(url, { headers: { authorization: auth } });
      expect(withAuth.status, url.pathname).toBe(200);
      expect((await withAuth.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect((await fetch(url)).status, `${url.pathname} without credentials`).toBe(401);
    }
  });

  it("shows the api's notifications queue through its own API", async () => {
    const response = await fetch(`${boardUrl()}/api/queues`, { headers: { authorization: basic(USER, PASSWORD) } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name)).toEqual([QUEUE_NAME]);
    expect((await fetch(`${boardUrl()}/api/queues`)).status).toBe(401);
  });
});

describe('Bull Board without a password', () => {
  const stack = useInProcessStack({ gateways: 0, worker: false, logLevel: 'warn' });

  it('is not there at all, and the api said so at start-up', async () => {
    const response = await fetch(`${stack().apiUrl}/admin/queues`);
    expect(response.status).toBe(404);
    expect(ApiErrorBody.parse(await response.json()).error.code).toBe('not_found');
    const warnings = stack().logs.of('api').filter((line) => line.msg.includes('BULL_BOARD_PASSWORD is not set'));
    expect(warnings).toEqual([expect.objectContaining({ level: 40 })]);
  });
});
