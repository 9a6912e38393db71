import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '@notify/api';
import { startGateway, type RunningGateway } from '@notify/gateway';
import { startWorker, type RunningWorker } from '@notify/worker';
import { signBrowserToken } from '@notify/auth';
import { loadApiConfig, loadGatewayConfig, loadWorkerConfig } from '@notify/config';
import { createLogger, type Logger } from '@notify/observability';
import { ApiClient } from './api-client.js';
import { openPage, type OpenPageOptions, type Page } from './page.js';

export interface InProcessStackOptions {
  /** The Redis server every app uses (e.g. `inject('redisUrl')` in the integration project). */
  redisUrl?: string;
  /**
   * A Redis Cluster every app uses instead, by its nodes (`host:port,…`, e.g.
   * `inject('redisClusterNodes')` in the `cluster` project). Give this or `redisUrl`.
   */
  redisClusterNodes?: string;
  /** How many gateways to start. Default 1. */
  gateways?: number;
  /** Start a worker. Default true; false leaves accepted jobs waiting in the queue. */
  worker?: boolean;
  /** Environment-style settings for every app, on top of the stack's own (ports, secrets, prefix, SQLite file). */
  env?: Record<string, string>;
  /** Level of the apps' log lines (on stdout). Default `silent`. */
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
  /** An api client holding the stack's API key. */
  readonly client: ApiClient;
  /** The settings every app got (the variables and values of `process.env` they were built from). */
  readonly env: Readonly<Record<string, string>>;
  readonly jwtSecret: string;
  /** A browser token for `uid` in `companyID`, signed with the stack's secret. */
  token(uid: string | number, companyID: string | number, ttlSeconds?: number): Promise<string>;
  /** Opens a page of `uid` in `companyID`, authenticated in the handshake with a fresh token. */
  page(uid: string | number, companyID: string | number, options?: PageOptions): Promise<Page>;
  /** Starts one more gateway, with `env` on top of the stack's. */
  addGateway(env?: Record<string, string>): Promise<RunningGateway>;
  /** Closes every app and removes the SQLite file. Safe to call twice. */
  stop(): Promise<void>;
}

const secret = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Starts the real api, worker and gateway(s) in this process (no child processes): the same start
 * functions their `main.ts` run, with a key prefix and SQLite file of their own, so stacks can share
 * a Redis. For behaviour tests; spawn the processes ({@link startStack}) only for what needs a
 * process (a kill, a restart, start-up and configuration).
 */
export async function startInProcessStack(options: InProcessStackOptions): Promise<InProcessStack> {
  if ((options.redisUrl === undefined) === (options.redisClusterNodes === undefined)) {
    throw new Error('startInProcessStack: give redisUrl or redisClusterNodes (one of them)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'notify-inproc-'));
  const env: Record<string, string> = {
    ...(options.redisClusterNodes === undefined ? { REDIS_URL: options.redisUrl ?? '' } : { REDIS_CLUSTER_NODES: options.redisClusterNodes }),
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
  const logger = (name: string): Logger => createLogger({ name, level: options.logLevel ?? 'silent' });
  const running: { close(): Promise<void> }[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Gateways first (their pages go), then the worker, then the api; each closes its own connections.
      for (const app of [...running].reverse()) await app.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    })());
  const started = <T extends { close(): Promise<void> }>(app: T): T => {
    running.push(app);
    return app;
  };

  const gateways: RunningGateway[] = [];
  const addGateway = async (extra: Record<string, string> = {}) => {
    if (stopping) throw new Error('startInProcessStack: cannot add a gateway to a stopped stack');
    const gateway = started(await startGateway(loadGatewayConfig({ ...env, ...extra }), logger('gateway')));
    gateways.push(gateway);
    return gateway;
  };

  try {
    const api = started(await startApi(loadApiConfig(env), logger('api')));
    const worker = options.worker === false ? undefined : started(await startWorker(loadWorkerConfig(env), logger('worker')));
    for (let i = 0; i < (options.gateways ?? 1); i += 1) await addGateway();
    const apiUrl = `http://127.0.0.1:${api.port}`;
    const apiKey = env.API_KEYS!.split(',')[0]!.trim();
    const token = async (uid: string | number, companyID: string | number, ttlSeconds = 3600) =>
      (await signBrowserToken(env.JWT_SECRET!, { uid: String(uid), companyID: String(companyID) }, ttlSeconds)).token;
    return {
      api,
      worker,
      gateways,
      apiUrl,
      get gatewayUrls() {
        return gateways.map((gateway) => `http://127.0.0.1:${gateway.port}`);
      },
      client: new ApiClient(apiUrl, apiKey),
      env,
      jwtSecret: env.JWT_SECRET!,
      token,
      async page(uid, companyID, pageOptions = {}) {
        const gateway = gateways[pageOptions.gateway ?? 0];
        if (!gateway) throw new Error(`stack.page: there is no gateway ${pageOptions.gateway ?? 0}`);
        return openPage(`http://127.0.0.1:${gateway.port}`, { token: await token(uid, companyID, pageOptions.ttlSeconds) }, pageOptions);
      },
      addGateway,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
