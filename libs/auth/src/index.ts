export * from './browser-token.js';
export * from './token-revocation.js';
