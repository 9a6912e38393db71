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

// Integration tests that use Redis only through @notify/testing's testRedisEnv / connectTestRedis /
// useInProcessStack: the `cluster` project runs them again on a real Redis Cluster.
const ON_BOTH_REDIS = [
  'libs/presence/src/presence-tracker.int.test.ts',
  'libs/presence/src/is-user-online.int.test.ts',
  'apps/gateway/src/fan-out.int.test.ts',
  'apps/gateway/src/inbox-counts.int.test.ts',
  'apps/gateway/src/login-replay.int.test.ts',
  'apps/api/src/routes/push/push.int.test.ts',
  'libs/redis/src/lua-script.int.test.ts',
  'apps/api/src/rate-limit/rate-limiter.int.test.ts',
  'apps/api/src/queue/job-batcher.int.test.ts',
  'apps/gateway/src/token-revocation.int.test.ts',
  'apps/gateway/src/inbox-changes.int.test.ts',
  'apps/worker/src/observe-worker.int.test.ts',
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
