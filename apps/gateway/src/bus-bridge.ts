import { BusType, companyRoom, ServerEvent, userRoom, type BusEnvelope } from '@notify/contracts';
import { countedEmit } from './counted-emit.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayServer } from './gateway-types.js';
import { OnlineCountCoalescer } from './online-count-coalescer.js';
import type { TokenSessions } from './token-sessions.js';

/** Turns bus events into socket events for this gateway's own sockets in the right room. */
export class BusBridge {
  private readonly onlineCounts: OnlineCountCoalescer;

  constructor(
    private readonly io: GatewayServer,
    private readonly metrics: GatewayMetrics,
    /** `PRESENCE_COALESCE_MS`: a company's online-count broadcasts are merged within this. */
    onlineCountIntervalMs: number,
    /** Ends the sessions a `tokens.revoked` covers. */
    private readonly sessions: Pick<TokenSessions, 'revoked'>,
  ) {
    this.onlineCounts = new OnlineCountCoalescer(onlineCountIntervalMs, (companyID, count) =>
      countedEmit(this.metrics, this.io.to(companyRoom(companyID)), ServerEvent.updateOnlineCount, count),
    );
  }

  emit(envelope: BusEnvelope): void {
    const { io, metrics } = this;
    switch (envelope.type) {
      case BusType.messageStored: {
        const { message, unread } = envelope.payload;
        const room = io.to(userRoom(message.receiverID));
        countedEmit(metrics, room, ServerEvent.newMessage, message);
        countedEmit(metrics, room, ServerEvent.unreadCount, unread);
        break;
      }
      case BusType.dynamicStored: {
        const { dynamic } = envelope.payload;
        countedEmit(metrics, io.to(companyRoom(dynamic.companyID)), ServerEvent.updateDynamic, dynamic);
        break;
      }
      case BusType.messagesRead: {
        const { uid, selector, unread } = envelope.payload;
        const room = io.to(userRoom(uid));
        countedEmit(metrics, room, ServerEvent.messagesRead, selector);
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
