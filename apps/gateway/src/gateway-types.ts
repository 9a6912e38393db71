import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@notify/contracts';
import type { BrowserIdentity, VerifiedBrowserToken } from '@notify/auth';

/** The lifetime of the token a socket authenticated with (or last refreshed to). */
export type SessionToken = Pick<VerifiedBrowserToken, 'expiresAtMs' | 'issuedAtMs'>;

/** What the gateway keeps on each socket. */
export interface SocketData {
  /** Set once the socket has authenticated (handshake token or `login`); never changes after. */
  identity?: BrowserIdentity;
  /** Replay only unread messages newer than this id. */
  since?: string;
  /** false: the page asked for no replay of messages at login (it catches up with `catch_up`). */
  replay?: boolean;
  /** A `login` is being checked; a second one is refused meanwhile. */
  loggingIn?: boolean;
  /** A page written for the older server (`LEGACY_PAGES`): its own rooms, escaped text, older dates. */
  olderPage?: boolean;
  /** The token's lifetime; none for a socket logged in without a token (`ALLOW_UNSIGNED_LOGIN`). */
  token?: SessionToken;
}

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
