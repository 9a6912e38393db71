import type { NotificationStore } from './notification-store.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
import { SqliteThreadStore } from './sqlite/sqlite-thread-store.js';
import { MongoStore, type MongoStoreOptions } from './mongo/mongo-store.js';

/** Which store to open, with its adapter's options. */
export type StoreOptions = ({ kind: 'sqlite' } & SqliteStoreOptions) | ({ kind: 'mongo' } & MongoStoreOptions);

/** How the calling process wants its store run. */
export interface StoreRunOptions {
  /**
   * Run a SQLite store on a worker thread of its own ({@link SqliteThreadStore}), so its
   * synchronous queries and lock waits never hold up this process's event loop. For processes
   * that serve sockets or requests. No effect on MongoDB, whose driver is asynchronous. Default false.
   */
  offEventLoop?: boolean;
}

/** Opens the store `options` name, creating what it needs on first start. */
export async function createStore(options: StoreOptions, run: StoreRunOptions = {}): Promise<NotificationStore> {
  if (options.kind === 'mongo') {
    const { kind: _kind, ...mongoOptions } = options;
    return MongoStore.open(mongoOptions);
  }
  const { kind: _kind, ...sqliteOptions } = options;
  return run.offEventLoop ? SqliteThreadStore.open(sqliteOptions) : SqliteStore.open(sqliteOptions);
}
