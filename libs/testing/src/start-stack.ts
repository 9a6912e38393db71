import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startRedisServer, type AppProcess, type RedisCluster, type RedisServer } from '@notify/launcher';
import { ApiClient } from './api-client.js';
import { openPage, type OpenPageOptions, type Page } from './page.js';
import { spawnApp } from './spawn-app.js';

export interface StackOptions {
  /** How many gateways to start. Default 1. */
  gateways?: number;
  /** How many workers to start. Default 1. */
  workers?: number;
  /** Extra environment for every app; wins over the stack's own. */
  env?: Record<string, string>;
  /** A Redis to use (and leave running). Default: one of its own on a free port, append-only file on, stopped by `stop()`. */
  redis?: RedisServer;
  /** A Redis Cluster to use instead (and leave running): the apps get `REDIS_CLUSTER_NODES` (its seeds). */
  redisCluster?: RedisCluster;
  /** Per app (ms). Default 20 s. */
  readyTimeoutMs?: number;
  /**
   * The store the apps use. Default `sqlite`: a fresh file in the stack's temporary directory.
   * `mongo`: a fresh `notify_test_*` database on {@link mongoUrl}, dropped by `stop()`.
   */
  store?: 'sqlite' | 'mongo';
  /** The MongoDB (or FerretDB) of `store: 'mongo'`, e.g. `inject('mongoServer').url`; required with it. */
  mongoUrl?: string;
}

/** The real api, worker(s) and gateway(s) on free ports, sharing one Redis and one store. */
export interface Stack {
  /** The Redis server the apps use (not with `redisCluster`: reading it then throws). */
  readonly redis: RedisServer;
  /** The Redis Cluster the apps use, when the stack was started with one. */
  readonly redisCluster: RedisCluster | undefined;
  readonly api: AppProcess;
  /** Every worker started so far, including ones a test has killed. */
  readonly workers: AppProcess[];
  /** Every gateway started so far, including ones a test has killed. */
  readonly gateways: AppProcess[];
  readonly apiUrl: string;
  /** `url` of each of {@link gateways}, in the same order. */
  readonly gatewayUrls: string[];
  /** An API key the api accepts (the first of `API_KEYS`). */
  readonly apiKey: string;
  /** The secret browser tokens are signed with. */
  readonly jwtSecret: string;
  /** The store the apps use. */
  readonly store: 'sqlite' | 'mongo';
  /** The SQLite file (with store `sqlite`). */
  readonly sqlitePath: string;
  /** With store `mongo`: the server and the stack's own database on it (dropped by `stop()`). */
  readonly mongo: { url: string; dbName: string } | undefined;
  /** The environment every app got (before `extraEnv`). */
  readonly env: Readonly<Record<string, string>>;
  /** An {@link ApiClient} for {@link apiUrl} with {@link apiKey}. */
  readonly client: ApiClient;
  /** Opens a page of `uid` in `companyID` on the first gateway, with a freshly minted token. */
  page(uid: string | number, companyID: string | number, options?: OpenPageOptions): Promise<Page>;
  /** Starts one more worker, with `extraEnv` on top of {@link env}. */
  addWorker(extraEnv?: Record<string, string>): Promise<AppProcess>;
  /** Starts one more gateway, with `extraEnv` on top of {@link env}. */
  addGateway(extraEnv?: Record<string, string>): Promise<AppProcess>;
  /** Stops every app, then the Redis it started, drops its MongoDB database, and removes its temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

const secret = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Starts Redis (unless given), then the api, the worker(s) and the gateway(s) in parallel, each
 * on a free port with a fresh store (SQLite file or MongoDB database), random secrets and a Redis
 * key prefix of its own (so stacks can share a Redis and a MongoDB). If any app fails to start,
 * whatever did start is stopped again.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const store = options.store ?? 'sqlite';
  if (store === 'mongo' && !options.mongoUrl) throw new Error("startStack: store 'mongo' needs mongoUrl");
  const mongo = store === 'mongo' ? { url: options.mongoUrl ?? '', dbName: `notify_test_${secret(8)}` } : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'notify-stack-'));
  const cluster = options.redisCluster;
  const ownRedis = options.redis === undefined && cluster === undefined;
  let redis: RedisServer | undefined;
  try {
    redis = cluster ? undefined : (options.redis ?? (await startRedisServer({ dir: join(dir, 'redis'), appendOnly: true })));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const env: Record<string, string> = {
    ...(cluster ? { REDIS_CLUSTER_NODES: cluster.seeds } : { REDIS_URL: redis?.url ?? '' }),
    REDIS_PREFIX: `t${secret(6)}`,
    STORE: store,
    SQLITE_PATH: join(dir, 'notify.db'),
    ...(mongo ? { MONGO_URL: mongo.url, MONGO_DB: mongo.dbName } : {}),
    API_KEYS: `test_${secret(24)}`,
    JWT_SECRET: secret(32),
    BULL_BOARD_USER: 'admin',
    BULL_BOARD_PASSWORD: secret(8),
    API_PORT: '0',
    GATEWAY_PORT: '0',
    WORKER_HTTP_PORT: '0',
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
    ...options.env,
  };
  const spawnOptions = { readyTimeoutMs: options.readyTimeoutMs };
  const started: AppProcess[] = [];
  let stopping: Promise<void> | undefined;
  const spawn = async (name: 'api' | 'worker' | 'gateway', extraEnv: Record<string, string> = {}) => {
    if (stopping) throw new Error(`startStack: cannot add a ${name} to a stopped stack`);
    const app = await spawnApp(name, { ...env, ...extraEnv }, spawnOptions);
    started.push(app);
    return app;
  };

  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(started.map((app) => app.stop(5000)));
      if (ownRedis) await redis?.stop();
      try {
        if (mongo) await dropDatabase(mongo.url, mongo.dbName);
      } finally {
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    })());

  const results = await Promise.allSettled([
    spawn('api'),
    ...Array.from({ length: options.workers ?? 1 }, () => spawn('worker')),
    ...Array.from({ length: options.gateways ?? 1 }, () => spawn('gateway')),
  ]);
  const failures = results.filter((result) => result.status === 'rejected');
  if (failures.length > 0) {
    await stop();
    const reasons = failures.map((failure) => failure.reason as unknown);
    throw reasons.length === 1 ? reasons[0] : new AggregateError(reasons, reasons.map(String).join('\n\n'));
  }
  const [api, ...rest] = started.filter((app) => app.name === 'api');
  if (!api || rest.length > 0) throw new Error('startStack: expected exactly one api');
  const workers = started.filter((app) => app.name === 'worker');
  const gateways = started.filter((app) => app.name === 'gateway');
  const apiKey = env.API_KEYS!.split(',')[0]!.trim();
  const client = new ApiClient(api.url, apiKey);

  return {
    get redis() {
      if (!redis) throw new Error('this stack runs on a Redis Cluster: use stack.redisCluster');
      return redis;
    },
    redisCluster: cluster,
    api,
    workers,
    gateways,
    apiUrl: api.url,
    get gatewayUrls() {
      return gateways.map((gateway) => gateway.url);
    },
    apiKey,
    jwtSecret: env.JWT_SECRET!,
    store,
    sqlitePath: env.SQLITE_PATH!,
    mongo,
    env,
    client,
    async page(uid, companyID, options) {
      const gateway = gateways[0];
      if (!gateway) throw new Error('stack.page: the stack has no gateway');
      return openPage(gateway.url, { token: await client.mintToken(uid, companyID) }, options);
    },
    async addWorker(extraEnv) {
      const worker = await spawn('worker', extraEnv);
      workers.push(worker);
      return worker;
    },
    async addGateway(extraEnv) {
      const gateway = await spawn('gateway', extraEnv);
      gateways.push(gateway);
      return gateway;
    },
    stop,
  };
}

async function dropDatabase(url: string, dbName: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}
