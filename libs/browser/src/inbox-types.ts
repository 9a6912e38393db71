import type { Dynamic, InboxCounts, Message, SessionEndReason } from '@notify/contracts';
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { InboxError } from './inbox-error.js';
import type { TokenProvider } from './token-keeper.js';

/**
 * - `connecting`: before the first connection;
 * - `connected`: live (see {@link InboxSnapshot.complete} for whether the lists are caught up);
 * - `reconnecting`: the connection dropped or was refused; trying again by itself;
 * - `ended`: the gateway ended the session (`revoked`, `identity_mismatch`): it does not reconnect;
 * - `closed`: the page called `close()`.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'closed';

/** Everything a page renders, as one immutable object: a new one after every change, the same one otherwise. */
export interface InboxSnapshot {
  readonly status: ConnectionStatus;
  /**
   * The lists hold what the gateway holds over their range: true once the first page is loaded,
   * false from a disconnect (or `resync`) until the catch-up after it is applied.
   */
  readonly complete: boolean;
  /** Who the token names (`sub`, `cid`), once the provider has given one. */
  readonly user: { readonly uid: string; readonly companyID: string } | undefined;
  /** The inbox (not archived, not deleted), newest first, one per id, the page's own changes applied at once. */
  readonly messages: readonly Message[];
  /** Older messages exist beyond `messages` (see `loadMore`). */
  readonly hasMoreMessages: boolean;
  /** A `loadMore` is in flight. */
  readonly loadingMessages: boolean;
  /** Unread (`total`, `byType`) and `unseen`, the newest version seen, with the page's own changes applied at once. */
  readonly counts: InboxCounts;
  /** The company's activity feed, newest first (empty with `feed: false`). */
  readonly dynamics: readonly Dynamic[];
  readonly hasMoreDynamics: boolean;
  readonly loadingDynamics: boolean;
  /** The company's users online now, once the gateway has said. */
  readonly onlineCount: number | undefined;
  /** Changes sent and not yet answered or counted. */
  readonly pendingChanges: number;
  /** The last thing that went wrong (a refused change, a failed request, a refused connection), until `clearError()` or, for a connection problem, the next connection. */
  readonly error: InboxError | undefined;
  /** Why the gateway ended the last session, when it did. */
  readonly sessionEnded: SessionEndReason | undefined;
}

export interface InboxOptions {
  /** The gateway, e.g. `https://notify.example.com` (socket.io's path `/socket.io/`, unless `socketOptions.path` says otherwise). */
  url: string;
  /**
   * Gives a browser token (a JWT minted by the page's backend with `POST /v1/tokens`). Called for
   * the first connection, again before the token expires (see `refreshAt`), and whenever the
   * gateway refuses the one held.
   */
  token: TokenProvider;
  /** Messages per page (the first page, and each `loadMore`), 1–100. Default 20. */
  pageSize?: number;
  /** Keep the company's activity feed. Default true; false never asks for it and ignores `update_dynamic`. */
  feed?: boolean;
  /** Activity entries per page, 1–100. Default 20. */
  feedPageSize?: number;
  /** When to hand the live connection a new token, as a fraction of the time the current one had left when received. Default 0.8. */
  refreshAt?: number;
  /** How long a change or request waits for the gateway's answer, in ms. Default 10,000. */
  ackTimeoutMs?: number;
  /** Connect at once. Default true; otherwise call `connect()`. */
  autoConnect?: boolean;
  /** More socket.io-client options (`path`, `transports`, reconnection delays…); `auth`, `autoConnect` and `forceNew` are the inbox's. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** What a page can listen to with `inbox.on(event, listener)`. */
export interface InboxEvents {
  /** A message arrived live (for a toast or a sound): once per id; not for loaded, paged, caught-up or replayed ones. */
  message: [message: Message];
  /** An activity entry arrived live; once per id. */
  dynamic: [dynamic: Dynamic];
  /** A change was refused (and rolled back), a request failed, or the connection was refused. */
  error: [error: InboxError];
  /** The gateway ended the session. With `token_expired` the inbox reconnects by itself with a new token. */
  session_ended: [reason: SessionEndReason];
}
