import { z } from 'zod';
import { Identifier } from './identifier.js';
import { Message } from './message.js';
import { Dynamic } from './dynamic.js';
import { InboxCounts } from './unread-count.js';
import { RecordId } from './record-id.js';
import { MessageChangeSchema } from './message-change.js';

/** Bus message types: what happened, for the gateways to tell the pages. */
export const BusType = {
  messageStored: 'message.stored',
  dynamicStored: 'dynamic.stored',
  messagesChanged: 'messages.changed',
  presenceChanged: 'presence.changed',
  /** A backend cut a user or a company off: their pages go, and older tokens are refused. */
  tokensRevoked: 'tokens.revoked',
} as const;

/**
 * `tokens.revoked`: the tokens of one user (every company) or of one company minted at or before
 * `notBefore` (epoch ms, the api's clock) are cut off.
 */
export const TokensRevoked = z.union([
  z.object({ uid: Identifier, notBefore: z.int().nonnegative() }),
  z.object({ companyID: Identifier, notBefore: z.int().nonnegative() }),
]);
export type TokensRevoked = z.infer<typeof TokensRevoked>;

const envelope = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({
    /**
     * The room the event is for (`busEventRoom` of @notify/bus), first in the JSON so that a gateway
     * with no socket in it can drop the envelope without parsing the rest. Optional: events for every
     * gateway, presence's script and older publishers leave it out.
     */
    room: z.string().optional(),
    type: z.literal(type),
    origin: z.string(),
    /**
     * When it was published (epoch ms, the publisher's clock), for the gateways' store-to-emit lag
     * metric; presence's Redis script stamps it with Redis time. Optional: older publishers leave it out.
     */
    sentAt: z.number().nonnegative().optional(),
    payload,
  });

/** Every message on the bus: `{room?, type, origin, sentAt?, payload}`. `origin` names the sending process. */
export const BusEnvelope = z.discriminatedUnion('type', [
  envelope(BusType.messageStored, z.object({ message: Message, unread: InboxCounts })),
  envelope(BusType.dynamicStored, z.object({ dynamic: Dynamic })),
  // The ids a change (read, seen, archive…) altered, and the user's counts after it.
  envelope(BusType.messagesChanged, z.object({ uid: Identifier, change: MessageChangeSchema, ids: z.array(RecordId).min(1), unread: InboxCounts })),
  envelope(BusType.presenceChanged, z.object({ companyID: Identifier, count: z.int().nonnegative() })),
  envelope(BusType.tokensRevoked, TokensRevoked),
]);
export type BusEnvelope = z.infer<typeof BusEnvelope>;
export type BusEvent<T extends BusEnvelope['type']> = Extract<BusEnvelope, { type: T }>;
