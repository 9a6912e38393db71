export * from './config-error.js';
export * from './config-schemas.js';
export * from './load-config.js';
export * from './store-options.js';
export * from './redis-target.js';
export type { RedisNodeAddress } from './env-fields.js';
