import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '@notify/observability';
import { browserScript } from './browser-script.js';

const logger = createLogger({ name: 'test', level: 'silent' });

/** An HTTP server answering with `route` alone (404 otherwise), on a free port. */
async function serve(route: ReturnType<typeof browserScript>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the browser script route', () => {
  let dir: string;
  const servers: Server[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notify-script-'));
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function scriptServer(content: string) {
    const file = join(dir, `${content.length}-${Math.random()}.js`);
    await writeFile(file, content);
    const served = await serve(browserScript(logger, file));
    servers.push(served.server);
    return served.url;
  }

  it('redirects the stable URL to a content-hashed one, cached for a year, and gzips it for browsers that take it', async () => {
    const content = `window.NotifyBrowser = ${JSON.stringify('x'.repeat(5000))};`;
    const url = await scriptServer(content);
    const redirect = await fetch(`${url}/notify-browser.js`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('public, max-age=300');
    const location = redirect.headers.get('location') ?? '';
    expect(location).toMatch(/^\/notify-browser\.[0-9a-f]{16}\.js$/);

    const plain = await fetch(`${url}${location}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(content);

    // fetch would unzip by itself; read the raw bytes through node:http's view instead.
    const zipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      import('node:http').then(({ get }) =>
        get(`${url}${location}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        }).on('error', reject),
      );
    });
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(content.length / 10);
    expect(gunzipSync(zipped.body).toString()).toBe(content);

    expect((await fetch(`${url}${location}`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${url}${location}`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/notify-browser.0000000000000000.js`)).status).toBe(404);
  });

  it('names another content with another hash', async () => {
    const location = async (content: string) => (await fetch(`${await scriptServer(content)}/notify-browser.js`, { redirect: 'manual' })).headers.get('location');
    const [a, b, again] = [await location('one();'), await location('two();'), await location('one();')];
    expect(a).not.toBe(b);
    expect(again).toBe(a);
  });

  it('serves nothing, and says why, when the script was not built', async () => {
    const lines: string[] = [];
    // Only warn is called; a recorder stands in for pino so the test can read the line.
    const recorder = { warn: (_fields: object, message: string) => lines.push(message) } as unknown as Logger;
    const route = browserScript(recorder, join(dir, 'missing.js'));
    const { url, server } = await serve(route);
    servers.push(server);
    expect((await fetch(`${url}/notify-browser.js`, { redirect: 'manual' })).status).toBe(404);
    expect(lines.join('')).toContain('the browser script is missing');
  });
});
