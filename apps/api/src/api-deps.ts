import type { RedisClient } from '@notify/redis';
import type { ApiConfig } from '@notify/config';
import type { BusPublisher } from '@notify/bus';
import type { Inbox } from '@notify/inbox';
import type { Logger, ReadinessCheck, Registry } from '@notify/observability';
import type { NotificationStore } from '@notify/store';
import type { NotificationQueue } from './queue/notification-queue.js';
import type { IdempotencyKeys } from './idempotency/idempotency-keys.js';

/** Everything the api's routes need, built once in `main.ts` (and by tests). */
export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  /** Fail-fast connection: idempotency keys, presence reads, the queue, the bus. */
  redis: RedisClient;
  store: NotificationStore;
  queue: NotificationQueue;
  bus: BusPublisher;
  /** A user's message states and versioned counts. */
  inbox: Inbox;
  idempotency: IdempotencyKeys;
  metrics: Registry;
  readiness: ReadinessCheck[];
}
