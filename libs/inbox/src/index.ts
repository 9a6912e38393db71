export * from './inbox.js';
export * from './count-versions.js';
export * from './read-page.js';
