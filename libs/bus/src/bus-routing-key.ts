import { BusType, companyRoom, userRoom, type BusEnvelope } from '@notify/contracts';

/**
 * Whose event this is, which picks its sharded channel on a Redis Cluster: the user's uid for a
 * user's events (a message stored, messages changed, a user's tokens revoked), the companyID for a
 * company's (a dynamic, the online count, a company's tokens revoked). Presence keys are laid out
 * by the same companyID, so the presence script publishes within its own slot.
 */
export function busRoutingKey(envelope: Pick<BusEnvelope, 'type' | 'payload'>): string {
  const { type, payload } = envelope as BusEnvelope;
  switch (type) {
    case BusType.messageStored:
      return payload.message.receiverID;
    case BusType.messagesChanged:
      return payload.uid;
    case BusType.dynamicStored:
      return payload.dynamic.companyID;
    case BusType.presenceChanged:
      return payload.companyID;
    case BusType.tokensRevoked:
      return 'uid' in payload ? payload.uid : payload.companyID;
  }
}

/**
 * The room an event goes to, when it goes to one: its routing key's user room for a stored message
 * and a change of messages, its company's room for a stored dynamic (and their older-page twins).
 * A gateway with no socket in that room or its twin has nothing to do with the event. Undefined
 * for events every gateway handles (presence, token revocations).
 */
export function busEventRoom(envelope: Pick<BusEnvelope, 'type' | 'payload'>): string | undefined {
  switch (envelope.type) {
    case BusType.messageStored:
    case BusType.messagesChanged:
      return userRoom(busRoutingKey(envelope));
    case BusType.dynamicStored:
      return companyRoom(busRoutingKey(envelope));
    default:
      return undefined;
  }
}
