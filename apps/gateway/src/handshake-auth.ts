import { ErrorCode, RecordId } from '@notify/contracts';
import type { Logger } from '@notify/observability';
import type { GatewaySocket } from './gateway-types.js';
import type { TokenGuard } from './token-guard.js';

/**
 * socket.io middleware. A handshake with `auth.token` must carry a valid browser token that no
 * revocation covers, else the connection is refused with `connect_error` "unauthorized" (or
 * "unavailable" when Redis cannot say in time whether the token is revoked). A handshake without any
 * auth is let in unauthenticated: a page written for the older server, which must `login` before the deadline.
 */
export function handshakeAuth(tokens: TokenGuard, logger: Logger) {
  return async (socket: GatewaySocket, next: (error?: Error) => void): Promise<void> => {
    let refusal: ErrorCode | undefined;
    try {
      refusal = await authenticate(tokens, socket);
    } catch (error) {
      // socket.io does not catch a rejected middleware: unhandled, it would end the process.
      logger.error({ err: error }, 'handshake check failed; refusing the connection');
      refusal = ErrorCode.unauthorized;
    }
    next(refusal ? new Error(refusal) : undefined);
  };
}

/** Why the handshake is refused, or undefined; sets the socket's identity and token when it carries a valid one. */
async function authenticate(tokens: TokenGuard, socket: GatewaySocket): Promise<ErrorCode | undefined> {
  const auth: Record<string, unknown> = socket.handshake.auth ?? {};
  if (Object.keys(auth).length === 0) return undefined;
  const check = await tokens.check(auth.token);
  if (!check.ok) return check.code;
  const { identity, expiresAtMs, issuedAtMs } = check.token;
  socket.data.identity = identity;
  socket.data.token = { expiresAtMs, issuedAtMs };
  const since = RecordId.safeParse(auth.since);
  if (since.success) socket.data.since = since.data;
  if (auth.replay === false) socket.data.replay = false;
  return undefined;
}
