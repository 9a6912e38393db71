import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { redisTarget, storeOptions, type ApiConfig } from '@notify/config';
import { createMetricsRegistry, logConnectionErrors, type Logger } from '@notify/observability';
import { checkRedis, createRedisConnection, describeRedisTarget, redisReady } from '@notify/redis';
import { BusPublisher } from '@notify/bus';
import { CountVersions, Inbox } from '@notify/inbox';
import { createStore } from '@notify/store';
import { createApp } from './create-app.js';
import { NotificationQueue } from './queue/notification-queue.js';
import { IdempotencyKeys } from './idempotency/idempotency-keys.js';

/** How long the api waits for Redis at start-up before giving up. */
const REDIS_START_TIMEOUT_MS = 30_000;

/** The api serving on its port. */
export interface RunningApi {
  readonly server: Server;
  /** The bound port (`API_PORT`, or the one the OS chose for 0). */
  readonly port: number;
  /** Stops accepting requests, lets the open ones finish, then closes every connection. */
  close(): Promise<void>;
}

/** Redis could not be reached at start-up. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  readonly code = 'redis_unreachable';
}

/**
 * Starts the api: waits for Redis (rejecting with {@link RedisUnreachableError} after 30 s), opens
 * the store and the queue and listens on `API_PORT` at `HOST`. `main.ts` runs it for the process;
 * tests run it in-process.
 */
export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const prefix = config.REDIS_PREFIX;
  const target = redisTarget(config);
  const redis = createRedisConnection(target, {
    role: 'fail-fast',
    connectionName: `${prefix}:api`,
    commandTimeoutMs: config.UNAVAILABLE_AFTER_MS,
  });
  logConnectionErrors(logger, 'redis', redis);
  try {
    await redisReady(redis, REDIS_START_TIMEOUT_MS);
  } catch (error) {
    redis.disconnect();
    throw new RedisUnreachableError(`cannot reach ${describeRedisTarget(target)}: ${(error as Error).message}`);
  }
  // Off the event loop: a read or change waiting on the worker's write lock must not hold up every request.
  const store = await createStore(storeOptions(config), { offEventLoop: true }).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  const queue = new NotificationQueue(redis, { prefix, partitions: config.QUEUE_PARTITIONS, minIntervalMs: config.ENQUEUE_INTERVAL_MS });
  // Without a listener BullMQ prints its connection errors to stderr unstructured.
  for (const bullQueue of queue.bullQueues) logConnectionErrors(logger, `queue ${bullQueue.name}`, bullQueue);
  const bus = new BusPublisher(redis, { prefix, origin: `api:${hostname()}:${process.pid}` });
  const app = createApp({
    config,
    logger,
    redis,
    store,
    queue,
    bus,
    inbox: new Inbox({ store, bus, versions: new CountVersions(redis, { prefix }) }),
    idempotency: new IdempotencyKeys(redis, { prefix }),
    metrics: createMetricsRegistry('api'),
    readiness: [
      { name: 'redis', check: () => checkRedis(redis) },
      { name: 'store', check: () => store.ping() },
    ],
  });

  const server = app.listen(config.API_PORT, config.HOST);
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await queue.close();
    await store.close();
    redis.disconnect();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { server, port: (server.address() as AddressInfo).port, close };
}
