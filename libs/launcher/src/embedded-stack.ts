import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { loadDevSecrets } from './dev-secrets.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { portInUse } from './port-in-use.js';
import { startApp, type AppExit, type AppName, type AppProcess } from './start-app.js';

export interface EmbeddedStackOptions {
  /** The launcher's environment (usually `process.env`), passed on to the apps; what is set here wins over every default. */
  env: Record<string, string | undefined>;
  /** Holds `notify.db`, `redis/` and `dev-secrets.json`. Default `<cwd>/data`. */
  dataDir?: string;
  /** The apps' working directory. Default the cwd. */
  cwd?: string;
  /** Called with every line an app writes (JSON log lines, and anything else it prints). */
  onLine?: (app: AppName, line: string, stream: 'stdout' | 'stderr') => void;
  /** How long each app may take to be ready (ms). Default 30 s. */
  readyTimeoutMs?: number;
}

/** What a user needs to use the running stack; URLs use `localhost` unless `HOST` names an address. */
export interface EmbeddedStackInfo {
  gatewayUrl: string;
  /** The gateway's demo page for user 1 of company 7; undefined when `DEV_TOKEN_ROUTE` was turned off. */
  demoUrl: string | undefined;
  apiUrl: string;
  workerUrl: string;
  bullBoard: { url: string; user: string; password: string | undefined };
  /** The first of `API_KEYS`. */
  apiKey: string;
  /** Whether `API_KEYS` was set (else the key is a generated dev one). */
  apiKeyFromEnv: boolean;
  /** Where the generated secrets are kept, when any was needed. */
  secretsFile: string | undefined;
  /** The Redis URL, password masked; `embedded` when the launcher started it. */
  redis: { url: string; embedded: boolean; dir: string | undefined };
  /** e.g. `sqlite data/notify.db` or `mongo mongodb://…`. */
  store: string;
}

/** An app (or the embedded redis-server) that exited while nobody asked it to. */
export interface UnexpectedExit {
  name: AppName | 'redis-server';
  exit: AppExit;
  /** Its last output lines. */
  output: string;
}

/** The apps in start order of the banner; each reads its port from the variable beside it. */
const APPS = [
  { name: 'gateway', portVar: 'GATEWAY_PORT', defaultPort: 2120 },
  { name: 'api', portVar: 'API_PORT', defaultPort: 2121 },
  { name: 'worker', portVar: 'WORKER_HTTP_PORT', defaultPort: 2122 },
] as const satisfies readonly { name: AppName; portVar: string; defaultPort: number }[];

/** An empty variable counts as unset: `export JWT_SECRET=` should not defeat the generated one. */
const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * `npm start`: the three apps as child processes on one machine, with a SQLite store under
 * `./data/`, a redis-server of its own unless `REDIS_URL` is set, and generated dev secrets kept
 * in `./data/dev-secrets.json`. {@link EmbeddedStack.stop} stops the apps, then Redis.
 */
export class EmbeddedStack {
  /** Settles when an app or the embedded Redis exits without {@link stop} having been called. */
  readonly unexpectedExit: Promise<UnexpectedExit>;
  private reportExit!: (exit: UnexpectedExit) => void;
  private readonly aborter = new AbortController();
  private readonly apps: AppProcess[] = [];
  private redis: EmbeddedRedis | undefined;
  private starting: Promise<EmbeddedStackInfo> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: EmbeddedStackOptions) {
    this.unexpectedExit = new Promise((resolve) => (this.reportExit = resolve));
  }

  /** Whether {@link stop} has been called (so a failed start is not a crash). */
  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  /** Starts Redis (if needed) and the apps; on failure stops what did start, then rejects. */
  async start(): Promise<EmbeddedStackInfo> {
    this.starting ??= this.launch();
    try {
      return await this.starting;
    } catch (error) {
      await this.shutdown();
      throw error;
    }
  }

  /** Stops the apps (SIGTERM, waiting for each), then the embedded Redis. Safe to call twice or during {@link start}. */
  async stop(): Promise<void> {
    this.aborter.abort();
    await this.starting?.catch(() => undefined);
    await this.shutdown();
  }

  /**
   * For impatient users (Ctrl-C twice): SIGKILLs the apps at once, then still stops Redis
   * gracefully, which takes milliseconds and keeps its append-only file whole.
   */
  async kill(): Promise<void> {
    this.aborter.abort();
    this.stopping ??= Promise.resolve();
    await Promise.all(this.apps.map((app) => app.kill('SIGKILL')));
    await this.redis?.stop();
  }

  private shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.apps.map((app) => app.stop()));
      await this.redis?.stop();
    })();
    return this.stopping;
  }

  private async launch(): Promise<EmbeddedStackInfo> {
    const signal = this.aborter.signal;
    const env: Record<string, string | undefined> = { ...this.options.env };
    const dataDir = resolve(this.options.dataDir ?? 'data');
    await this.checkPorts(env);
    await mkdir(dataDir, { recursive: true });

    const apiKeyFromEnv = isSet(env.API_KEYS);
    let secretsFile: string | undefined;
    if (!isSet(env.API_KEYS) || !isSet(env.JWT_SECRET) || !isSet(env.BULL_BOARD_PASSWORD)) {
      secretsFile = join(dataDir, 'dev-secrets.json');
      const secrets = await loadDevSecrets(secretsFile);
      if (!isSet(env.API_KEYS)) env.API_KEYS = secrets.apiKey;
      if (!isSet(env.JWT_SECRET)) env.JWT_SECRET = secrets.jwtSecret;
      if (!isSet(env.BULL_BOARD_PASSWORD)) env.BULL_BOARD_PASSWORD = secrets.bullBoardPassword;
    }
    if (!isSet(env.BULL_BOARD_USER)) env.BULL_BOARD_USER = 'admin';
    if (env.STORE !== 'mongo' && !isSet(env.SQLITE_PATH)) env.SQLITE_PATH = join(dataDir, 'notify.db');
    // The demo page gets its token from the gateway's dev route: on here, off in every other setup.
    if (!isSet(env.DEV_TOKEN_ROUTE)) env.DEV_TOKEN_ROUTE = '1';
    // The dev token route mints any user's token for anyone who asks: only this machine may ask,
    // unless HOST says otherwise.
    if (!isSet(env.HOST)) env.HOST = '127.0.0.1';
    // The launcher reads the apps' log lines; it prints them pretty itself.
    env.LOG_FORMAT = 'json';

    // REDIS_CLUSTER_NODES names a Redis Cluster to use instead (the apps refuse both at once).
    if (!isSet(env.REDIS_URL) && !isSet(env.REDIS_CLUSTER_NODES)) {
      signal.throwIfAborted();
      const redis = await startEmbeddedRedis({ dir: join(dataDir, 'redis'), signal });
      this.redis = redis;
      void redis.exit.then((exit) => this.exited('redis-server', exit, redis.output()));
      env.REDIS_URL = redis.url;
    }

    signal.throwIfAborted();
    let firstError: unknown;
    await Promise.allSettled(
      APPS.map(async ({ name }) => {
        try {
          const app = await startApp(name, {
            env,
            cwd: this.options.cwd,
            detached: true,
            signal,
            readyTimeoutMs: this.options.readyTimeoutMs ?? 30_000,
            onLine: (line, stream) => this.options.onLine?.(name, line, stream),
          });
          this.apps.push(app);
          void app.exit.then((exit) => this.exited(name, exit, app.output()));
        } catch (error) {
          // The first failure is the one to report; the others are only stopped because of it.
          firstError ??= error;
          this.aborter.abort();
        }
      }),
    );
    if (firstError !== undefined) throw firstError;
    return this.info(env, secretsFile, apiKeyFromEnv);
  }

  private exited(name: UnexpectedExit['name'], exit: AppExit, output: string): void {
    if (!this.stopped) this.reportExit({ name, exit, output });
  }

  /** Fails early, with the variable to change, when a fixed port is taken (e.g. by another npm start). */
  private async checkPorts(env: Record<string, string | undefined>): Promise<void> {
    const taken: string[] = [];
    for (const { portVar, defaultPort } of APPS) {
      const port = isSet(env[portVar]) ? Number(env[portVar]) : defaultPort;
      // 0 and malformed values are the app's business (any free port / a configuration error).
      if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
      if (await portInUse(port, env.HOST || undefined)) taken.push(`${port} (${portVar})`);
    }
    if (taken.length > 0) {
      throw new Error(
        `port ${taken.join(', ')} already in use: is notify already running? ` +
          `Stop it, or set ${taken.length > 1 ? 'those variables' : 'that variable'} to another port.`,
      );
    }
  }

  private info(
    env: Record<string, string | undefined>,
    secretsFile: string | undefined,
    apiKeyFromEnv: boolean,
  ): EmbeddedStackInfo {
    const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const url = (name: AppName) => `http://${hostPart}:${this.apps.find((app) => app.name === name)?.port ?? 0}`;
    const shown = (path: string) => (path.startsWith(process.cwd()) ? relative(process.cwd(), path) : path);
    // The words the apps' config accepts for "on" (libs/config `flag`), which this lib does not depend on.
    const demoOn = ['1', 'true', 'yes', 'on'].includes((env.DEV_TOKEN_ROUTE ?? '').trim().toLowerCase());
    return {
      gatewayUrl: url('gateway'),
      demoUrl: demoOn ? `${url('gateway')}/?uid=1&companyID=7` : undefined,
      apiUrl: url('api'),
      workerUrl: url('worker'),
      bullBoard: { url: `${url('api')}/admin/queues`, user: env.BULL_BOARD_USER ?? 'admin', password: env.BULL_BOARD_PASSWORD },
      apiKey: (env.API_KEYS ?? '').split(',')[0]?.trim() ?? '',
      apiKeyFromEnv,
      secretsFile: secretsFile && shown(secretsFile),
      redis: {
        url: isSet(env.REDIS_CLUSTER_NODES) ? `cluster ${env.REDIS_CLUSTER_NODES ?? ''}` : maskPassword(env.REDIS_URL ?? ''),
        embedded: this.redis !== undefined,
        dir: this.redis && shown(this.redis.dir),
      },
      store:
        env.STORE === 'mongo'
          ? `mongo ${maskPassword(env.MONGO_URL ?? '')} (db ${env.MONGO_DB || 'notify'})`
          : `sqlite ${shown(resolve(this.options.cwd ?? '.', env.SQLITE_PATH ?? ''))}`,
    };
  }
}
