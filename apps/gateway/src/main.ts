import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { loadConfigOrExit, loadGatewayConfig } from '@notify/config';
import { createLogger, createMetricsRegistry, logConnectionErrors, shutdownOnSignal } from '@notify/observability';
import { createRedisConnection } from '@notify/redis';
import { BusPublisher, BusSubscriber } from '@notify/bus';
import { PresenceTracker } from '@notify/presence';
import { createStore } from '@notify/store';
import { createGateway } from './create-gateway.js';
import { BusBridge } from './bus-bridge.js';
import { replayAfterBusGap } from './replay-unread.js';

const config = loadConfigOrExit(loadGatewayConfig, 'gateway');
const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const prefix = config.REDIS_PREFIX;
const gatewayId = `gateway:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
if (config.ALLOW_UNSIGNED_LOGIN) {
  logger.warn('ALLOW_UNSIGNED_LOGIN is on: any page can log in as any user without a token. Development and migration only.');
}
if (config.DEV_TOKEN_ROUTE) {
  logger.warn('DEV_TOKEN_ROUTE is on: GET /dev/token hands out a token for any user to anyone. Development only.');
}

const redis = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:gateway` });
const subscriberConnection = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:gateway:sub` });
logConnectionErrors(logger, 'redis', redis);
logConnectionErrors(logger, 'redis (subscriber)', subscriberConnection);
const store = await createStore(config);
const presence = new PresenceTracker(redis, { prefix, gatewayId, ttlMs: config.PRESENCE_TTL_MS });
presence.on('error', (error: Error) => logger.warn({ err: error }, `presence: ${error.message}`));

const deps = { config, logger, store, presence, bus: new BusPublisher(redis, { prefix, origin: gatewayId }) };
const { http, io, metrics } = createGateway(
  deps,
  {
    registry: createMetricsRegistry('gateway'),
    readiness: [
      { name: 'redis', check: () => redis.ping() },
      { name: 'store', check: () => store.ping() },
    ],
  },
);

const bridge = new BusBridge(io, metrics, config.PRESENCE_COALESCE_MS);
const subscriber = new BusSubscriber(subscriberConnection, { prefix });
subscriber.on('envelope', (envelope) => {
  try {
    bridge.emit(envelope);
  } catch (error) {
    // Thrown into ioredis's event loop this would end the process; one event is lost, not every page.
    logger.error({ err: error, type: envelope.type }, 'could not emit a bus event');
  }
});
subscriber.on('resumed', () => {
  const started = performance.now();
  replayAfterBusGap({ ...deps, metrics }, io).then(
    (users) => logger.info({ users, ms: Math.round(performance.now() - started) }, 'the bus is back: replayed unread messages to the pages of every logged-in user'),
    (error: unknown) => logger.warn({ err: error }, 'the bus is back, but the replay of unread messages failed'),
  );
});
subscriber.on('error', (error) => logger.warn({ err: error }, error.message));
await subscriber.start();
presence.start();

http.listen(config.GATEWAY_PORT, config.HOST, () => {
  logger.info({ port: (http.address() as AddressInfo).port, gatewayId }, 'ready');
});
shutdownOnSignal(logger, async () => {
  await subscriber.stop();
  bridge.close();
  await io.close();
  await presence.stop();
  await store.close();
  redis.disconnect();
  subscriberConnection.disconnect();
});
