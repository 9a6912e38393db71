import { ClientEvent, ErrorCode, LoginPayload, toIssues, type LoginAck } from '@notify/contracts';
import type { BrowserIdentity } from '@notify/auth';
import type { GatewayDeps, HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket, SessionToken } from './gateway-types.js';
import { errorAck } from './error-ack.js';
import { guardedHandler } from './guarded-handler.js';
import { startSession } from './open-session.js';
import { isOlderPage } from './older-pages/is-older-page.js';

/**
 * The older pages' `login` event: `{uid, companyID, token}` (token optional only with
 * ALLOW_UNSIGNED_LOGIN). A socket that has not logged in by the deadline is disconnected; one that
 * offers a bad, expired or revoked token is told `unauthorized` (`unavailable` when Redis cannot say
 * in time whether it is revoked) and disconnected. A logged-in socket can never switch user. A token
 * login expires at the token's `exp` like a handshake; an unsigned one never does.
 */
export function handleLogin(deps: HandlerDeps, socket: GatewaySocket): void {
  const deadline = socket.data.identity
    ? undefined
    : setTimeout(() => socket.disconnect(true), deps.settings.loginTimeoutMs);
  socket.once('disconnect', () => clearTimeout(deadline));

  socket.on(
    ClientEvent.login,
    guardedHandler<LoginAck>(deps.logger, ClientEvent.login, async (payload, reply) => {
      const parsed = LoginPayload.safeParse(payload);
      if (!parsed.success) {
        reply(errorAck(ErrorCode.invalidInput, 'login needs {uid, companyID, token}', toIssues(parsed.error)));
        return;
      }
      const { uid, companyID, token, since } = parsed.data;
      const current = socket.data.identity;
      if (current) {
        const same = current.uid === uid && current.companyID === companyID;
        reply(same ? current : errorAck(ErrorCode.unauthorized, 'this socket is already logged in as another user'));
        return;
      }
      if (socket.data.loggingIn) {
        reply(errorAck(ErrorCode.invalidInput, 'a login is already under way on this socket'));
        return;
      }
      socket.data.loggingIn = true;
      const login = await identify(deps, uid, companyID, token);
      if ('refused' in login) {
        const unavailable = login.refused === ErrorCode.unavailable;
        reply(errorAck(login.refused, unavailable ? 'cannot check the token right now; retry shortly' : 'unauthorized'));
        socket.disconnect(true);
        return;
      }
      clearTimeout(deadline);
      if (since) socket.data.since = since;
      socket.data.olderPage = isOlderPage(deps, socket);
      // Held before the session opens: its expiry runs from now, even while the replay is read.
      if (login.token) deps.sessions.hold(socket, login.token);
      await startSession(deps, socket, login.identity);
      reply(login.identity);
    }),
  );
}

/** Who logs in, with their token's lifetime (none for an unsigned login), or why the login is refused. */
type LoginCheck = { identity: BrowserIdentity; token?: SessionToken } | { refused: ErrorCode };

async function identify(deps: GatewayDeps, uid: string, companyID: string, token: string | undefined): Promise<LoginCheck> {
  if (token === undefined) return deps.settings.allowUnsignedLogin ? { identity: { uid, companyID } } : { refused: ErrorCode.unauthorized };
  const check = await deps.tokens.check(token);
  if (!check.ok) return { refused: check.code };
  const { identity, expiresAtMs, issuedAtMs } = check.token;
  // The token decides who this is; a payload naming anyone else is refused, not corrected.
  if (identity.uid !== uid || identity.companyID !== companyID) return { refused: ErrorCode.unauthorized };
  return { identity, token: { expiresAtMs, issuedAtMs } };
}
