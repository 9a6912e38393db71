import type { StoreOptions } from '@notify/store';
import type { StoreConfig } from './config-schemas.js';

/** SQLite keeps this many messages when MESSAGES_CAP_DOCS is unset (MongoDB keeps no document limit then). */
export const SQLITE_DEFAULT_CAP_ROWS = 1_000_000;

/** The store's options from a process's configuration (STORE, SQLITE_PATH, MONGO_*, RETENTION, MESSAGES_*). */
export function storeOptions(config: StoreConfig): StoreOptions {
  if (config.STORE === 'sqlite') {
    return { kind: 'sqlite', path: config.SQLITE_PATH, messagesCapRows: config.MESSAGES_CAP_DOCS ?? SQLITE_DEFAULT_CAP_ROWS };
  }
  return {
    kind: 'mongo',
    url: config.MONGO_URL ?? '',
    dbName: config.MONGO_DB,
    poolSize: config.MONGO_POOL_SIZE,
    timeoutMs: config.MONGO_TIMEOUT_MS,
    retention:
      config.RETENTION === 'ttl'
        ? { kind: 'ttl', ttlDays: config.MESSAGES_TTL_DAYS }
        : { kind: 'capped', capBytes: config.MESSAGES_CAP_BYTES, capDocs: config.MESSAGES_CAP_DOCS },
  };
}
