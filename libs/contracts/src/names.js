/** The BullMQ queue every producer and worker shares. */
export const QUEUE_NAME = 'notifications';
/** BullMQ job names on {@link QUEUE_NAME}. */
export const JobName = { message: 'message', dynamic: 'dynamic' };
/** Redis pub/sub channels (prefixed with the configured Redis prefix). */
export const Channel = { events: 'events' };
/** Server → client socket events; names kept from the older phpsocket.io server. */
export const ServerEvent = {
    newMessage: 'new_msg',
    updateDynamic: 'update_dynamic',
    updateOnlineCount: 'update_online_count',
    unreadCount: 'unread_count',
    messagesRead: 'msg_read',
};
/** Client → server socket events. */
export const ClientEvent = { login: 'login', read: 'read' };
/** The room holding every page of one user. */
export const userRoom = (uid) => `uid:${uid}`;
/** The room holding every page of one company. */
export const companyRoom = (companyID) => `company:${companyID}`;
/** The full Redis channel name for bus events under a key prefix (`REDIS_PREFIX`). */
export const busChannel = (prefix) => `${prefix}:${Channel.events}`;
