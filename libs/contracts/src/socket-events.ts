import { z } from 'zod';
import { IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { ClientEvent, ServerEvent } from './names.js';
import { MessageTypeId, type Message, type NewMessageEvent } from './message.js';
import type { Dynamic } from './dynamic.js';
import type { InboxCounts } from './unread-count.js';
import type { ReadResult, ReadSelector } from './read-selector.js';
import type { MessagesChangedEvent } from './message-change.js';
import { inOneDirection, oneDirection, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page } from './queries.js';
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

const limit = z.int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT);

/** Which of the user's messages a page lists: the filters of `GET /v1/users/:uid/messages`, as JSON. */
export const MessageFilter = z.strictObject({
  companyID: IdentifierInput.optional(),
  /** true: only unread; false: only read; absent: both. */
  unread: z.boolean().optional(),
  typeID: MessageTypeId.optional(),
  /** false (default): the inbox; true: the archive. */
  archived: z.boolean().default(false),
});
export type MessageFilter = z.infer<typeof MessageFilter>;

/** `list_messages`: a page of the socket's own user's messages, newest first. */
export const ListMessagesRequest = MessageFilter.extend({
  limit,
  before: RecordId.optional(),
  after: RecordId.optional(),
}).refine(inOneDirection, oneDirection);
export type ListMessagesRequest = z.infer<typeof ListMessagesRequest>;

/** `list_dynamics`: a page of the socket's own company's activity feed, newest first. */
export const ListDynamicsRequest = z
  .strictObject({ limit, before: RecordId.optional(), after: RecordId.optional() })
  .refine(inOneDirection, oneDirection);
export type ListDynamicsRequest = z.infer<typeof ListDynamicsRequest>;

/**
 * `catch_up`: a page that reconnects says what range of its lists it holds: its message list (the
 * oldest id it holds, and the list's filter) and its activity feed (the oldest id). The answer is
 * each list as it is now, from that id to the newest, or, when more than the gap limit would have
 * to be sent, that the page must reload that list's first page.
 */
export const CatchUpRequest = z.strictObject({
  messages: z.strictObject({ oldest: RecordId, filter: MessageFilter.optional() }).optional(),
  dynamics: z.strictObject({ oldest: RecordId }).optional(),
});
export type CatchUpRequest = z.infer<typeof CatchUpRequest>;

/** One list of a catch-up: complete (its items, newest first, replace the page's range) or to reload. */
export type CatchUpList<T> = { complete: true; items: T[] } | { complete: false };

/** The ack of `catch_up`: `complete` is true when every list asked for is complete. */
export interface CatchUpResult {
  complete: boolean;
  messages?: CatchUpList<Message>;
  dynamics?: CatchUpList<Dynamic>;
  counts: InboxCounts;
}

export type LoginAck = { uid: string; companyID: string } | ApiErrorBody;
export type ReadAck = ReadResult | ApiErrorBody;
export type RefreshTokenAck = RefreshTokenResult | ApiErrorBody;
/** The ack of a request (`list_messages`, `counts`, `catch_up`…): its answer or the error body. */
export type RequestAck<T> = T | ApiErrorBody;

type ChangeHandler = (payload: unknown, ack?: (result: ReadAck) => void) => void;
type RequestHandler<T> = (payload: unknown, ack?: (result: RequestAck<T>) => void) => void;

/** Server → client events, for `Server<ClientToServerEvents, ServerToClientEvents>`. */
export interface ServerToClientEvents {
  [ServerEvent.newMessage]: (message: NewMessageEvent) => void;
  [ServerEvent.updateDynamic]: (dynamic: Dynamic) => void;
  [ServerEvent.updateOnlineCount]: (count: number) => void;
  [ServerEvent.unreadCount]: (unread: InboxCounts) => void;
  /** `{ids}` now; pages written for earlier versions also handle `{typeID}` and `{all: true}`. */
  [ServerEvent.messagesRead]: (selector: ReadSelector) => void;
  [ServerEvent.messagesSeen]: (changed: MessagesChangedEvent) => void;
  [ServerEvent.messagesUnread]: (changed: MessagesChangedEvent) => void;
  [ServerEvent.messagesArchived]: (changed: MessagesChangedEvent) => void;
  [ServerEvent.messagesUnarchived]: (changed: MessagesChangedEvent) => void;
  [ServerEvent.messagesDeleted]: (changed: MessagesChangedEvent) => void;
  [ServerEvent.resync]: () => void;
  [ServerEvent.sessionEnded]: (ended: SessionEnded) => void;
}

/** Client → server events. Payloads are `unknown` on purpose: the gateway parses them. */
export interface ClientToServerEvents {
  [ClientEvent.login]: (payload: unknown, ack?: (result: LoginAck) => void) => void;
  [ClientEvent.read]: ChangeHandler;
  [ClientEvent.seen]: ChangeHandler;
  [ClientEvent.unread]: ChangeHandler;
  [ClientEvent.archive]: ChangeHandler;
  [ClientEvent.unarchive]: ChangeHandler;
  [ClientEvent.delete]: ChangeHandler;
  [ClientEvent.listMessages]: RequestHandler<Page<Message>>;
  [ClientEvent.listDynamics]: RequestHandler<Page<Dynamic>>;
  [ClientEvent.counts]: RequestHandler<InboxCounts>;
  [ClientEvent.catchUp]: RequestHandler<CatchUpResult>;
  [ClientEvent.refreshToken]: (payload: unknown, ack?: (result: RefreshTokenAck) => void) => void;
}
