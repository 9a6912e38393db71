import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const APPS = ['api', 'worker', 'gateway'] as const;
/** What each app needs besides Redis, so only the Redis variables can be wrong. */
const REST = { API_KEYS: 'test_0123456789abcdef', JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' };

/** Runs `apps/<app>/dist/main.js` with only `env` (and PATH) and resolves with how it exited; killed on time-out. */
function run(app: (typeof APPS)[number], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', ...REST, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

// Issue 15: a REDIS_URL listing several hosts used to pass validation and then crash ioredis with
// `TypeError: Invalid URL`; every app now refuses it at start-up like any bad value: one line
// naming the variable, exit status 78. Likewise a bad REDIS_CLUSTER_NODES, or both at once.
describe('pointing the apps at Redis: one line and exit 78 for what cannot work', () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'a REDIS_URL with several hosts',
      { REDIS_URL: 'redis://10.0.0.1:7000,10.0.0.2:7001' },
      'REDIS_URL: must be the URL of one Redis server (for a Redis Cluster, list its nodes in REDIS_CLUSTER_NODES instead)',
    ],
    ['a REDIS_CLUSTER_NODES entry without a port', { REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2' }, 'REDIS_CLUSTER_NODES: must be host:port pairs'],
    ['both REDIS_URL and REDIS_CLUSTER_NODES', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, 'REDIS_CLUSTER_NODES: cannot be set together with REDIS_URL'],
    ['a hash tag in REDIS_PREFIX', { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_PREFIX: '{notify}' }, 'REDIS_PREFIX: must not contain { or }'],
  ];
  for (const [what, env, line] of cases) {
    it(`refuses ${what}`, async () => {
      const exits = await Promise.all(APPS.map((app) => run(app, env)));
      for (const [index, exit] of exits.entries()) {
        const app = APPS[index] as string;
        expect(exit.code, `${app}: ${exit.stderr}`).toBe(78);
        expect(exit.stderr.trim().split('\n'), app).toHaveLength(1);
        expect(exit.stderr, app).toContain(`${app}: configuration error: ${line}`);
        expect(exit.stderr, app).not.toContain('TypeError');
      }
    });
  }
});
