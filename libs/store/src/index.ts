export * from './notification-store.js';
export * from './store-errors.js';
export * from './create-store.js';
export { SqliteStore } from './sqlite/sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { SqliteThreadStore } from './sqlite/sqlite-thread-store.js';
export { MongoStore } from './mongo/mongo-store.js';
export type { MongoStoreOptions } from './mongo/mongo-store.js';
