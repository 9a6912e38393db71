export * from './free-port.js';
export * from './child-process-exit.js';
export * from './redis-server.js';
