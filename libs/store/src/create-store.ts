import type { StoreConfig } from '@notify/config';
import type { NotificationStore } from './notification-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { MongoStore } from './mongo/mongo-store.js';

/** SQLite keeps this many messages when MESSAGES_CAP_DOCS is unset. */
export const SQLITE_DEFAULT_CAP_ROWS = 1_000_000;

/** Opens the store the configuration names, creating what it needs on first start. */
export async function createStore(config: StoreConfig): Promise<NotificationStore> {
  if (config.STORE === 'sqlite') {
    return SqliteStore.open({ path: config.SQLITE_PATH, messagesCapRows: config.MESSAGES_CAP_DOCS ?? SQLITE_DEFAULT_CAP_ROWS });
  }
  return MongoStore.open({
    url: config.MONGO_URL ?? '',
    dbName: config.MONGO_DB,
    poolSize: config.MONGO_POOL_SIZE,
    timeoutMs: config.MONGO_TIMEOUT_MS,
    retention:
      config.RETENTION === 'ttl'
        ? { kind: 'ttl', ttlDays: config.MESSAGES_TTL_DAYS }
        : { kind: 'capped', capBytes: config.MESSAGES_CAP_BYTES, capDocs: config.MESSAGES_CAP_DOCS },
  });
}
