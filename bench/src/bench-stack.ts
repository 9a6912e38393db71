import { fileURLToPath } from 'node:url';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startFerretDb, startRedisCluster, type FerretDbServer, type RedisCluster } from '@notify/launcher';
import type { RedisTarget } from '@notify/redis';
import { MongoStore, SqliteStore, type NotificationStore } from '@notify/store';
import { describeMongoServer, startStack, type Stack } from '@notify/testing';
import type { BenchOptions, RedisMode } from './bench-options.js';
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
  /** Which Redis the apps are on, and how to reach it (for the queue samplers and baselines). */
  readonly redisMode: RedisMode;
  readonly redisTarget: RedisTarget;
  /**
   * Every Redis process by name, for the CPU readings: `redis`, or on a cluster each node,
   * `redis m1` … (masters) and `redis r1` … (their replicas, in the same order).
   */
  readonly redisProcesses: Record<string, number>;
  /** QUEUE_PARTITIONS of the apps. */
  readonly queuePartitions: number;
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

/** Masters of the bench's Redis Cluster, and the queue partitions the apps spread over them. */
const CLUSTER_MASTERS = 3;

/**
 * Starts Redis, the api, one worker and one gateway with the harness's `startStack` (each app in
 * its own process), with the per-key rate limit off (the bench is one producer) and the message cap
 * large enough for the replay seed. With `--store mongo`, a fresh database on MONGO_URL's server,
 * or without MONGO_URL on a FerretDB the bench starts (`.tools/bin/ferretdb`) and stops. With
 * `redis` `cluster`, a Redis Cluster of its own (3 masters, 3 replicas, append-only files on as on
 * the single server) and the queue in 3 partitions (unless `--app-env QUEUE_PARTITIONS=` says otherwise).
 */
export async function startBenchStack(options: BenchOptions, redis: RedisMode, profileDir: string | undefined): Promise<BenchStack> {
  const capRows = Math.max(1_000_000, ...options.replayStored) + CATCH_UP_SEED;
  const cluster: RedisCluster | undefined = redis === 'cluster' ? await startRedisCluster({ masters: CLUSTER_MASTERS, replicasPerMaster: 1 }) : undefined;
  const ferretdb = options.store === 'mongo' && !process.env.MONGO_URL ? await startFerretDb().catch(async (error: unknown) => {
    await cluster?.stop();
    throw error;
  }) : undefined;
  const mongoUrl = options.store === 'mongo' ? (ferretdb?.url ?? process.env.MONGO_URL) : undefined;
  const queuePartitions = Number(options.appEnv.QUEUE_PARTITIONS ?? (cluster ? CLUSTER_MASTERS : 1));
  let stack: Stack;
  let storeServer = 'SQLite';
  try {
    if (mongoUrl) storeServer = `${(await describeMongoServer(mongoUrl)).label}${ferretdb ? ', started by the bench (SQLite backend)' : ', MONGO_URL'}`;
    stack = await startStack({
      workers: 0,
      gateways: 0,
      readyTimeoutMs: 60_000,
      ...(mongoUrl ? { store: 'mongo', mongoUrl } : {}),
      ...(cluster ? { redisCluster: cluster } : {}),
      env: {
        QUEUE_PARTITIONS: String(queuePartitions),
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
    await cluster?.stop();
    throw error;
  }
  const stop = async () => {
    try {
      await stack.stop();
    } finally {
      await ferretdb?.stop();
      await cluster?.stop();
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
  const redisProcesses = cluster ? clusterProcesses(cluster) : { redis: stack.redis.pid };
  return {
    stack,
    openStore,
    profileDir,
    storeServer,
    ferretdb,
    redisMode: redis,
    redisTarget: cluster ? { clusterNodes: cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })) } : { url: stack.redis.url },
    redisProcesses,
    queuePartitions,
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

/** A cluster's nodes by role as created: `redis m1` … the masters, `redis r1` … their replicas. */
function clusterProcesses(cluster: RedisCluster): Record<string, number> {
  return Object.fromEntries(
    cluster.nodes.map((node, index) => [index < CLUSTER_MASTERS ? `redis m${index + 1}` : `redis r${index - CLUSTER_MASTERS + 1}`, node.pid]),
  );
}
