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

// The `cluster` project runs every integration test again on a real Redis Cluster (they use Redis
// only through @notify/testing: testRedisEnv, connectTestRedis, useInProcessStack, openStackQueue),
// except these, which are single-node-only or use no Redis:
const NOT_ON_CLUSTER = [
  // Stop their stack's own redis-server (ownRedis): the limit fails open; a logged 503.
  'apps/api/src/rate-limit/rate-limit.int.test.ts',
  'apps/api/src/middleware/observe-requests.int.test.ts',
  // Hangs a redis-server of its own with SIGSTOP (cluster outages: tests/faults).
  'apps/gateway/src/token-check-outage.int.test.ts',
  // The stores and FerretDB: no Redis.
  'libs/store/**',
  'libs/launcher/src/ferretdb-server.int.test.ts',
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
          // starts and stops: `*.cluster.test.ts`, and the integration tests but NOT_ON_CLUSTER.
          name: 'cluster',
          include: ['{apps,libs}/*/src/**/*.cluster.test.ts', '{apps,libs}/*/src/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', ...NOT_ON_CLUSTER],
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
