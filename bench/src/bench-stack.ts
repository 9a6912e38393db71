import { fileURLToPath } from 'node:url';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startFerretDb, type FerretDbServer } from '@notify/launcher';
import { MongoStore, SqliteStore, type NotificationStore } from '@notify/store';
import { describeMongoServer, startStack, type Stack } from '@notify/testing';
import type { BenchOptions } from './bench-options.js';
import { CATCH_UP_MISSED, CATCH_UP_SEED } from './scenarios/replay.js';

/** The pipeline under test: the harness's stack, plus how to open its store directly (for seeding). */
export interface BenchStack {
  readonly stack: Stack;
  /** The same store the apps use, opened in this process. */
  openStore(): Promise<NotificationStore>;
  /** Where `--profile` writes each app's `.cpuprofile` (one folder per app). */
  readonly profileDir: string | undefined;
  /**
   * With `--profile`: starts the apps' CPU profiles for the phase `label`, or stops and writes
   * them (SIGUSR2, see cpu-profile-preload). Each app's n-th profile is of `profiledPhases[n - 1]`.
   */
  toggleProfiling(label?: string): Promise<void>;
  /** The phases profiled so far, in order. */
  readonly profiledPhases: readonly string[];
  /** What holds the records, for the report: `SQLite`, or the MongoDB-compatible server and how it got there. */
  readonly storeServer: string;
  /** The FerretDB the bench started (no MONGO_URL), counted in the CPU readings like Redis. */
  readonly ferretdb: FerretDbServer | undefined;
  /** Stops the apps (profiles are written as they exit), Redis, drops its MongoDB database and stops a FerretDB it started. */
  stop(): Promise<void>;
}

const PRELOAD = fileURLToPath(new URL('./profile/cpu-profile-preload.js', import.meta.url));

/** Resolves once `apps` app folders under `dir` hold `count` profiles each (or after 10 s, whatever is there). */
async function profilesWritten(dir: string, apps: number, count: number): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  const written = async () => {
    const folders = await readdir(dir).catch(() => [] as string[]);
    const counts = await Promise.all(folders.map(async (app) => (await readdir(join(dir, app))).filter((file) => file.endsWith('.cpuprofile')).length));
    return folders.length === apps && counts.every((n) => n >= count);
  };
  while (!(await written()) && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The environment that makes an app write a CPU profile into `dir/<app>/`. */
function profiled(dir: string | undefined, app: string): Record<string, string> {
  return dir ? { NODE_OPTIONS: `--import=${PRELOAD}`, BENCH_CPU_PROF_DIR: join(dir, app), BENCH_CPU_PROF_NAME: app } : {};
}

/**
 * Starts Redis, the api, one worker and one gateway with the harness's `startStack` (each app in
 * its own process), with the per-key rate limit off (the bench is one producer) and the message cap
 * large enough for the replay seed. With `--store mongo`, a fresh database on MONGO_URL's server,
 * or without MONGO_URL on a FerretDB the bench starts (`.tools/bin/ferretdb`) and stops.
 */
export async function startBenchStack(options: BenchOptions, profileDir: string | undefined): Promise<BenchStack> {
  const capRows = Math.max(1_000_000, ...options.replayStored) + CATCH_UP_SEED;
  const ferretdb = options.store === 'mongo' && !process.env.MONGO_URL ? await startFerretDb() : undefined;
  const mongoUrl = options.store === 'mongo' ? (ferretdb?.url ?? process.env.MONGO_URL) : undefined;
  let stack: Stack;
  let storeServer = 'SQLite';
  try {
    if (mongoUrl) storeServer = `${(await describeMongoServer(mongoUrl)).label}${ferretdb ? ', started by the bench (SQLite backend)' : ', MONGO_URL'}`;
    stack = await startStack({
      workers: 0,
      gateways: 0,
      readyTimeoutMs: 60_000,
      ...(mongoUrl ? { store: 'mongo', mongoUrl } : {}),
      env: {
        API_RATE_LIMIT: '0',
        // The catch-up probe's pages missed 1,000 messages and held 20.
        CATCH_UP_LIMIT: String(2 * CATCH_UP_MISSED),
        MESSAGES_CAP_DOCS: String(capRows),
        LOG_LEVEL: 'info',
        ...options.appEnv,
        ...profiled(profileDir, 'api'),
      },
    });
  } catch (error) {
    await ferretdb?.stop();
    throw error;
  }
  const stop = async () => {
    try {
      await stack.stop();
    } finally {
      await ferretdb?.stop();
    }
  };
  try {
    await Promise.all([stack.addWorker(profiled(profileDir, 'worker')), stack.addGateway(profiled(profileDir, 'gateway'))]);
  } catch (error) {
    await stop();
    throw error;
  }
  const { mongo } = stack;
  const profiledPhases: string[] = [];
  let profiling = false;
  const openStore = (): Promise<NotificationStore> =>
    mongo
      ? MongoStore.open({ url: mongo.url, dbName: mongo.dbName, poolSize: 5, timeoutMs: 10_000, retention: { kind: 'capped', capBytes: 1024 ** 3, capDocs: capRows } })
      : SqliteStore.open({ path: stack.sqlitePath, messagesCapRows: capRows });
  return {
    stack,
    openStore,
    profileDir,
    storeServer,
    ferretdb,
    profiledPhases,
    async toggleProfiling(label = 'unlabelled') {
      if (!profileDir) return;
      const stopping = profiling;
      if (!stopping) profiledPhases.push(label);
      profiling = !profiling;
      const apps = [stack.api, ...stack.workers, ...stack.gateways];
      for (const app of apps) process.kill(app.pid, 'SIGUSR2');
      // Signals do not queue: a start sent before the app has handled this stop would be lost. So a
      // stop is done once every app has written its profile of the phase.
      if (stopping) await profilesWritten(profileDir, apps.length, profiledPhases.length);
    },
    stop,
  };
}
