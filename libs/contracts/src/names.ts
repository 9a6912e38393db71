/** The BullMQ queue every producer and worker shares. */
export const QUEUE_NAME = 'notifications' as const;

/** BullMQ job names on {@link QUEUE_NAME}. */
export const JobName = { message: 'message', dynamic: 'dynamic' } as const;
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
  /** Sent just before the gateway disconnects a socket whose session it ended (a {@link SessionEndReason}). */
  sessionEnded: 'session_ended',
} as const;

/** Client → server socket events. */
export const ClientEvent = {
  login: 'login',
  read: 'read',
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
