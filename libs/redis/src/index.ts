export * from './create-redis-connection.js';
export * from './lua-script.js';
export * from './turn-batcher.js';
