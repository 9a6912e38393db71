import { ClientEvent, ErrorCode, RefreshTokenPayload, SessionEndReason, toIssues, type RefreshTokenAck } from '@notify/contracts';
import { isRevoked } from '@notify/auth';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { errorAck } from './error-ack.js';
import { RefreshResult } from './gateway-metrics.js';
import { guardedHandler } from './guarded-handler.js';

/**
 * `refresh_token` {token}: a fresh token for the socket's own uid and company, on the live
 * connection; acks `{expiresAt}` and the socket's session now ends at that token's `exp`. A bad,
 * expired or revoked token is refused `unauthorized` and changes nothing (the socket's own expiry
 * still holds), unless the revocation covers the socket's own token too: then its session ends
 * (`revoked`). A valid token for another uid or company is refused `unauthorized` and ends the
 * session (`identity_mismatch`). A socket logged in without a token is upgraded: from then on it
 * expires like any other.
 */
export function handleRefresh(deps: HandlerDeps, socket: GatewaySocket): void {
  const { metrics, sessions, tokens } = deps;
  socket.on(
    ClientEvent.refreshToken,
    guardedHandler<RefreshTokenAck>(deps.logger, ClientEvent.refreshToken, async (payload, reply) => {
      const refused = (result: RefreshResult, code: ErrorCode, message: string) => {
        metrics.refreshed(result);
        reply(errorAck(code, message));
      };
      const parsed = RefreshTokenPayload.safeParse(payload);
      if (!parsed.success) {
        metrics.refreshed(RefreshResult.invalidInput);
        reply(errorAck(ErrorCode.invalidInput, 'refresh_token needs {token}', toIssues(parsed.error)));
        return;
      }
      const current = socket.data.identity;
      if (!current) {
        refused(RefreshResult.unauthorized, ErrorCode.unauthorized, 'log in first');
        return;
      }
      const check = await tokens.check(parsed.data.token);
      if (!check.ok) {
        if (check.code === ErrorCode.unavailable) {
          refused(RefreshResult.unavailable, ErrorCode.unavailable, 'cannot check the token right now; retry shortly');
        } else if (check.revoked) {
          refused(RefreshResult.revoked, ErrorCode.unauthorized, 'this token has been revoked');
          // The revocation covers the socket's own token too: this gateway missed its bus event.
          if (isRevoked(socket.data.token?.issuedAtMs, check.notBefore)) sessions.end(socket, SessionEndReason.revoked);
        } else {
          refused(RefreshResult.unauthorized, ErrorCode.unauthorized, 'the token is invalid or expired');
        }
        return;
      }
      const { identity, expiresAtMs, issuedAtMs } = check.token;
      if (identity.uid !== current.uid || identity.companyID !== current.companyID) {
        refused(RefreshResult.identityMismatch, ErrorCode.unauthorized, 'the token is for another user or company');
        sessions.end(socket, SessionEndReason.identityMismatch);
        return;
      }
      sessions.hold(socket, { expiresAtMs, issuedAtMs });
      metrics.refreshed(RefreshResult.ok);
      reply({ expiresAt: new Date(expiresAtMs).toISOString() });
    }),
  );
}
