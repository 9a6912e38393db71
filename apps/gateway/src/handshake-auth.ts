import { RecordId } from '@notify/contracts';
import { verifyBrowserToken } from '@notify/auth';
import type { GatewaySocket } from './gateway-types.js';

/**
 * socket.io middleware. A handshake with `auth.token` must carry a valid browser token, else the
 * connection is refused with `connect_error` "unauthorized". A handshake without any auth is let in
 * unauthenticated: a page written for the older server, which must `login` before the deadline.
 */
export function handshakeAuth(jwtSecret: string) {
  return async (socket: GatewaySocket, next: (error?: Error) => void): Promise<void> => {
    const auth: Record<string, unknown> = socket.handshake.auth ?? {};
    if (Object.keys(auth).length === 0) {
      next();
      return;
    }
    const identity = await verifyBrowserToken(jwtSecret, auth.token);
    if (!identity) {
      next(new Error('unauthorized'));
      return;
    }
    socket.data.identity = identity;
    const since = RecordId.safeParse(auth.since);
    if (since.success) socket.data.since = since.data;
    next();
  };
}
