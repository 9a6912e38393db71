import type { NotificationStore } from './notification-store.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
import { MongoStore, type MongoStoreOptions } from './mongo/mongo-store.js';

/** Which store to open, with its adapter's options. */
export type StoreOptions = ({ kind: 'sqlite' } & SqliteStoreOptions) | ({ kind: 'mongo' } & MongoStoreOptions);

/** Opens the store `options` name, creating what it needs on first start. */
export async function createStore(options: StoreOptions): Promise<NotificationStore> {
  const { kind, ...adapterOptions } = options;
  return kind === 'sqlite' ? SqliteStore.open(adapterOptions as SqliteStoreOptions) : MongoStore.open(adapterOptions as MongoStoreOptions);
}
