import type { HandlerDeps } from '../gateway-deps.js';
import type { GatewaySocket } from '../gateway-types.js';

/**
 * Whether a socket that logs in with `login` is a page written for the older server, by
 * `LEGACY_PAGES`: `eio3` (the default) counts the sockets of socket.io 1.x/2.x clients (Engine.IO
 * protocol 3, which only such pages use, and which could not connect at all before `ALLOW_EIO3`);
 * `login` counts every socket that logs in with `login`, for older pages moved to a newer client.
 */
export function isOlderPage(deps: Pick<HandlerDeps, 'settings'>, socket: GatewaySocket): boolean {
  return deps.settings.olderPages === 'login' || socket.conn.protocol === 3;
}
