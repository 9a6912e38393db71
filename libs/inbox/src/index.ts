export * from './mark-messages-read.js';
