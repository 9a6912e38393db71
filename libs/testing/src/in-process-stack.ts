import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '@notify/api';
import { startGateway, type RunningGateway } from '@notify/gateway';
import { startWorker, type RunningWorker } from '@notify/worker';
import { signBrowserToken } from '@notify/auth';
import { loadApiConfig, loadGatewayConfig, loadWorkerConfig } from '@notify/config';
import { startRedisServer, type RedisServer } from '@notify/launcher';
import { createLogger, type Logger } from '@notify/observability';
import { ApiClient } from './api-client.js';
import { LogLines } from './log-lines.js';
import { openPage, type OpenPageOptions, type Page } from './page.js';
import { waitUntil } from './wait-until.js';

export interface InProcessStackOptions {
  /**
   * The Redis server every app uses (e.g. `inject('redisUrl')` in the integration project). Default
   * (and no `redisClusterNodes`): a redis-server of the stack's own on a free port (append-only file
   * off), which a test may stop and restart ({@link InProcessStack.redisServer}) and which `stop()` stops.
   */
  redisUrl?: string;
  /**
   * A Redis Cluster every app uses instead, by its nodes (`host:port,…`, e.g.
   * `inject('redisClusterNodes')` in the `cluster` project). Not with `redisUrl`.
   */
  redisClusterNodes?: string;
  /** How many gateways to start. Default 1. */
  gateways?: number;
  /** Start a worker. Default true; false leaves accepted jobs waiting in the queue. */
  worker?: boolean;
  /** Environment-style settings for every app, on top of the stack's own (ports, secrets, prefix, SQLite file). */
  env?: Record<string, string>;
  /** Level of the apps' log lines, which the stack keeps in {@link InProcessStack.logs} (not printed). Default `silent`. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

export interface PageOptions extends OpenPageOptions {
  /** Which gateway, by index into {@link InProcessStack.gateways}. Default 0. */
  gateway?: number;
  /** Token lifetime in seconds. Default 1 h. */
  ttlSeconds?: number;
}

/** The api, a worker and gateways running in this test process, on free ports, sharing one Redis (or Redis Cluster) and one SQLite file. */
export interface InProcessStack {
  readonly api: RunningApi;
  readonly worker: RunningWorker | undefined;
  /** Every gateway started so far. */
  readonly gateways: RunningGateway[];
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` of each of {@link gateways}, in the same order. */
  readonly gatewayUrls: string[];
  /** `http://127.0.0.1:<port>` of the worker's probes and metrics; undefined without a worker. */
  readonly workerUrl: string | undefined;
  /** An api client holding the stack's API key. */
  readonly client: ApiClient;
  /** The first of `API_KEYS`. */
  readonly apiKey: string;
  /** The settings every app got (the variables and values of `process.env` they were built from). */
  readonly env: Readonly<Record<string, string>>;
  readonly jwtSecret: string;
  readonly sqlitePath: string;
  /**
   * The Redis server the apps use (what {@link openStackQueue} needs, with {@link env}); its `url`
   * is empty on a Redis Cluster (`redisClusterNodes`), where a test uses `connectTestRedis`.
   */
  readonly redis: { readonly url: string };
  /** The stack's own redis-server, when neither `redisUrl` nor `redisClusterNodes` was given; undefined otherwise. */
  readonly redisServer: RedisServer | undefined;
  /**
   * Stops the stack's own redis-server ({@link InProcessStackOptions.ownRedis}), runs `work`,
   * restarts it (failed `work` or not) and resolves once the worker, if any, is ready again: a
   * worker stopped while it is still reconnecting would wait for Redis. Resolves with `work`'s result.
   */
  whileRedisIsDown<T>(work: () => Promise<T>): Promise<T>;
  /** The apps' log lines at {@link InProcessStackOptions.logLevel}, parsed. */
  readonly logs: LogLines;
  /** A browser token for `uid` in `companyID`, signed with the stack's secret. */
  token(uid: string | number, companyID: string | number, ttlSeconds?: number): Promise<string>;
  /** Opens a page of `uid` in `companyID`, authenticated in the handshake with a fresh token. */
  page(uid: string | number, companyID: string | number, options?: PageOptions): Promise<Page>;
  /** Starts one more gateway, with `env` on top of the stack's. */
  addGateway(env?: Record<string, string>): Promise<RunningGateway>;
  /** Starts one more api on the same Redis, store and keys, with `env` on top of the stack's; a client for it. */
  addApi(env?: Record<string, string>): Promise<{ api: RunningApi; client: ApiClient }>;
  /** Closes every app (giving each up to 10 s), removes the SQLite file and stops the stack's own Redis. Safe to call twice. */
  stop(): Promise<void>;
}

const secret = (bytes: number) => randomBytes(bytes).toString('hex');
/** How long `stop()` waits for one app to close before going on to the next. */
const CLOSE_TIMEOUT_MS = 10_000;
const local = (port: number) => `http://127.0.0.1:${port}`;

/**
 * Starts the real api, worker and gateway(s) in this process (no child processes): the same start
 * functions their `main.ts` run, with a key prefix and SQLite file of their own, so stacks can share
 * a Redis. For behaviour tests; spawn the processes ({@link startStack}) only for what needs a
 * process (a kill, a restart, start-up and configuration).
 */
export async function startInProcessStack(options: InProcessStackOptions = {}): Promise<InProcessStack> {
  if (options.redisUrl !== undefined && options.redisClusterNodes !== undefined) {
    throw new Error('startInProcessStack: give redisUrl or redisClusterNodes, not both');
  }
  const dir = await mkdtemp(join(tmpdir(), 'notify-inproc-'));
  let redisServer: RedisServer | undefined;
  if (options.redisUrl === undefined && options.redisClusterNodes === undefined) {
    try {
      redisServer = await startRedisServer({ dir: join(dir, 'redis'), appendOnly: false });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const env: Record<string, string> = {
    ...(options.redisClusterNodes === undefined
      ? { REDIS_URL: options.redisUrl ?? (redisServer as RedisServer).url }
      : { REDIS_CLUSTER_NODES: options.redisClusterNodes }),
    REDIS_PREFIX: `t${secret(6)}`,
    STORE: 'sqlite',
    SQLITE_PATH: join(dir, 'notify.db'),
    API_KEYS: `test_${secret(24)}`,
    JWT_SECRET: secret(32),
    API_PORT: '0',
    GATEWAY_PORT: '0',
    WORKER_HTTP_PORT: '0',
    HOST: '127.0.0.1',
    ...options.env,
  };
  const logs = new LogLines();
  const logger = (name: string): Logger => createLogger({ name, level: options.logLevel ?? 'silent', destination: logs.destination() });
  const running: { close(): Promise<void> }[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Gateways first (their pages go), then the worker, then the api; each closes its own connections.
      // A close that hangs (a worker waits for a Redis that a test left down) must not hang the hook.
      for (const app of [...running].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
        await Promise.race([app.close().catch(() => undefined), giveUp]);
        clearTimeout(timer);
      }
      await redisServer?.stop();
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    })());
  const started = <T extends { close(): Promise<void> }>(app: T): T => {
    running.push(app);
    return app;
  };
  const apiKey = env.API_KEYS!.split(',')[0]!.trim();

  const gateways: RunningGateway[] = [];
  const addGateway = async (extra: Record<string, string> = {}) => {
    if (stopping) throw new Error('startInProcessStack: cannot add a gateway to a stopped stack');
    const gateway = started(await startGateway(loadGatewayConfig({ ...env, ...extra }), logger('gateway')));
    gateways.push(gateway);
    return gateway;
  };
  const addApi = async (extra: Record<string, string> = {}) => {
    if (stopping) throw new Error('startInProcessStack: cannot add an api to a stopped stack');
    const api = started(await startApi(loadApiConfig({ ...env, ...extra }), logger('api')));
    return { api, client: new ApiClient(local(api.port), apiKey) };
  };

  try {
    const { api, client } = await addApi();
    const worker = options.worker === false ? undefined : started(await startWorker(loadWorkerConfig(env), logger('worker')));
    for (let i = 0; i < (options.gateways ?? 1); i += 1) await addGateway();
    const token = async (uid: string | number, companyID: string | number, ttlSeconds = 3600) =>
      (await signBrowserToken(env.JWT_SECRET!, { uid: String(uid), companyID: String(companyID) }, ttlSeconds)).token;
    return {
      api,
      worker,
      gateways,
      apiUrl: local(api.port),
      get gatewayUrls() {
        return gateways.map((gateway) => local(gateway.port));
      },
      workerUrl: worker && local(worker.port),
      client,
      apiKey,
      env,
      jwtSecret: env.JWT_SECRET!,
      sqlitePath: env.SQLITE_PATH!,
      redis: { url: env.REDIS_URL ?? '' },
      redisServer,
      async whileRedisIsDown(work) {
        if (!redisServer) throw new Error('whileRedisIsDown needs a stack with its own Redis (ownRedis)');
        await redisServer.stop();
        try {
          return await work();
        } finally {
          await redisServer.restart();
          if (worker) await waitUntil(async () => (await fetch(`${local(worker.port)}/readyz`)).status === 200, { timeoutMs: 20_000, message: 'the worker is ready again' });
        }
      },
      logs,
      token,
      async page(uid, companyID, pageOptions = {}) {
        const gateway = gateways[pageOptions.gateway ?? 0];
        if (!gateway) throw new Error(`stack.page: there is no gateway ${pageOptions.gateway ?? 0}`);
        return openPage(local(gateway.port), { token: await token(uid, companyID, pageOptions.ttlSeconds) }, pageOptions);
      },
      addGateway,
      addApi,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
