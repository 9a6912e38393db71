export * from './create-logger.js';
export * from './metrics-registry.js';
export * from './readiness.js';
export * from './probe-handler.js';
export * from './shutdown-on-signal.js';
export * from './log-redis-errors.js';
export * from './with-timeout.js';
export * from './http-responses.js';
