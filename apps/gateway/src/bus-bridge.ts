import { BusType, companyRoom, ServerEvent, userRoom, type BusEnvelope } from '@notify/contracts';
import type { GatewayServer } from './gateway-types.js';

/** Turns one bus event into socket events for this gateway's own sockets in the right room. */
export function emitBusEvent(io: GatewayServer, envelope: BusEnvelope): void {
  switch (envelope.type) {
    case BusType.messageStored: {
      const { message, unread } = envelope.payload;
      const room = io.to(userRoom(message.receiverID));
      room.emit(ServerEvent.newMessage, message);
      room.emit(ServerEvent.unreadCount, unread);
      return;
    }
    case BusType.dynamicStored:
      io.to(companyRoom(envelope.payload.dynamic.companyID)).emit(ServerEvent.updateDynamic, envelope.payload.dynamic);
      return;
    case BusType.messagesRead: {
      const { uid, selector, unread } = envelope.payload;
      const room = io.to(userRoom(uid));
      room.emit(ServerEvent.messagesRead, selector);
      room.emit(ServerEvent.unreadCount, unread);
      return;
    }
    case BusType.presenceChanged:
      io.to(companyRoom(envelope.payload.companyID)).emit(ServerEvent.updateOnlineCount, envelope.payload.count);
      return;
  }
}
