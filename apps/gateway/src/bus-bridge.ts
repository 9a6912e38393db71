import { BusType, companyRoom, ServerEvent, userRoom, type BusEnvelope } from '@notify/contracts';
import { countedEmit } from './counted-emit.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayServer } from './gateway-types.js';

/** Turns one bus event into socket events for this gateway's own sockets in the right room. */
export function emitBusEvent(io: GatewayServer, metrics: GatewayMetrics, envelope: BusEnvelope): void {
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
      countedEmit(metrics, io.to(companyRoom(companyID)), ServerEvent.updateOnlineCount, count);
      break;
    }
  }
  metrics.emittedBusEvent(envelope);
}
