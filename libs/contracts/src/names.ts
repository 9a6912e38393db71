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
} as const;

/** Client → server socket events. */
export const ClientEvent = { login: 'login', read: 'read' } as const;

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
