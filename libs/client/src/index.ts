export * from './notify-client.js';
export * from './call-options.js';
export * from './client-inputs.js';
export * from './notify-api-error.js';
export * from './notify-retries-exhausted-error.js';
export * from './notify-response-error.js';
