import { describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { loadApiConfig } from '@notify/config';
import { createLogger, Registry } from '@notify/observability';
import type { ApiDeps } from '../api-deps.js';
import { createApp } from '../create-app.js';
import { openApiDocument, openApiPath } from './openapi-document.js';

/** What Express 5's router (router 2.3+) lists per layer. */
interface RouteInfo {
  path: string | RegExp;
  methods?: string[];
  router?: Lister;
}
interface Lister {
  listRoutes(): RouteInfo[];
}

/** Every `METHOD path` the app routes, walking mounted routers; HEAD is Express's automatic twin of GET. */
function routesOf(router: Lister, prefix = ''): string[] {
  return router.listRoutes().flatMap((layer) => {
    if (typeof layer.path !== 'string') throw new Error(`a route with a RegExp path: ${String(layer.path)}`);
    // `app.use(router)` mounts at `/`, `router.get('/')` in a router mounted at `/push` serves `/push`.
    const path = `${prefix}/${layer.path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    if (layer.router) return routesOf(layer.router, path);
    const methods = (layer.methods ?? []).map((method) => method.toUpperCase()).filter((method) => method !== 'HEAD');
    return methods.map((method) => `${method} ${path}`);
  });
}

/** An app built like `main.ts` builds it, with dependencies that are never called. */
function buildApp(): Express {
  const config = loadApiConfig({ REDIS_URL: 'redis://127.0.0.1:1', API_KEYS: 'k'.repeat(16), JWT_SECRET: 's'.repeat(32) });
  const unused = {} as never;
  const deps: ApiDeps = {
    config,
    logger: createLogger({ name: 'api', level: 'silent' }),
    redis: {} as Redis,
    store: unused,
    queue: unused,
    bus: unused,
    inbox: unused,
    idempotency: unused,
    metrics: new Registry(),
    readiness: [],
  };
  return createApp(deps);
}

/** Served by middleware rather than routes (probes, the Bull Board sub-app): the walk cannot see them. */
const SERVED_BY_MIDDLEWARE = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /admin/queues'];

describe('the OpenAPI document', () => {
  const document = openApiDocument();
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

  it('documents every route the Express app serves, and nothing else', () => {
    const served = routesOf((buildApp() as unknown as { router: Lister }).router).map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return `${method} ${openApiPath(path)}`;
    });
    expect(served).toContain('POST /v1/messages');
    expect(served).toContain('GET /v1/users/{uid}/messages');
    expect(served).toContain('GET /push');
    expect(served).toContain('POST /push');
    expect(served).toContain('POST /');
    expect([...documented].sort()).toEqual([...new Set([...served, ...SERVED_BY_MIDDLEWARE])].sort());
  });

  it('is JSON with openapi 3.1.0 and security schemes for keys and the board', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKey', 'basic', 'keyField']);
    expect(document.paths['/admin/queues']?.get?.security).toEqual([{ basic: [] }]);
    expect(document.paths['/healthz']?.get?.security).toEqual([]);
  });

  it('resolves every $ref to a schema under components', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && document.components.schemas[name], ref).toBeTruthy();
    }
  });

  it('describes request bodies by what clients may send and answers by what the api sends', () => {
    const { SendMessageBody, Message, ApiErrorBody } = document.components.schemas;
    // Input side: an identifier may be sent as a string or an integer; it is always answered as a string.
    expect(JSON.stringify((SendMessageBody?.properties as Record<string, unknown>).companyID)).toContain('integer');
    expect((Message?.properties as Record<string, unknown>).companyID).toMatchObject({ type: 'string' });
    expect(JSON.stringify(ApiErrorBody)).toContain('rate_limited');
    const postMessages = document.paths['/v1/messages']?.post as { responses: Record<string, unknown> };
    expect(Object.keys(postMessages.responses).sort()).toEqual(['202', '400', '401', '409', '413', '429', '503']);
  });

  it('documents /push with a form body, its key field and plain-text answers', () => {
    const post = document.paths['/push']?.post as { requestBody: { content: Record<string, unknown> }; responses: Record<string, { content: Record<string, unknown> }> };
    expect(Object.keys(post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(post.responses['200']?.content['text/plain']).toEqual({ schema: { type: 'string', enum: ['ok', 'offline'] } });
    expect(post.responses['400']?.content['text/plain']).toEqual({ schema: { type: 'string', const: 'fail' } });
    const get = document.paths['/push']?.get as { parameters: { name: string }[] };
    expect(get.parameters.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['action', 'key', 'receiverID', 'typeID', 'operatorID']));
  });
});
