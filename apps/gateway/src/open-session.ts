import { companyRoom, olderPageRoom, ServerEvent, userRoom } from '@notify/contracts';
import type { BrowserIdentity } from '@notify/auth';
import { countedEmit } from './counted-emit.js';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { replayUnread } from './replay-unread.js';
import { replayToOlderPage } from './older-pages/replay-to-older-page.js';

/**
 * A page has proven who it is: join its own two rooms, count it online, replay its newest unread
 * messages (oldest first, `replayed: true`), then send `unread_count` and `update_online_count`.
 * An older page joins the `legacy:` twins of its rooms and gets the replay `LEGACY_LOGIN_REPLAY` says.
 * Rooms are joined before the replay is read, so a message stored meanwhile arrives live or in the
 * replay, possibly both (pages de-duplicate by id).
 */
export async function openSession(deps: HandlerDeps, socket: GatewaySocket, identity: BrowserIdentity): Promise<void> {
  const { uid, companyID } = identity;
  socket.data.identity = identity;
  if (socket.disconnected) return;
  const rooms = [userRoom(uid), companyRoom(companyID)];
  socket.join(socket.data.olderPage ? rooms.map(olderPageRoom) : rooms);

  // Registered before the join is sent, so a page that leaves mid-login never stays counted.
  const online = deps.presence.join(companyID, uid);
  socket.once('disconnect', () => {
    void online.finally(() => deps.presence.leave(companyID, uid)).catch((error: unknown) => {
      deps.logger.warn({ err: error, uid, companyID }, 'presence: leave failed');
    });
  });

  // Sent the moment presence answers, not after the replay: a later change broadcast to the company
  // room must not be overtaken by this (by then older) count.
  const countSent = online.then(
    (count) => countedEmit(deps.metrics, socket, ServerEvent.updateOnlineCount, count),
    (error: unknown) => deps.logger.warn({ err: error, uid, companyID }, 'presence: join failed'),
  );

  await (socket.data.olderPage
    ? replayToOlderPage(deps, socket, uid)
    : replayUnread(deps, socket, uid, { after: socket.data.since, messages: socket.data.replay !== false }));
  // The login is acknowledged only once the page has everything, its online count included.
  await countSent;
}

/** {@link openSession}, and when the store or Redis fails meanwhile, log and drop the socket so the page reconnects. */
export async function startSession(deps: HandlerDeps, socket: GatewaySocket, identity: BrowserIdentity): Promise<void> {
  try {
    await openSession(deps, socket, identity);
  } catch (error) {
    deps.logger.warn({ err: error, uid: identity.uid }, 'could not open the session; disconnecting the page');
    socket.disconnect(true);
  }
}
