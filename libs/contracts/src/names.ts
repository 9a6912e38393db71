import { MessageChange } from './message-change.js';

/** The BullMQ queue every producer and worker shares. */
export const QUEUE_NAME = 'notifications' as const;

/**
 * BullMQ job names on {@link QUEUE_NAME}: `message` and `dynamic` carry one record each (the job id
 * is the record's id), `batch` carries several (`BatchJobData`).
 */
export const JobName = { message: 'message', dynamic: 'dynamic', batch: 'batch' } as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Redis pub/sub channels (prefixed with the configured Redis prefix). */
export const Channel = { events: 'events' } as const;

/** Server → client socket events; names kept from the older phpsocket.io server. */
export const ServerEvent = {
  newMessage: 'new_msg',
  updateDynamic: 'update_dynamic',
  updateOnlineCount: 'update_online_count',
  unreadCount: 'unread_count',
  messagesRead: 'msg_read',
  messagesSeen: 'msg_seen',
  messagesUnread: 'msg_unread',
  messagesArchived: 'msg_archived',
  messagesUnarchived: 'msg_unarchived',
  messagesDeleted: 'msg_deleted',
  /** The gateway may have missed events for this page (it lost the bus): catch up now. */
  resync: 'resync',
  /** Sent just before the gateway disconnects a socket whose session it ended (a {@link SessionEndReason}). */
  sessionEnded: 'session_ended',
} as const;

/** The server event that announces each message change to the user's pages. */
export const ChangeEvent = {
  seen: ServerEvent.messagesSeen,
  read: ServerEvent.messagesRead,
  unread: ServerEvent.messagesUnread,
  archive: ServerEvent.messagesArchived,
  unarchive: ServerEvent.messagesUnarchived,
  delete: ServerEvent.messagesDeleted,
} as const satisfies Record<MessageChange, string>;

/**
 * Client → server socket events. A page's message changes are named as the changes themselves
 * (`read`, `seen`, `unread`, `archive`, `unarchive`, `delete`); its reads are requests with an ack.
 */
export const ClientEvent = {
  login: 'login',
  ...MessageChange,
  listMessages: 'list_messages',
  listDynamics: 'list_dynamics',
  counts: 'counts',
  catchUp: 'catch_up',
  /** A fresh browser token for the socket's own uid and company, on the live connection. */
  refreshToken: 'refresh_token',
} as const;

/** Why the gateway ended a socket's session (`session_ended`); the socket is disconnected right after. */
export const SessionEndReason = {
  /** The token's `exp` passed without a `refresh_token`: fetch a new token, then reconnect. */
  tokenExpired: 'token_expired',
  /** A backend cut the user (or company) off: do not reconnect with the tokens it had. */
  revoked: 'revoked',
  /** A `refresh_token` named another uid or company. */
  identityMismatch: 'identity_mismatch',
} as const;
export type SessionEndReason = (typeof SessionEndReason)[keyof typeof SessionEndReason];

/** The room holding every page of one user. */
export const userRoom = (uid: string) => `uid:${uid}` as const;
/** The room holding every page of one company. */
export const companyRoom = (companyID: string) => `company:${companyID}` as const;

/** The full Redis channel name for bus events under a key prefix (`REDIS_PREFIX`). */
export const busChannel = (prefix: string) => `${prefix}:${Channel.events}`;

/**
 * The older pages' twin of a room (`legacy:uid:1`, `legacy:company:7`): pages written for the older
 * server join these instead, and get their own payloads there (escaped text, older dates).
 */
export const olderPageRoom = <R extends string>(room: R) => `legacy:${room}` as const;
