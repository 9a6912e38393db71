export { BrowserInbox, createInbox } from './browser-inbox.js';
export { InboxError, type InboxErrorCode } from './inbox-error.js';
export type { ConnectionStatus, InboxEvents, InboxOptions, InboxSnapshot } from './inbox-types.js';
export type { TokenProvider } from './token-keeper.js';
export { readTokenClaims, type TokenClaims } from './token-claims.js';
export type { Dynamic, InboxCounts, Message, MessageTypeId, SessionEndReason } from '@notify/contracts';
