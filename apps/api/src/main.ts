import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { loadApiConfig, loadConfigOrExit } from '@notify/config';
import { createLogger, createMetricsRegistry, logConnectionErrors, shutdownOnSignal } from '@notify/observability';
import { createRedisConnection, redisReady } from '@notify/redis';
import { BusPublisher } from '@notify/bus';
import { createStore } from '@notify/store';
import { createApp } from './create-app.js';
import { NotificationQueue } from './queue/notification-queue.js';
import { IdempotencyKeys } from './idempotency/idempotency-keys.js';

const config = loadConfigOrExit(loadApiConfig, 'api');
const logger = createLogger({ name: 'api', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const prefix = config.REDIS_PREFIX;

const redis = createRedisConnection(config.REDIS_URL, {
  role: 'fail-fast',
  connectionName: `${prefix}:api`,
  commandTimeoutMs: config.UNAVAILABLE_AFTER_MS,
});
logConnectionErrors(logger, 'redis', redis);
await redisReady(redis, 30_000).catch((error: Error) => {
  logger.fatal(`cannot reach Redis at ${config.REDIS_URL}: ${error.message}`);
  process.exit(1);
});
const store = await createStore(config);
const queue = new NotificationQueue(redis, { prefix });
// Without a listener BullMQ prints its connection errors to stderr unstructured.
logConnectionErrors(logger, 'queue', queue.bullQueue);
const app = createApp({
  config,
  logger,
  redis,
  store,
  queue,
  bus: new BusPublisher(redis, { prefix, origin: `api:${hostname()}:${process.pid}` }),
  idempotency: new IdempotencyKeys(redis, { prefix }),
  metrics: createMetricsRegistry('api'),
  readiness: [
    { name: 'redis', check: () => redis.ping() },
    { name: 'store', check: () => store.ping() },
  ],
});

const server = app.listen(config.API_PORT, config.HOST, () => {
  logger.info({ port: (server.address() as AddressInfo).port }, 'ready');
});
shutdownOnSignal(logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await queue.close();
  await store.close();
  redis.disconnect();
});
