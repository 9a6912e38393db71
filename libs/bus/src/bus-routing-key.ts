import { BusType, type BusEnvelope } from '@notify/contracts';

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
