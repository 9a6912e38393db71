import { RecordId } from '@notify/contracts';
import { verifyBrowserToken } from '@notify/auth';
import type { Logger } from '@notify/observability';
import type { GatewaySocket } from './gateway-types.js';

/**
 * socket.io middleware. A handshake with `auth.token` must carry a valid browser token, else the
 * connection is refused with `connect_error` "unauthorized". A handshake without any auth is let in
 * unauthenticated: a page written for the older server, which must `login` before the deadline.
 */
export function handshakeAuth(jwtSecret: string, logger: Logger) {
  return async (socket: GatewaySocket, next: (error?: Error) => void): Promise<void> => {
    let allowed: boolean;
    try {
      allowed = await authenticate(jwtSecret, socket);
    } catch (error) {
      // socket.io does not catch a rejected middleware: unhandled, it would end the process.
      logger.error({ err: error }, 'handshake check failed; refusing the connection');
      allowed = false;
    }
    next(allowed ? undefined : new Error('unauthorized'));
  };
}

/** Whether the handshake may go on; sets the socket's identity when it carries a valid token. */
async function authenticate(jwtSecret: string, socket: GatewaySocket): Promise<boolean> {
  const auth: Record<string, unknown> = socket.handshake.auth ?? {};
  if (Object.keys(auth).length === 0) return true;
  const identity = await verifyBrowserToken(jwtSecret, auth.token);
  if (!identity) return false;
  socket.data.identity = identity;
  const since = RecordId.safeParse(auth.since);
  if (since.success) socket.data.since = since.data;
  if (auth.replay === false) socket.data.replay = false;
  return true;
}
