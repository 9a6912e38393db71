import { z } from 'zod';
import { IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { ClientEvent, ServerEvent } from './names.js';
import type { NewMessageEvent } from './message.js';
import type { Dynamic } from './dynamic.js';
import type { UnreadCount } from './unread-count.js';
import type { ReadResult, ReadSelector } from './read-selector.js';
import type { ApiErrorBody } from './api-error.js';
import type { RefreshTokenResult, SessionEnded } from './session-token.js';

/** `login` payload of pages written for the older server; `since` limits the replay. */
export const LoginPayload = z.object({
  uid: IdentifierInput,
  companyID: IdentifierInput,
  token: z.string().max(4096).optional(),
  since: RecordId.optional(),
});
export type LoginPayload = z.infer<typeof LoginPayload>;

export type LoginAck = { uid: string; companyID: string } | ApiErrorBody;
export type ReadAck = ReadResult | ApiErrorBody;
export type RefreshTokenAck = RefreshTokenResult | ApiErrorBody;

/** Server → client events, for `Server<ClientToServerEvents, ServerToClientEvents>`. */
export interface ServerToClientEvents {
  [ServerEvent.newMessage]: (message: NewMessageEvent) => void;
  [ServerEvent.updateDynamic]: (dynamic: Dynamic) => void;
  [ServerEvent.updateOnlineCount]: (count: number) => void;
  [ServerEvent.unreadCount]: (unread: UnreadCount) => void;
  [ServerEvent.messagesRead]: (selector: ReadSelector) => void;
  [ServerEvent.sessionEnded]: (ended: SessionEnded) => void;
}

/** Client → server events. Payloads are `unknown` on purpose: the gateway parses them. */
export interface ClientToServerEvents {
  [ClientEvent.login]: (payload: unknown, ack?: (result: LoginAck) => void) => void;
  [ClientEvent.read]: (payload: unknown, ack?: (result: ReadAck) => void) => void;
  [ClientEvent.refreshToken]: (payload: unknown, ack?: (result: RefreshTokenAck) => void) => void;
}
