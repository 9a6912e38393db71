import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { redisTarget, storeOptions, type GatewayConfig } from '@notify/config';
import { createMetricsRegistry, logConnectionErrors, type Logger } from '@notify/observability';
import { checkRedis, createRedisConnection } from '@notify/redis';
import { BusPublisher, createBusSubscriber } from '@notify/bus';
import { CountVersions, Inbox } from '@notify/inbox';
import { PresenceTracker } from '@notify/presence';
import { createStore } from '@notify/store';
import { ServerEvent } from '@notify/contracts';
import { createGateway, type Gateway } from './create-gateway.js';
import { gatewaySettings } from './gateway-settings.js';
import { BusBridge } from './bus-bridge.js';
import { countedEmit } from './counted-emit.js';
import { OlderPageEmitter } from './older-pages/older-page-emitter.js';
import { replayAfterBusGap } from './replay-unread.js';
import { TokenGuard } from './token-guard.js';

/** A gateway serving on its port, wired to Redis, the store and the bus. */
export interface RunningGateway extends Gateway {
  /** The bound port (`GATEWAY_PORT`, or the one the OS chose for 0). */
  readonly port: number;
  /** This process's presence and bus identity. */
  readonly gatewayId: string;
  /** Stops serving, leaves presence (publishing the drops) and closes every connection. */
  close(): Promise<void>;
}

/**
 * Starts a gateway: Redis connections, store, presence, the bus subscription and the HTTP and
 * socket.io server, listening on `GATEWAY_PORT` at `HOST`. `main.ts` runs it for the process;
 * tests run several in one process.
 */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const prefix = config.REDIS_PREFIX;
  const gatewayId = `gateway:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const target = redisTarget(config);
  const redis = createRedisConnection(target, { role: 'patient', connectionName: `${prefix}:gateway` });
  const subscriberConnection = createRedisConnection(target, {
    role: 'patient',
    connectionName: `${prefix}:gateway:sub`,
    // On a Redis Cluster the bus is sharded: one subscriber connection per master.
    shardedSubscribers: true,
  });
  logConnectionErrors(logger, 'redis', redis);
  logConnectionErrors(logger, 'redis (subscriber)', subscriberConnection);
  const disconnect = () => {
    redis.disconnect();
    subscriberConnection.disconnect();
  };
  // Off the event loop: a page's read waiting on the worker's write lock must not hold up every socket.
  const store = await createStore(storeOptions(config), { offEventLoop: true }).catch((error: unknown) => {
    disconnect();
    throw error;
  });
  const presence = new PresenceTracker(redis, { prefix, gatewayId, ttlMs: config.PRESENCE_TTL_MS });
  presence.on('error', (error: Error) => logger.warn({ err: error }, `presence: ${error.message}`));

  const tokens = new TokenGuard(redis, { secret: config.JWT_SECRET, prefix }, logger);
  const bus = new BusPublisher(redis, { prefix, origin: gatewayId });
  const inbox = new Inbox({ store, bus, versions: new CountVersions(redis, { prefix }) });
  const deps = { settings: gatewaySettings(config), logger, store, presence, tokens, bus, inbox };
  const gateway = createGateway(deps, {
    registry: createMetricsRegistry('gateway'),
    readiness: [
      { name: 'redis', check: () => checkRedis(redis) },
      { name: 'store', check: () => store.ping() },
    ],
  });
  const { http, io, metrics, sessions } = gateway;

  const bridge = new BusBridge(io, metrics, config.PRESENCE_COALESCE_MS, new OlderPageEmitter(io, metrics, config.TZ), sessions);
  // An event for a room with no socket here is dropped before it is parsed.
  const subscriber = createBusSubscriber(subscriberConnection, { prefix, wants: (room) => bridge.wants(room) });
  subscriber.on('envelope', (envelope) => {
    try {
      bridge.emit(envelope);
    } catch (error) {
      // Thrown into ioredis's event loop this would end the process; one event is lost, not every page.
      logger.error({ err: error, type: envelope.type }, 'could not emit a bus event');
    }
  });
  subscriber.on('resumed', () => {
    // Pages that catch up (`catch_up`) get everything they missed, states and dynamics included.
    countedEmit(metrics, io, ServerEvent.resync);
    const started = performance.now();
    replayAfterBusGap({ ...deps, metrics, sessions }, io).then(
      (users) => logger.info({ users, ms: Math.round(performance.now() - started) }, 'the bus is back: replayed unread messages to the pages of every logged-in user'),
      (error: unknown) => logger.warn({ err: error }, 'the bus is back, but the replay of unread messages failed'),
    );
  });
  subscriber.on('resumed', () => {
    // A `tokens.revoked` published while the bus was away never came: ask Redis about every open session.
    sessions.recheck().then(
      (ended) => logger.info({ ended }, 'the bus is back: checked open sessions against token revocations'),
      (error: unknown) => logger.warn({ err: error }, 'the bus is back, but checking open sessions against token revocations failed'),
    );
  });
  subscriber.on('error', (error) => logger.warn({ err: error }, error.message));

  const close = async () => {
    await subscriber.stop();
    bridge.close();
    sessions.close();
    await io.close();
    await presence.stop();
    await store.close();
    disconnect();
  };
  try {
    await subscriber.start();
    presence.start();
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.GATEWAY_PORT, config.HOST, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { ...gateway, port: (http.address() as AddressInfo).port, gatewayId, close };
}
