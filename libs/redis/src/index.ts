export * from './create-redis-connection.js';
