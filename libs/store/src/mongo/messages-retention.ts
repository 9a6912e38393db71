/**
 * How the messages collection forgets old messages.
 * - `capped`: a capped collection of `capBytes` bytes (and at most `capDocs` documents when set);
 *   the oldest messages are overwritten once it is full. Cannot be sharded.
 * - `ttl`: a normal collection whose messages are deleted `ttlDays` after the api accepted them;
 *   the choice for a sharded MongoDB.
 */
export type MessagesRetention =
  | { kind: 'capped'; capBytes: number; capDocs?: number | undefined }
  | { kind: 'ttl'; ttlDays: number };
