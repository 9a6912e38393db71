import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MongoStore, SqliteStore, type NotificationStore } from '@notify/store';
import { startStack, type Stack } from '@notify/testing';
import type { BenchOptions } from './bench-options.js';
import { CATCH_UP_MISSED, CATCH_UP_SEED } from './scenarios/replay.js';

/** The pipeline under test: the harness's stack, plus how to open its store directly (for seeding). */
export interface BenchStack {
  readonly stack: Stack;
  /** The same store the apps use, opened in this process. */
  openStore(): Promise<NotificationStore>;
  /** Where `--profile` writes each app's `.cpuprofile` (one folder per app). */
  readonly profileDir: string | undefined;
  /** With `--profile`: starts the apps' CPU profiles, or stops and writes them (SIGUSR2, see cpu-profile-preload). */
  toggleProfiling(): void;
  /** Stops the apps (profiles are written as they exit), Redis, and drops a MongoDB database it created. */
  stop(): Promise<void>;
}

const PRELOAD = fileURLToPath(new URL('./profile/cpu-profile-preload.js', import.meta.url));

/** The environment that makes an app write a CPU profile into `dir/<app>/`. */
function profiled(dir: string | undefined, app: string): Record<string, string> {
  return dir ? { NODE_OPTIONS: `--import=${PRELOAD}`, BENCH_CPU_PROF_DIR: join(dir, app), BENCH_CPU_PROF_NAME: app } : {};
}

/**
 * Starts Redis, the api, one worker and one gateway with the harness's `startStack` (each app in
 * its own process), with the per-key rate limit off (the bench is one producer) and the message cap
 * large enough for the replay seed. With `--store mongo`, a fresh `notify_bench_*` database.
 */
export async function startBenchStack(options: BenchOptions, profileDir: string | undefined): Promise<BenchStack> {
  const capRows = Math.max(1_000_000, ...options.replayStored) + CATCH_UP_SEED;
  const mongoDb = `notify_bench_${randomBytes(4).toString('hex')}`;
  const storeEnv: Record<string, string> =
    options.store === 'mongo' ? { STORE: 'mongo', MONGO_URL: process.env.MONGO_URL ?? '', MONGO_DB: mongoDb } : { STORE: 'sqlite' };
  const stack = await startStack({
    workers: 0,
    gateways: 0,
    readyTimeoutMs: 60_000,
    env: {
      API_RATE_LIMIT: '0',
      // The catch-up probe's pages missed 1,000 messages and held 20.
      CATCH_UP_LIMIT: String(2 * CATCH_UP_MISSED),
      MESSAGES_CAP_DOCS: String(capRows),
      LOG_LEVEL: 'info',
      ...storeEnv,
      ...options.appEnv,
      ...profiled(profileDir, 'api'),
    },
  });
  try {
    await Promise.all([stack.addWorker(profiled(profileDir, 'worker')), stack.addGateway(profiled(profileDir, 'gateway'))]);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const openStore = (): Promise<NotificationStore> =>
    options.store === 'mongo'
      ? MongoStore.open({ url: process.env.MONGO_URL ?? '', dbName: mongoDb, poolSize: 5, timeoutMs: 10_000, retention: { kind: 'capped', capBytes: 1024 ** 3, capDocs: capRows } })
      : SqliteStore.open({ path: stack.sqlitePath, messagesCapRows: capRows });
  return {
    stack,
    openStore,
    profileDir,
    toggleProfiling() {
      if (!profileDir) return;
      for (const app of [stack.api, ...stack.workers, ...stack.gateways]) process.kill(app.pid, 'SIGUSR2');
    },
    async stop() {
      await stack.stop();
      if (options.store === 'mongo') await dropMongoDatabase(process.env.MONGO_URL ?? '', mongoDb);
    },
  };
}

async function dropMongoDatabase(url: string, dbName: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}
