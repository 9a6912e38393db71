import { z } from 'zod';
import { RecordId } from './record-id.js';

/**
 * What a page or a backend can do to a user's messages. `read` also marks seen; `delete` removes
 * a message from every list and count for good (it is kept, hidden, until retention drops it, so
 * a retried job cannot bring it back).
 */
export const MessageChange = {
  seen: 'seen',
  read: 'read',
  unread: 'unread',
  archive: 'archive',
  unarchive: 'unarchive',
  delete: 'delete',
} as const;
export type MessageChange = (typeof MessageChange)[keyof typeof MessageChange];
export const MessageChangeSchema = z.enum(MessageChange);

/** The payload of every `msg_*` event: the ids that changed (at most {@link CHANGED_IDS_PER_EVENT} per event). */
export const MessagesChangedEvent = z.object({ ids: z.array(RecordId).min(1) });
export type MessagesChangedEvent = z.infer<typeof MessagesChangedEvent>;

/** A change of many messages is announced in events of at most this many ids each. */
export const CHANGED_IDS_PER_EVENT = 1000;
