import { ClientEvent, ErrorCode, LoginPayload, toIssues, type LoginAck } from '@notify/contracts';
import { verifyBrowserToken, type BrowserIdentity } from '@notify/auth';
import type { GatewayDeps, HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { errorAck } from './error-ack.js';
import { guardedHandler } from './guarded-handler.js';
import { startSession } from './open-session.js';
import { isOlderPage } from './older-pages/is-older-page.js';

/**
 * The older pages' `login` event: `{uid, companyID, token}` (token optional only with
 * ALLOW_UNSIGNED_LOGIN). A socket that has not logged in by the deadline is disconnected; one that
 * offers a bad token is told `unauthorized` and disconnected. A logged-in socket can never switch user.
 */
export function handleLogin(deps: HandlerDeps, socket: GatewaySocket): void {
  const deadline = socket.data.identity
    ? undefined
    : setTimeout(() => socket.disconnect(true), deps.config.LOGIN_TIMEOUT_MS);
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
      const identity = await identify(deps, uid, companyID, token);
      if (!identity) {
        reply(errorAck(ErrorCode.unauthorized, 'unauthorized'));
        socket.disconnect(true);
        return;
      }
      clearTimeout(deadline);
      if (since) socket.data.since = since;
      socket.data.olderPage = isOlderPage(deps, socket);
      await startSession(deps, socket, identity);
      reply(identity);
    }),
  );
}

async function identify(deps: GatewayDeps, uid: string, companyID: string, token: string | undefined): Promise<BrowserIdentity | null> {
  if (token === undefined) return deps.config.ALLOW_UNSIGNED_LOGIN ? { uid, companyID } : null;
  const identity = await verifyBrowserToken(deps.config.JWT_SECRET, token);
  // The token decides who this is; a payload naming anyone else is refused, not corrected.
  return identity?.uid === uid && identity.companyID === companyID ? identity : null;
}
