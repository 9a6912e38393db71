import { ServerEvent, userRoom } from '@notify/contracts';
import { countedEmit, type EmitTarget } from './counted-emit.js';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewayServer } from './gateway-types.js';

/** Users whose unread messages are read from the store at the same time after a bus gap. */
const USERS_AT_ONCE = 50;

/** What {@link replayUnread} sends besides `unread_count`. */
export interface ReplayOptions {
  /** Only messages newer than this id. */
  after?: string;
  /** false: only `unread_count` (a page that catches up with `catch_up` instead). Default true. */
  messages?: boolean;
}

/**
 * Sends a user's newest `REPLAY_LIMIT` unread messages in the inbox (only those after `after`,
 * when given), oldest first, as `new_msg` with `replayed: true`, then their `unread_count`. To one
 * page at login, or to the user's room on this gateway.
 */
export async function replayUnread(deps: HandlerDeps, target: EmitTarget, uid: string, options: ReplayOptions = {}): Promise<void> {
  const limit = options.messages === false ? 0 : deps.settings.replayLimit;
  const unread = limit > 0 ? await deps.store.listMessages({ receiverID: uid, unread: true, archived: false, limit, after: options.after }) : [];
  for (const message of unread.reverse()) target.emit(ServerEvent.newMessage, { ...message, replayed: true });
  // Counted once for the whole replay, as that many `new_msg` emits.
  deps.metrics.replayed(unread.length);
  countedEmit(deps.metrics, target, ServerEvent.unreadCount, await deps.inbox.counts(uid));
}

/**
 * The bus was away (Redis restarted, or this gateway's subscription dropped): whatever the workers
 * published meanwhile never reached this gateway, though it is stored (stored before published).
 * Replays every logged-in user's unread messages to their pages here, as at login, once the
 * subscription is live again, so an open page misses nothing; pages drop ids they already have.
 * Resolves with the number of users replayed to.
 */
export async function replayAfterBusGap(deps: HandlerDeps, io: GatewayServer): Promise<number> {
  const uids = new Set<string>();
  for (const socket of io.of('/').sockets.values()) {
    const uid = socket.data.identity?.uid;
    if (uid !== undefined) uids.add(uid);
  }
  const users = [...uids];
  for (let start = 0; start < users.length; start += USERS_AT_ONCE) {
    await Promise.all(users.slice(start, start + USERS_AT_ONCE).map((uid) => replayUnread(deps, io.to(userRoom(uid)), uid)));
    // SQLite answers synchronously: let sockets and the bus have the event loop between groups.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return users.length;
}
