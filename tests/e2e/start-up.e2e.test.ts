import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStack, startRedisServer, type RedisServer } from '@notify/launcher';
import { ApiClient, startStack } from '@notify/testing';

// Issue 14, item 6: readiness does not depend on the log level. `LOG_LEVEL=warn npm start` used to
// serve and then give up after 30 s, waiting for the apps' info-level `ready` lines.
describe('start-up at quiet log levels', () => {
  let redis: RedisServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notify-start-up-'));
    redis = await startRedisServer({ dir: join(dir, 'redis'), appendOnly: false });
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('npm start (the launcher) comes up with LOG_LEVEL=warn, and the apps write no info line', async () => {
    const lines: string[] = [];
    const stack = new EmbeddedStack({
      // Port 0 everywhere: the launcher learns the ports the apps bound.
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', REDIS_URL: redis.url, REDIS_PREFIX: 'warn', API_PORT: '0', GATEWAY_PORT: '0', WORKER_HTTP_PORT: '0' },
      dataDir: join(dir, 'warn'),
      readyTimeoutMs: 20_000,
      onLine: (_app, line) => lines.push(line),
    });
    try {
      const info = await stack.start();
      expect((await fetch(`${info.apiUrl}/readyz`)).status).toBe(200);
      expect((await fetch(`${info.gatewayUrl}/readyz`)).status).toBe(200);
      expect((await fetch(`${info.workerUrl}/readyz`)).status).toBe(200);
      const sent = await new ApiClient(info.apiUrl, info.apiKey).sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'quiet', content: '' });
      expect(sent.status).toBe(202);
      // The warnings it does write (Bull Board off, the dev token route) are warn lines; nothing at info.
      const levels = lines.filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { level: number }).level);
      expect(levels.filter((level) => level < 40)).toEqual([]);
    } finally {
      await stack.stop();
    }
  });

  it('spawned apps at LOG_LEVEL=silent are ready on port 0, serve, and write nothing', async () => {
    const stack = await startStack({ redis, env: { LOG_LEVEL: 'silent' } });
    try {
      const page = await stack.page(1, 7);
      const sent = await stack.client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'silent', content: '' });
      await page.waitFor('new_msg', (message) => message.id === sent.body.ids[0], 10_000);
      page.close();
      for (const app of [stack.api, ...stack.workers, ...stack.gateways]) {
        expect(app.port, app.name).toBeGreaterThan(0);
        expect(app.output(), `${app.name} wrote something`).toBe('');
      }
    } finally {
      await stack.stop();
    }
  });
});
