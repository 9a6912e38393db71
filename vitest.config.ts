import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import the libs' TypeScript sources, so unit tests need no build; e2e tests spawn the built apps.
// In-process tests import the apps' start functions the same way.
const libAliases = Object.fromEntries(
  ['libs', 'apps'].flatMap((folder) =>
    readdirSync(`${root}${folder}`).map((name) => [`@notify/${name}`, `${root}${folder}/${name}/src/index.ts`]),
  ),
);

// MONGO_URL's server, or a FerretDB of the run's own (scripts/install-ferretdb.sh), as inject('mongoServer').
const MONGO_SETUP = 'libs/testing/src/mongo-global-setup.ts';

// Integration tests that use Redis only through @notify/testing (testRedisEnv, connectTestRedis,
// useInProcessStack, openStackQueue): the `cluster` project runs them again on a real Redis Cluster.
// Every other *.int.test.ts is single-node-only or uses no Redis:
// - apps/api/src/rate-limit/rate-limit.int.test.ts: stops its stack's own redis-server (ownRedis) to check that the limit fails open.
// - apps/api/src/middleware/observe-requests.int.test.ts: stops its stack's own redis-server (ownRedis) for a logged 503.
// - apps/gateway/src/token-check-outage.int.test.ts: hangs a redis-server of its own with SIGSTOP (cluster outages: tests/faults).
// - libs/store/**, libs/launcher/src/ferretdb-server.int.test.ts: the stores and FerretDB, no Redis.
const ON_BOTH_REDIS = [
  'libs/redis/src/lua-script.int.test.ts',
  'libs/presence/src/presence-tracker.int.test.ts',
  'libs/presence/src/is-user-online.int.test.ts',
  'libs/browser/src/browser-inbox.int.test.ts',
  'libs/client/src/send-bulk.int.test.ts',
  'apps/api/src/hostile-http.int.test.ts',
  'apps/api/src/idempotency/idempotency-keys.int.test.ts',
  'apps/api/src/metrics/api-metrics.int.test.ts',
  'apps/api/src/middleware/api-key-auth.int.test.ts',
  'apps/api/src/openapi/docs.int.test.ts',
  'apps/api/src/queue/job-batcher.int.test.ts',
  'apps/api/src/rate-limit/rate-limiter.int.test.ts',
  'apps/api/src/routes/bad-input.int.test.ts',
  'apps/api/src/routes/bulk/bulk.int.test.ts',
  'apps/api/src/routes/bull-board/bull-board.int.test.ts',
  'apps/api/src/routes/push/push.int.test.ts',
  'apps/worker/src/notification-processor.int.test.ts',
  'apps/worker/src/observe-worker.int.test.ts',
  'apps/worker/src/record-batcher.int.test.ts',
  'apps/worker/src/worker-metrics.int.test.ts',
  'apps/gateway/src/bus-room-check.int.test.ts',
  'apps/gateway/src/catch-up.int.test.ts',
  'apps/gateway/src/concurrent-load.int.test.ts',
  'apps/gateway/src/fan-out.int.test.ts',
  'apps/gateway/src/gateway-metrics.int.test.ts',
  'apps/gateway/src/hostile-events.int.test.ts',
  'apps/gateway/src/inbox-changes.int.test.ts',
  'apps/gateway/src/inbox-counts.int.test.ts',
  'apps/gateway/src/inbox-requests.int.test.ts',
  'apps/gateway/src/isolation.int.test.ts',
  'apps/gateway/src/login-replay.int.test.ts',
  'apps/gateway/src/older-pages/older-pages.int.test.ts',
  'apps/gateway/src/presence.int.test.ts',
  'apps/gateway/src/socket-auth.int.test.ts',
  'apps/gateway/src/socket-rate-limit.int.test.ts',
  'apps/gateway/src/text-round-trip.int.test.ts',
  'apps/gateway/src/token-refresh.int.test.ts',
  'apps/gateway/src/token-revocation.int.test.ts',
];

export default defineConfig({
  resolve: { alias: libAliases },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,libs}/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.cluster.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,libs}/*/{src,test}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          // In-process tests import the whole app graph (express, Bull Board, socket.io, …): without
          // isolation a worker imports it once, not once per file (37 s of a 112 s run). They keep
          // no state between files (each stack has its own prefix, ports and SQLite file), and spend
          // most of their time waiting on sockets and Redis, so two files run at once even on 2 cores.
          isolate: false,
          maxWorkers: 2,
          // Its own group (vitest runs groups one after the other), as it differs in maxWorkers.
          sequence: { groupOrder: 1 },
          globalSetup: ['libs/testing/src/redis-global-setup.ts', MONGO_SETUP],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          // The same parts on a real Redis Cluster (3 masters, 3 replicas) that its global setup
          // starts and stops: `*.cluster.test.ts`, and the integration tests listed in ON_BOTH_REDIS.
          name: 'cluster',
          include: ['{apps,libs}/*/src/**/*.cluster.test.ts', ...ON_BOTH_REDIS],
          exclude: ['**/node_modules/**'],
          globalSetup: ['libs/testing/src/redis-cluster-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          globalSetup: [MONGO_SETUP],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Slow fault drills (kills, restarts, expiry windows): `npm run test:faults`, also run by CI.
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          globalSetup: [MONGO_SETUP],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
