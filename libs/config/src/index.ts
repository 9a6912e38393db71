export * from './config-error.js';
export * from './config-schemas.js';
export * from './load-config.js';
export * from './store-options.js';
