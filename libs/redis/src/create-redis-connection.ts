import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * How a connection behaves while Redis is unreachable:
 * - `fail-fast`: commands fail at once and none waits more than 2 s (the api answers 503, never hangs);
 * - `patient`: commands wait for the reconnect (BullMQ workers and pub/sub subscribers resume by themselves).
 */
export type RedisRole = 'fail-fast' | 'patient';

/** A connection to one Redis server or to a Redis Cluster: every lib takes either. */
export type RedisClient = Redis | Cluster;

/** One node of a Redis Cluster. */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Where Redis is: one server by URL (`redis://host:port`), or a Redis Cluster by some of its nodes
 * (the client learns the others from them). A bare string is a URL.
 */
export type RedisTarget = string | { readonly url: string } | { readonly clusterNodes: readonly RedisNodeAddress[] };

export interface RedisConnectionOptions {
  role: RedisRole;
  /** Shown in `CLIENT LIST`, e.g. `notify:api`. */
  connectionName?: string;
  /** fail-fast only: a command that gets no answer within this many ms fails. Default 2000. */
  commandTimeoutMs?: number;
  /**
   * Cluster only: subscribe to sharded channels (`SSUBSCRIBE`) through one connection per master
   * (ioredis's `shardedSubscribers`). For the bus subscriber's connection. Default false.
   */
  shardedSubscribers?: boolean;
}

/** Reconnects forever, backing off to one attempt a second. */
const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1000);

/**
 * How a patient cluster connection rides out a failover: a command that meets a dead master,
 * `CLUSTERDOWN` or `TRYAGAIN` is retried every 200 ms, for up to about 20 s (a replica is promoted
 * within `cluster-node-timeout` plus a second or two), before it fails. ioredis's defaults give up
 * after 16 tries 100 ms apart.
 */
const PATIENT_CLUSTER: ClusterOptions = {
  maxRedirections: 100,
  retryDelayOnFailover: 200,
  retryDelayOnClusterDown: 200,
  retryDelayOnTryAgain: 200,
};

/**
 * How a fail-fast cluster connection meets the same: a few tries 100 ms apart (enough to follow a
 * `MOVED` or `ASK` while slots move, or a `TRYAGAIN`), then the command fails, well within the
 * api's `UNAVAILABLE_AFTER_MS`: a failover takes seconds, and the client retries a 503 anyway.
 */
const FAIL_FAST_CLUSTER: ClusterOptions = {
  enableOfflineQueue: false,
  maxRedirections: 6,
};

/** True when `client` is a Redis Cluster connection, whose keys and channels notify lays out by slot. */
export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** An ioredis connection (to one server, or to a Redis Cluster) configured for its role. */
export function createRedisConnection(target: RedisTarget, options: RedisConnectionOptions): RedisClient {
  const common: RedisOptions = {
    connectionName: options.connectionName,
    retryStrategy,
    // BullMQ requires this on blocking connections; for fail-fast ones the offline queue is off anyway.
    maxRetriesPerRequest: null,
  };
  const failFast: RedisOptions = { enableOfflineQueue: false, commandTimeout: options.commandTimeoutMs ?? 2000 };
  if (typeof target === 'object' && 'clusterNodes' in target) {
    const nodeOptions: RedisOptions = { connectionName: options.connectionName, maxRetriesPerRequest: null };
    return new Cluster(
      target.clusterNodes.map(({ host, port }) => ({ host, port })),
      {
        clusterRetryStrategy: retryStrategy,
        shardedSubscribers: options.shardedSubscribers ?? false,
        ...(options.role === 'patient'
          ? { ...PATIENT_CLUSTER, redisOptions: nodeOptions }
          : { ...FAIL_FAST_CLUSTER, redisOptions: { ...nodeOptions, commandTimeout: failFast.commandTimeout } }),
      },
    );
  }
  const url = typeof target === 'string' ? target : target.url;
  if (options.role === 'patient') return new Redis(url, common);
  return new Redis(url, { ...common, ...failFast });
}

/** Resolves once the connection is ready (or rejects after `timeoutMs`, default 10 s). */
export function redisReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** `host:port,…` or the URL without its password, for log lines and error messages. */
export function describeRedisTarget(target: RedisTarget): string {
  if (typeof target === 'object' && 'clusterNodes' in target) {
    return `the Redis Cluster at ${target.clusterNodes.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',')}`;
  }
  const url = typeof target === 'string' ? target : target.url;
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
