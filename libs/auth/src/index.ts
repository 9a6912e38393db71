export * from './browser-token.js';
