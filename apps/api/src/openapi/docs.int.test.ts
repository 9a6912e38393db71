import { describe, expect, it } from 'vitest';
import { useInProcessStack } from '@notify/testing';

// An OpenAPI 3.1 document generated from the contracts at /openapi.json, and a page for people at
// /docs served from swagger-ui-dist (no CDN). Neither needs a key.
describe('API docs', () => {
  const stack = useInProcessStack({ gateways: 0, worker: false });

  it('serves the OpenAPI 3.1 document', async () => {
    const response = await fetch(`${stack().apiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/messages', '/push', '/admin/queues', '/healthz']));
    expect(Object.keys(document.paths['/push'] ?? {}).sort()).toEqual(['get', 'post']);
  });

  it('serves /docs as HTML whose assets all load from the api itself', async () => {
    const response = await fetch(`${stack().apiUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const pageUrl = response.url;
    expect(new URL(pageUrl).pathname).toBe('/docs/');
    const html = await response.text();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1] as string, pageUrl));
    expect(assets.map((url) => url.pathname)).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/init.js']));

    for (const url of assets) {
      const asset = await fetch(url);
      expect(asset.status, url.pathname).toBe(200);
      expect(asset.headers.get('content-type'), url.pathname).toMatch(/javascript|css|image\/png/);
      expect((await asset.arrayBuffer()).byteLength, url.pathname).toBeGreaterThan(0);
    }
    const init = await (await fetch(new URL('init.js', pageUrl))).text();
    const documentUrl = /new URL\('([^']+)'/.exec(init)?.[1];
    expect(new URL(documentUrl as string, pageUrl).pathname).toBe('/openapi.json');
  });

  it('serves nothing else of swagger-ui-dist', async () => {
    expect((await fetch(`${stack().apiUrl}/docs/index.html`)).status).toBe(404);
    expect((await fetch(`${stack().apiUrl}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${stack().apiUrl}/docs/../package.json`)).status).toBe(404);
  });
});
