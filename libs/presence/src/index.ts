export * from './presence-tracker.js';
export * from './read-online.js';
export * from './is-user-online.js';
export * from './presence-errors.js';
export type { PresenceTiming } from './presence-timing.js';
export { presenceKeys, type PresenceKeys } from './presence-keys.js';
