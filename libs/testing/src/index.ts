export * from './spawn-app.js';
export * from './start-stack.js';
export * from './api-client.js';
export * from './page.js';
export * from './wait-until.js';
export * from './use-stack.js';
