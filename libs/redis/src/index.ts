export type { Redis, Cluster } from 'ioredis';
export * from './create-redis-connection.js';
export * from './check-redis.js';
export * from './lua-script.js';
export * from './turn-batcher.js';
export * from './is-redis-outage.js';
