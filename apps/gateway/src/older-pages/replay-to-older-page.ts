import { ServerEvent, type NewMessageEvent, type ServerToClientEvents } from '@notify/contracts';
import { countedEmit, type EmitTarget } from '../counted-emit.js';
import type { HandlerDeps } from '../gateway-deps.js';
import type { GatewaySocket } from '../gateway-types.js';
import { replayUnread } from '../replay-unread.js';
import { toOlderPageMessage } from './older-page-payloads.js';

/**
 * The login replay of an older page, as `LEGACY_LOGIN_REPLAY` says: `off` (the default) sends only
 * `unread_count`, because such pages render their unread list from their own backend on every load
 * and would show each message twice; `unread` sends the replay notify's pages get, converted.
 */
export async function replayToOlderPage(deps: HandlerDeps, socket: GatewaySocket, uid: string): Promise<void> {
  if (deps.settings.olderPageLoginReplay === 'unread') {
    await replayUnread(deps, convertingMessages(socket, deps.settings.timeZone), uid, { after: socket.data.since });
    return;
  }
  countedEmit(deps.metrics, socket, ServerEvent.unreadCount, await deps.inbox.counts(uid));
}

/** `target`, with every `new_msg` converted for an older page on the way. */
function convertingMessages(target: GatewaySocket, timeZone: string): EmitTarget {
  return {
    emit(event, ...args) {
      if (event !== ServerEvent.newMessage) return target.emit(event, ...args);
      const [message] = args as Parameters<ServerToClientEvents[typeof ServerEvent.newMessage]>;
      return target.emit(ServerEvent.newMessage, toOlderPageMessage(message as NewMessageEvent, timeZone));
    },
  };
}
