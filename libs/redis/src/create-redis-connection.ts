import { Redis, type RedisOptions } from 'ioredis';

/**
 * How a connection behaves while Redis is unreachable:
 * - `fail-fast`: commands fail at once and none waits more than 2 s (the api answers 503, never hangs);
 * - `patient`: commands wait for the reconnect (BullMQ workers and pub/sub subscribers resume by themselves).
 */
export type RedisRole = 'fail-fast' | 'patient';

export interface RedisConnectionOptions {
  role: RedisRole;
  /** Shown in `CLIENT LIST`, e.g. `notify:api`. */
  connectionName?: string;
  /** fail-fast only: a command that gets no answer within this many ms fails. Default 2000. */
  commandTimeoutMs?: number;
}

/** Reconnects forever, backing off to one attempt a second. */
const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1000);

/** An ioredis connection configured for its role. */
export function createRedisConnection(url: string, options: RedisConnectionOptions): Redis {
  const common: RedisOptions = {
    connectionName: options.connectionName,
    retryStrategy,
    // BullMQ requires this on blocking connections; for fail-fast ones the offline queue is off anyway.
    maxRetriesPerRequest: null,
  };
  if (options.role === 'patient') return new Redis(url, common);
  return new Redis(url, {
    ...common,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 2000,
  });
}

/** Resolves once the connection is ready (or rejects after `timeoutMs`, default 10 s). */
export function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
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

export type { Redis } from 'ioredis';
