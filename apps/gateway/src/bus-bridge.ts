import { BusType, ChangeEvent, companyRoom, olderPageRoom, ServerEvent, userRoom, type BusEnvelope } from '@notify/contracts';
import { countedEmit } from './counted-emit.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayServer } from './gateway-types.js';
import { OnlineCountCoalescer } from './online-count-coalescer.js';
import { OlderPageEmitter } from './older-pages/older-page-emitter.js';
import type { TokenSessions } from './token-sessions.js';

const { withOlderPages } = OlderPageEmitter;

/**
 * Turns bus events into socket events for this gateway's own sockets in the right room. Older pages
 * sit in `legacy:` rooms: records reach them converted, counts and read marks as they are.
 */
export class BusBridge {
  private readonly onlineCounts: OnlineCountCoalescer;

  constructor(
    private readonly io: GatewayServer,
    private readonly metrics: GatewayMetrics,
    /** `PRESENCE_COALESCE_MS`: a company's online-count broadcasts are merged within this. */
    onlineCountIntervalMs: number,
    /** Converts records for pages written for the older server, in their own rooms. */
    private readonly olderPages: OlderPageEmitter,
    /** Ends the sessions a `tokens.revoked` covers. */
    private readonly sessions: Pick<TokenSessions, 'revoked'>,
  ) {
    this.onlineCounts = new OnlineCountCoalescer(onlineCountIntervalMs, (companyID, count) =>
      countedEmit(this.metrics, this.io.to(withOlderPages(companyRoom(companyID))), ServerEvent.updateOnlineCount, count),
    );
  }

  /**
   * Whether an event for `room` has a socket to go to here (in the room or its older-page twin);
   * counts the ones it has not. A subscriber asks before parsing an envelope: every gateway
   * receives every event, and most are for other gateways' pages.
   */
  wants(room: string): boolean {
    const rooms = this.io.of('/').adapter.rooms;
    if (rooms.has(room) || rooms.has(olderPageRoom(room))) return true;
    this.metrics.skippedBusEvent();
    return false;
  }

  emit(envelope: BusEnvelope): void {
    const { io, metrics } = this;
    switch (envelope.type) {
      case BusType.messageStored: {
        const { message, unread } = envelope.payload;
        countedEmit(metrics, io.to(userRoom(message.receiverID)), ServerEvent.newMessage, message);
        this.olderPages.newMessage(message);
        countedEmit(metrics, io.to(withOlderPages(userRoom(message.receiverID))), ServerEvent.unreadCount, unread);
        break;
      }
      case BusType.dynamicStored: {
        const { dynamic } = envelope.payload;
        countedEmit(metrics, io.to(companyRoom(dynamic.companyID)), ServerEvent.updateDynamic, dynamic);
        this.olderPages.dynamic(dynamic);
        break;
      }
      case BusType.messagesChanged: {
        const { uid, change, ids, unread } = envelope.payload;
        const room = io.to(withOlderPages(userRoom(uid)));
        countedEmit(metrics, room, ChangeEvent[change], { ids });
        countedEmit(metrics, room, ServerEvent.unreadCount, unread);
        break;
      }
      case BusType.presenceChanged: {
        const { companyID, count } = envelope.payload;
        this.onlineCounts.changed(companyID, count);
        break;
      }
      case BusType.tokensRevoked: {
        this.sessions.revoked(envelope.payload);
        break;
      }
    }
    metrics.emittedBusEvent(envelope);
  }

  close(): void {
    this.onlineCounts.close();
  }
}
